"""The stories the parts are laid out from: a chapter's flowables (block by block,
through a table of block types), and the front: covers, front matter, or an extract's
title block, then the contents."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Flowable, HRFlowable, KeepTogether, NextPageTemplate, PageBreak,
                                Spacer)

from builder.model import Chapter, Cover, Figure, Heading, Paragraph, Report, Table, TitleBlock
from builder.writers import handler
from builder.writers.pdf.blocks import (figure_flowables, heading_flowable, paragraph_flowable,
                                        table_flowables, text_width)
from builder.writers.pdf.document import RectoPad, ReportDocTemplate
from builder.writers.pdf.contents import contents_flowables
from builder.writers.pdf.floats import mark_float
from builder.writers.pdf.text import CJK, CJK_BOLD, LATIN, LATIN_BOLD, Styles, TextParagraph, text_markup


@dataclass(frozen=True)
class Place:
    """Where a chapter's blocks are laid out: the part's document (styles, frame, notes,
    build context) and the chapter, whose headings go in the contents or not."""
    doc: ReportDocTemplate
    chapter: Chapter
    in_contents: bool


def _heading(block: Heading, place: Place) -> list[Flowable]:
    start = [PageBreak(), Spacer(1, 18 * mm)] if block.level == 1 else []
    return start + [heading_flowable(block, place.chapter, place.doc.styles, place.in_contents)]


def _paragraph(block: Paragraph, place: Place) -> list[Flowable]:
    para = paragraph_flowable(block, place.doc.styles, place.doc.zone)
    if place.chapter.id == "sources" and isinstance(para, TextParagraph):
        # References end with long addresses that cannot break: ragged right, not stretched
        para.style = ParagraphStyle(f"{para.style.name}-ragged", parent=para.style, alignment=TA_LEFT)
    return [para]


def _figure(block: Figure, place: Place) -> list[Flowable]:
    doc = place.doc
    flowables = figure_flowables(block, doc.styles, *doc.frame_size, doc.ctx)
    whole = flowables[0] if len(flowables) == 1 else KeepTogether(flowables)
    return _anchored([mark_float(whole)], block.anchor)


def _table(block: Table, place: Place) -> list[Flowable]:
    frame_w, _ = place.doc.frame_size
    return _anchored(table_flowables(block, place.doc.styles, frame_w), block.anchor)


def _anchored(flowables: list[Flowable], anchor: str) -> list[Flowable]:
    """The block's first drawn flowable carries its anchor: the document marks where it
    lands, for the links of cross-references."""
    first = next(f for f in flowables if not isinstance(f, CondPageBreak))
    if isinstance(first, KeepTogether):
        first = first._content[0]
    first.ref_anchor = anchor
    return flowables


BLOCK_FLOWABLES = {Heading: _heading, Paragraph: _paragraph, Figure: _figure, Table: _table}


def chapter_flowables(chapter: Chapter, doc: ReportDocTemplate, in_contents: bool) -> list[Flowable]:
    place = Place(doc, chapter, in_contents)
    out = [Spacer(1, 18 * mm), heading_flowable(chapter.heading, chapter, doc.styles, in_contents)]
    for block in chapter.blocks:
        out += handler(BLOCK_FLOWABLES, block, "pdf")(block, place)
    return out


def front_flowables(front: list[Chapter], doc: ReportDocTemplate) -> list[Flowable]:
    """The front-matter parts (acknowledgement, writers...) one after the other, sharing
    a page where they fit; a part that fits on a page is not split over two."""
    out: list[Flowable] = []
    for i, chapter in enumerate(front):
        part = chapter_flowables(chapter, doc, in_contents=False)
        if i:
            part[0] = Spacer(1, 12 * mm)   # below the part before, not a page's top space
        out.append(KeepTogether(part))
    return out


def front_story(report: Report, doc: ReportDocTemplate, entries: list[tuple]) -> list[Flowable]:
    """Covers and front matter, or an extract's title block; then the contents."""
    story: list = []

    def new_page(template: str | None = None):
        started = any(not isinstance(f, NextPageTemplate) for f in story)
        if started and doc.options.duplex:
            story.append(RectoPad())
        if template:
            story.append(NextPageTemplate(template))
        if started:
            story.append(PageBreak())

    if report.title_blocks:
        for block in report.title_blocks:
            story += title_block_flowables(block, doc.styles)
    else:
        for cover in report.covers:
            new_page()
            story.append(CoverPage(cover, doc.styles))
        new_page("front")
        story += front_flowables(report.front, doc)
        if report.front:
            new_page()
    story += contents_flowables(report, doc.styles, entries)
    if doc.options.duplex:
        story.append(RectoPad(at_end=True))   # the first chapter starts on a right-hand page
    return story


