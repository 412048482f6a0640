"""What each part of the DOCX that the cache keeps shows (cached.py): its key holds
everything of the report and of the build that its writing reads."""
from __future__ import annotations

import hashlib
from pathlib import Path

from builder.model import Chapter, Figure, Heading, Report, Table
from builder.writers.docx.blocks import Draft


def chapter_key(draft: Draft, report: Report, chapter: Chapter) -> tuple:
    """A chapter's section (with its partner's, in the parallel layout)."""
    both = [c for c in (chapter, chapter.partner) if c is not None]
    # The bilingual book's headings carry their paired contents lines (book.py: a zh
    # heading's line names the en chapter's heading too).
    listed = _contents(report) if report.layout else None
    return ("chapter", chapter, _links(draft, both), report.running_titles, report.covers, listed,
            *_printing(draft, report))


def chapter_charts(chapter: Chapter) -> list:
    both = [c for c in (chapter, chapter.partner) if c is not None]
    return [b.chart for c in both for b in c.blocks if isinstance(b, Figure)] + \
           [p.chart for p in chapter.rows if p.chart is not None]


def front_key(draft: Draft, report: Report) -> tuple:
    """Covers (or an extract's title blocks), front matter and the contents: these list
    the chapters' headings (levels 1 and 2) with the PDF's page numbers."""
    return ("front", report.covers, report.front, report.title_blocks, report.contents_titles, report.langs,
            report.running_titles, report.layout, report.edition,
            report.pages and (report.pages.headings, report.pages.front), _contents(report),
            _links(draft, report.front), *_printing(draft, report))


def _contents(report: Report) -> list:
    """What the contents list of each chapter: its headings of levels 1 and 2 (its partner's too)."""
    def listed(chapter: Chapter | None) -> tuple | None:
        return chapter and (chapter.heading, [b for b in chapter.blocks if isinstance(b, Heading) and b.level <= 2])
    return [(c.id, c.lang, c.number, c.in_contents, listed(c), listed(c.partner)) for c in report.chapters]


def front_charts(report: Report) -> list:
    return [b.chart for c in report.front for b in c.blocks if isinstance(b, Figure)]


def _links(draft: Draft, chapters: list[Chapter]) -> list:
    """Whether each anchor the chapters name or refer to is linked to, and a caption's."""
    marks = draft.marks
    anchors = {c.heading.anchor for c in chapters} | {r.ref.anchor for c in chapters for r in c.references}
    anchors |= {b.anchor for c in chapters for b in c.blocks if isinstance(b, (Heading, Figure, Table))}
    return sorted((a, a in marks.linked, a in marks.captions) for a in anchors)


def _printing(draft: Draft, report: Report) -> tuple:
    """How everything is printed: theme (and its reference document's bytes), draft stamp,
    paper and print options, chart fonts."""
    reference = report.theme.reference_docx
    styles = hashlib.sha256(Path(reference).read_bytes()).hexdigest() if reference else ""
    return report.theme, styles, report.draft, draft.ctx.options, draft.ctx.fonts.chart_family
