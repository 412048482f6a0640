"""The DOCX of a report: the front, then one section per chapter, saved reproducibly."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document

from builder.context import BuildContext
from builder.model import Chapter, Report
from builder.writers.docx.blocks import Bookmarks, Draft, caption_anchors, linked_anchors
from builder.writers.docx.cached import cached_section, record_relations, text_counts
from builder.writers.docx.keys import chapter_charts, chapter_key, front_charts, front_key
from builder.writers.docx.book import chapter_title, write_book_chapter, write_book_front
from builder.writers.docx.front import mark_chapters, write_contents, write_cover, write_title_block
from builder.writers.docx.notes import Footnotes
from builder.writers.docx.package import docx_bytes, remember_image_digests
from builder.writers.docx.pages import setup_page, stamp_sections, start_section
from builder.writers.docx.looks import set_looks
from builder.writers.docx.styles import remember_style_ids, setup_settings


def write(report: Report, path: Path, ctx: BuildContext, chars=None, full=None) -> None:
    """Render `report` and save it as a .docx file at `path` (`chars`, `full`: unused,
    the DOCX names its fonts instead of embedding them)."""
    doc = Document()
    setup_page(doc.sections[0], ctx.options)   # first: the contents' tab stop is at the text width
    set_looks(doc, report.theme, ctx)
    remember_style_ids(doc)
    setup_settings(doc)
    relations = record_relations(doc)
    remember_image_digests(doc)
    draft = Draft(doc, ctx, Footnotes(doc), Bookmarks(linked_anchors(report), caption_anchors(report)),
                  relations=relations)
    odd = ctx.options.duplex   # printing on both sides: sections start on right-hand pages
    # The cover section keeps no header/footer; every chapter gets its own section so that
    # it starts on a new page and carries the running title of its language.
    if report.layout:   # the bilingual edition as one book (its front sets the contents' styles too: not kept)
        write_book_front(draft, report, odd)
        draft.counts = draft.counts and list(text_counts([doc.element.body]))   # (the body is the front so far)
    else:
        cached_section(draft, front_key(draft, report), front_charts(report), lambda: _write_front(draft, report, odd),
                       opens=False)
    first = 1   # chapter I is page 1, as in the PDF
    for chapter in report.chapters:   # an extract's chapters keep their full-report numbers
        start = chapter.first_page if chapter.first_page is not None else first
        cached_section(draft, chapter_key(draft, report, chapter) + (start, odd), chapter_charts(chapter),
                       lambda: _write_chapter_section(draft, report, chapter, start, odd))
        first = None
    mark_chapters(doc)

    if report.draft:
        stamp_sections(draft.doc, report.draft)
    when = datetime(report.year + 1, 1, 1)   # fixed: the same model gives the same file
    _set_properties(doc, report, when)
    _drop_template_leftovers(doc, report, draft.counts)
    path.write_bytes(docx_bytes(doc, when))   # the build renames it into place


def _write_front(draft: Draft, report: Report, odd: bool) -> None:
    """Covers, front matter and contents (pages i, ii..., as in the PDF), or an extract's
    title block and contents."""
    if report.title_blocks:   # an extract: title block and its contents on the first page
        for block in report.title_blocks:
            write_title_block(draft.doc, block, report.theme.accent_color)
        write_contents(draft, report)
        return
    for i, cover in enumerate(report.covers):
        write_cover(draft.doc, cover, new_page=i > 0, odd=odd)
    # The first section after the covers numbers its pages from i. A part of the front
    # matter the PDF prints on the page of the one before goes on on that page.
    front = report.pages.front if report.pages else {}
    for i, chapter in enumerate(report.front):
        page = front.get(chapter.heading.anchor)
        same = i > 0 and page is not None and page == front.get(report.front[i - 1].heading.anchor)
        _write_chapter_section(draft, report, chapter, 1 if i == 0 else None, odd, roman=True, new_page=not same)
    start_section(draft.doc, report.running_titles[report.langs[0]], None if report.front else 1, odd, roman=True)
    write_contents(draft, report)


def _write_chapter_section(draft: Draft, report: Report, chapter: Chapter, first_page: int | None,
                           odd: bool, roman: bool = False, new_page: bool = True) -> None:
    title = chapter_title(chapter) if chapter.in_contents else ""
    start_section(draft.doc, report.running_titles[chapter.lang], first_page, odd,
                  (title, chapter.lang) if title else None, roman, new_page)
    write_book_chapter(draft, report, chapter)


def _set_properties(doc, report: Report, when: datetime) -> None:
    props = doc.core_properties
    props.title = report.title
    props.subject = report.covers[0].subtitle
    props.author = props.last_modified_by = report.author
    props.language = "en-US" if report.edition == "en" else "zh-CN"
    props.keywords = props.comments = props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = when


APP_PROPERTIES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
                  '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                  "{counts}<Application>report</Application></Properties>")
LEFTOVERS = ("/stylesWithEffects", "/thumbnail", "/customXml")   # relationship types, by their ends


def _drop_template_leftovers(doc, report: Report, counted: list[int] | None) -> None:
    """python-docx's template says "Microsoft Macintosh Word", 1 page and 0 words (Word would
    believe it) and carries a blank thumbnail, Word 2010's stylesWithEffects and a customXml
    item: the statistics are the document's (pages: the PDF's, where its layout is known)
    and the rest is not written. `counted`: the words and characters of the body, added up
    section by section (None: not known)."""
    words, characters = counted or text_counts([doc.element.body])
    counts = f"<Pages>{report.pages.count}</Pages>" if report.pages and report.pages.count else ""
    counts += f"<Words>{words}</Words><Characters>{characters}</Characters>"
    package = doc.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_PROPERTIES.format(counts=counts).encode()
    for rels in (package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(LEFTOVERS):
                rels.pop(rid)