class CoverPage(Flowable):
    """One cover: big title, subtitle and date in the upper half, institute at the foot."""

    def __init__(self, cover: Cover, styles: Styles):
        super().__init__()
        self.cover, self.accent = cover, styles.accent
        zh = cover.lang == "zh"
        base = ParagraphStyle("cover", fontName=CJK if zh else LATIN, alignment=TA_CENTER,
                              wordWrap="CJK" if zh else None, textColor=styles.accent)
        self.title_style = ParagraphStyle("cover-title", parent=base, fontName=CJK_BOLD if zh else LATIN_BOLD,
                                          fontSize=28 if zh else 26, leading=(28 if zh else 26) * 1.35)
        self.subtitle_style = ParagraphStyle("cover-sub", parent=base, fontSize=16, leading=22,
                                             textColor=styles.cover_text)
        self.date_style = ParagraphStyle("cover-date", parent=base, fontSize=13, leading=18,
                                         textColor=styles.cover_text)
        self.institute_style = ParagraphStyle("cover-inst", parent=base, fontSize=15, leading=21,
                                              fontName=CJK_BOLD if zh else LATIN_BOLD)

    def wrap(self, aW, aH):
        self.width, self.height = aW, aH - 1
        return self.width, self.height

    def _put(self, text, style, top, bold=False):
        """Draw centred text with its top at `top`; return its bottom. Lines break only
        between words (at spaces, in Chinese too): a word wider than the line makes the
        text smaller instead (see fit_words)."""
        style, widest = fit_words(text, style, self.width * 0.9, bold)
        para = TextParagraph(text_markup(text, bold=bold), style)
        width = balanced_width(para, self.width * 0.9, widest)
        _, h = para.wrap(width, self.height)
        para.drawOn(self.canv, (self.width - width) / 2, top - h)
        return top - h

    def draw(self):
        c, w, h = self.canv, self.width, self.height
        y = self._put(self.cover.title, self.title_style, h * 0.72, bold=True)
        c.setStrokeColor(self.accent)
        c.setLineWidth(1.2)
        c.line(w * 0.3, y - 16, w * 0.7, y - 16)
        y = self._put(self.cover.subtitle, self.subtitle_style, y - 32)
        if self.cover.date:
            self._put(self.cover.date, self.date_style, y - 24)
        if self.cover.institute:
            self._put(self.cover.institute, self.institute_style, h * 0.08)


def fit_words(text: str, style: ParagraphStyle, width: float, bold: bool) -> tuple[ParagraphStyle, float]:
    """`style` breaking lines only at spaces, at the largest size (at most its own) at
    which the widest space-free stretch of `text` fits `width`: a Chinese title is one word
    until its writer puts a space in it ("年度发展报告 2020" breaks only before 2020).
    Returns the style and the width of that stretch at its size."""
    widest = max((text_width(word, style.fontSize, bold) for word in text.split()), default=0)
    scale = min(1.0, width / widest) if widest else 1.0
    size = style.fontSize * scale * 0.999
    fitted = ParagraphStyle(f"{style.name}-fit", parent=style, wordWrap=None, splitLongWords=0,
                            fontSize=size, leading=style.leading * size / style.fontSize)
    return fitted, widest * size / style.fontSize


def balanced_width(para, width: float, floor: float = 0.0) -> float:
    """The narrowest width (not below `floor`) that still gives `para` as few lines as
    `width` does, so a wrapped title has lines of similar length instead of a short last line."""
    para.wrap(width, 10_000)
    lines = len(para.blPara.lines)
    if lines < 2:
        return width
    lo, hi = max(width / 2, floor), width
    for _ in range(12):
        mid = (lo + hi) / 2
        para.wrap(mid, 10_000)
        if len(para.blPara.lines) > lines:
            lo = mid
        else:
            hi = mid
    return hi


def title_block_flowables(block: TitleBlock, styles) -> list[Flowable]:
    """An extract's head: which report, which edition and year, which chapter."""
    base = styles["body", block.lang]
    zh = block.lang == "zh"
    bold = CJK_BOLD if zh else LATIN_BOLD
    accent = styles.accent

    def style(name, size, **kw):
        return base.clone(f"tb-{name}-{block.lang}", fontSize=size, leading=size * 1.4, firstLineIndent=0,
                          alignment=0, spaceBefore=0, spaceAfter=kw.pop("after", 4), **kw)
    out: list[Flowable] = [Spacer(1, 14 * mm)]
    out.append(TextParagraph(text_markup(block.kicker), style("kicker", 10.5, textColor=accent, after=6)))
    out.append(TextParagraph(text_markup(block.title, bold=True), style("title", 17, fontName=bold, after=8)))
    for chapter in block.chapters:
        out.append(TextParagraph(text_markup(chapter, bold=True),
                                 style("chapter", 15, fontName=bold, textColor=accent, after=6)))
    grey = colors.HexColor("#444444")
    out.append(TextParagraph(text_markup(block.edition), style("edition", 10, textColor=grey)))
    if block.institute:
        out.append(TextParagraph(text_markup(block.institute), style("institute", 10, textColor=grey)))
    out.append(TextParagraph(text_markup(block.note), style("note", 9, textColor=grey, after=6)))
    out.append(HRFlowable(width="100%", thickness=0.8, color=accent, spaceBefore=2, spaceAfter=6))
    return out


