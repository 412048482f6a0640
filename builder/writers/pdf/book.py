"""The bilingual edition as one book (Report.layout): one cover with the Chinese title
over the English one, the front matter of both languages together, one contents list of
paired lines (一、企业 · I. Enterprises), and the chapters: side by side (parallel.py) or
each language in a part of its own, opened by a title page (sequential)."""
from __future__ import annotations

import dataclasses

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from builder.model import Chapter, Cover, Report
from builder.writers.pdf.document import Mark, RectoPad, ReportDocTemplate
from builder.writers.pdf.parallel import SEP, parallel_flowables
from builder.writers.pdf.story import CoverPage, chapter_flowables, contents_flowables, title_block_flowables
from builder.writers.pdf.text import text_markup


def chapter_story(chapter: Chapter, doc: ReportDocTemplate, in_contents: bool) -> list[Flowable]:
    """A chapter's flowables in any edition: side by side with its partner, or after the
    title page of the part it opens, or as it is."""
    if chapter.partner is not None:
        return parallel_flowables(chapter, doc, in_contents)
    if chapter.part:
        cover = next(c for c in doc.report.covers if c.lang == chapter.lang)
        pad = [RectoPad()] if doc.options.duplex else []
        return [PartPage(chapter.part, cover, doc.styles, f"{chapter.lang}-part"), *pad, PageBreak(),
                *chapter_flowables(chapter, doc, in_contents)]
    return chapter_flowables(chapter, doc, in_contents)


def book_front_story(report: Report, doc: ReportDocTemplate, entries: list[tuple]) -> list[Flowable]:
    """One bilingual cover and front matter, or an extract's title blocks; the contents of
    paired lines."""
    story: list[Flowable] = []
    duplex = doc.options.duplex
    if report.title_blocks:
        for block in report.title_blocks:
            story += title_block_flowables(_with_chapters(block, report), doc.styles)
    else:
        story.append(BookCover(report.covers, doc.styles))
        story += [RectoPad()] * duplex + [NextPageTemplate("front"), PageBreak()]
        story += front_flowables(report, doc)
    story += contents_flowables(report, doc.styles, paired_entries(entries), page_pair)
    if duplex:
        story.append(RectoPad(at_end=True))
    return story


def _with_chapters(block, report: Report):
    """An extract's title block naming its chapters in the block's language (a parallel
    chapter is its zh chapter carrying the en one)."""
    titles = [(c.partner if c.partner is not None and block.lang == "en" else c).heading.full_text
              for c in report.chapters if c.lang == block.lang or c.partner is not None]
    return dataclasses.replace(block, chapters=titles)


def front_flowables(report: Report, doc: ReportDocTemplate) -> list[Flowable]:
    """Each front part (acknowledgement, writers...) with its partner in the other
    language below it, and the next part below them: one page where they fit."""
    zh = [p for p in report.front if p.lang == "zh"]
    en = [p for p in report.front if p.lang == "en"]
    out: list[Flowable] = []
    for i in range(max(len(zh), len(en))):
        parts = [p[i] for p in (zh, en) if i < len(p)]
        for j, part in enumerate(parts):
            flowables = chapter_flowables(part, doc, in_contents=False)
            # One bookmark for both: "致谢 · Acknowledgement" (the second heading: no outline entry).
            title = flowables[1]
            title.heading = dataclasses.replace(part.heading, level=0) if j else dataclasses.replace(
                part.heading, number="", text=SEP.join(p.heading.full_text for p in parts))
            out += flowables if not (i or j) else [Spacer(1, 6 * mm), *flowables[1:]]   # below the one before
    if out:
        out += [RectoPad()] * doc.options.duplex + [PageBreak()]
    return out


PAGES = 100_000   # a contents entry's two page numbers as one (reportlab's contents print integers)


def page_pair(number: int) -> str:
    return f"{number // PAGES}{SEP}{number % PAGES}" if number >= PAGES else str(number)


def paired_entries(entries: list[tuple]) -> list[tuple]:
    """Contents entries (level, markup, page, anchor) of a zh heading and of its en partner
    (the same anchor after the language) as one line: "zh · en", with both pages when they
    differ (sequential: see page_pair). An entry without a partner stays as it is."""
    partners = {}
    for entry in entries:
        if entry[3].startswith("en-"):
            partners[entry[3][3:]] = entry
    paired, used = [], set()
    for level, markup, page, anchor in entries:
        other = partners.get(anchor[3:]) if anchor.startswith("zh-") else None
        if other is not None:
            used.add(other[3])
            pages = page if other[2] == page else page * PAGES + other[2]
            paired.append((level, markup + text_markup(SEP, bold=level == 0) + other[1], pages, anchor))
        elif anchor not in used:
            paired.append((level, markup, page, anchor))
    return paired


class BookCover(Flowable):
    """One cover for both languages: the Chinese title over the English one, then the
    subtitles and the date in both, the institute in both at the foot."""

    def __init__(self, covers: list[Cover], styles):
        super().__init__()
        self.pages = [CoverPage(c, styles) for c in covers]
        self.accent = styles.accent

    def wrap(self, aW, aH):
        self.width, self.height = aW, aH - 1
        for page in self.pages:
            page.width, page.height = self.width, self.height
        return self.width, self.height

    def draw(self):
        c, w, h = self.canv, self.width, self.height
        for page in self.pages:
            page.canv = c
        zh, en = self.pages[0], self.pages[-1]
        y = zh._put(zh.cover.title, zh.title_style, h * 0.76, bold=True)
        if en is not zh:
            small = en.title_style.clone("cover-title-en", fontSize=20, leading=27)
            y = en._put(en.cover.title, small, y - 10, bold=True)
        c.setStrokeColor(self.accent)
        c.setLineWidth(1.2)
        c.line(w * 0.3, y - 16, w * 0.7, y - 16)
        y -= 32
        for page in self.pages:
            if page.cover.subtitle:
                y = page._put(page.cover.subtitle, page.subtitle_style, y) - 6
        for page in self.pages:
            if page.cover.date:
                y = page._put(page.cover.date, page.date_style, y - 12)
        y = h * 0.08 + 30 * (len(self.pages) - 1)
        for page in self.pages:
            if page.cover.institute:
                y = page._put(page.cover.institute, page.institute_style, y) - 6


class PartPage(Flowable):
    """The title page of a part of the sequential layout: its language's title and the
    part's name."""

    def __init__(self, name: str, cover: Cover, styles, anchor: str):
        super().__init__()
        self.name, self.anchor = name, anchor
        self.page = CoverPage(dataclasses.replace(cover, subtitle=name, date="", institute=""), styles)
        self.accent = styles.accent

    def wrap(self, aW, aH):
        self.width, self.height = aW, aH - 1
        self.page.width, self.page.height = self.width, self.height
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        doc = getattr(canvas, "_doctemplate", None)
        if doc is not None:   # a bookmark: the part's name
            doc.marks.append(Mark(self.anchor, self.name, 1, doc.page - 1, x, y + self.height, False))
        super().drawOn(canvas, x, y, _sW)

    def draw(self):
        page = self.page
        page.canv = self.canv
        y = page._put(page.cover.title, page.title_style, self.height * 0.62, bold=True)
        self.canv.setStrokeColor(self.accent)
        self.canv.setLineWidth(1.2)
        self.canv.line(self.width * 0.3, y - 16, self.width * 0.7, y - 16)
        page._put(self.name, page.subtitle_style, y - 32)
