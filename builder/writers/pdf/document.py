"""The PDF's pages: the document template that lays out one part (see parts.py) and
records what assembling the parts needs, and the pages' decoration.

Page templates: "cover" and "title" (an extract's first page) with colour bands, "front"
(roman page numbers) and "main" (arabic numbers, running header). With crop marks the
sheet is larger than the trimmed page by the bleed and a slug that holds the marks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Frame, PageTemplate

from builder.context import BuildContext
from builder.model import Chapter, PrintOptions, Report
from builder.numbers import roman
from builder.words import BOOK_LABELS
from builder.writers.pdf.blocks import HeadingParagraph, text_width
from builder.writers.pdf.floats import FloatQueue, KeepWithStart
from builder.writers.pdf.notes import FootnotedParagraph, NoteZone
from builder.writers.pdf.text import LATIN, Styles, TextParagraph, text_markup

HEADER_Y = 0.6     # of the margin, from the top edge: baseline of the running header
FOOTER_Y = 0.48    # of the margin, from the bottom edge: baseline of the page number
FOOTER_PT = 9.5
PAGE_NUMBER = "% page number"   # a PDF comment: where the assembly draws a chapter page's number
SLUG = 7 * mm      # with crop marks: room for the marks outside the bleed


@dataclass(frozen=True)
class Sheet:
    """The trimmed page and, with crop marks, the bleed and slug around it (points)."""
    trim_w: float
    trim_h: float
    bleed: float        # 0 without crop marks
    offset: float       # of the trimmed page from the sheet's edges (0 without crop marks)
    margin: float

    @classmethod
    def of(cls, options: PrintOptions) -> Sheet:
        bleed = options.bleed * mm if options.crop_marks else 0.0
        offset = bleed + SLUG if options.crop_marks else 0.0
        return cls(*options.page_size, bleed, offset, options.margins * mm)


@dataclass
class Mark:
    """Where a heading landed in its part: for the outline, the contents and its links."""
    anchor: str
    text: str
    level: int
    page: int               # index in the part
    left: float
    top: float
    in_contents: bool


class RectoPad(ActionFlowable):
    """Before a page break when printing on both sides: if the page just filled is a
    right-hand (odd) one, end it and leave the next, left-hand page blank, so that what
    follows the break starts on a right-hand page. `at_end`: the part ends here, so the
    blank page is started now (reportlab drops a page nothing was placed on). Figures
    still waiting for a page are placed before it (floats.py)."""
    flushes_floats = True

    def __init__(self, at_end: bool = False):
        super().__init__()
        self.at_end = at_end

    def apply(self, doc):
        if doc.page % 2 == 1:
            doc.blank_pages.add(doc.page + 1)
            doc.handle_pageBreak()
            if self.at_end:
                doc.clean_hanging()


class ReportDocTemplate(BaseDocTemplate):
    """Lays out one part of the PDF and records what assembling the parts needs: page
    label changes and where each heading landed. The notes of a page are kept in `zone`
    and drawn at its foot."""

    def __init__(self, path, report: Report, styles, ctx: BuildContext, first_template: str, **kw):
        self.sheet = sheet = Sheet.of(ctx.options)
        self.ctx, self.options = ctx, ctx.options
        o, m = sheet.offset, sheet.margin
        super().__init__(path, pagesize=(sheet.trim_w + 2 * o, sheet.trim_h + 2 * o),
                         leftMargin=o + m, rightMargin=o + m, topMargin=o + m, bottomMargin=o + m, **kw)
        self.report = report
        self.styles = styles
        self.zone = NoteZone()
        frame = Frame(o + m, o + m, sheet.trim_w - 2 * m, sheet.trim_h - 2 * m, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates(page_templates(frame, first_template))
        self.keepTogetherClass = KeepWithStart   # a heading is kept with the start of what follows

    @property
    def frame_size(self) -> tuple[float, float]:
        return self.width, self.height

    def beforeDocument(self):
        self.front_first = None   # page where roman numbering starts
        self.labels: list[tuple] = []   # (page index, style, start, prefix) where page labels change
        self.marks: list[Mark] = []
        self.chapter: Chapter | None = None   # whose title the running header shows
        self.blank_pages: set[int] = set()
        self.zone.clear()
        self.floats = FloatQueue()

    def filterFlowables(self, flowables):
        self.floats.filter(self, flowables)

    def beforePage(self):
        # Frames are reused from page to page: undo the bottom raised for the last
        # page's notes (Frame._reset does not recompute it).
        for frame in self.pageTemplate.frames:
            frame._geom()
        self.zone.clear()

    def record_label(self, page: int) -> None:
        """Where the page labels change: roman from the first front page, arabic from a
        chapter part's first page, a name for the first cover or title page."""
        template = self.pageTemplate.id
        if template == "front" and self.front_first is None:
            self.front_first = page
            self.labels.append((page - 1, "/r", 1, None))
        elif template == "main" and page == 1:
            self.labels.append((0, "/D", None, None))   # numbered from where the assembly places it
        elif page == 1:
            kind = "cover" if template == "cover" else "title"
            self.labels.append((0, None, None, BOOK_LABELS[kind] if self.report.layout else kind.capitalize()))

    def handle_flowable(self, flowables):
        self.current = flowables[0] if flowables else None   # what a LayoutError is about
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable):
        if isinstance(flowable, FootnotedParagraph) and flowable.notes:
            # The notes go to the page foot: give their height back above the paragraph's
            # bottom and keep later flowables above the note zone.
            frame = self.frame
            frame._y += flowable.notes_h
            frame._y1p += flowable.notes_h
            self.zone.notes.extend(n.paragraph for n in flowable.notes)
        elif isinstance(flowable, HeadingParagraph) and flowable.heading is not None:
            self.mark_heading(flowable)
        elif getattr(flowable, "ref_anchor", ""):   # a figure or table: a cross-reference's target
            top = self.frame._y + flowable.getSpaceAfter() + flowable.height + 4
            self.marks.append(Mark(flowable.ref_anchor, "", 0, self.page - 1, self.frame._x1, top, False))

    def mark_heading(self, flowable: HeadingParagraph):
        heading = flowable.heading
        if heading.level == 1 and flowable.chapter is not None:
            self.chapter = flowable.chapter
        top = self.frame._y + flowable.getSpaceAfter() + flowable.height + 4
        self.marks.append(Mark(heading.anchor, heading.full_text, heading.level, self.page - 1,
                               self.frame._x1, top, flowable.in_contents and heading.level <= 2))


# --- page decoration ----------------------------------------------------------------
# Everything is drawn at page end, when it is known whether the page stays blank.

def page_templates(frame: Frame, first: str) -> list[PageTemplate]:
    """One template per kind of page, all with the body frame; the first page's first."""
    ends = {"cover": end_cover_page, "title": end_title_page, "front": end_front_page, "main": end_main_page}
    templates = [PageTemplate(name, [frame], onPage=start_page, onPageEnd=stamped(end)) for name, end in ends.items()]
    return sorted(templates, key=lambda t: t.id != first)


def start_page(canv, doc: ReportDocTemplate):
    doc.record_label(canv.getPageNumber())
    sheet = doc.sheet
    if sheet.offset:
        o, b, w, h = sheet.offset, sheet.bleed, sheet.trim_w, sheet.trim_h
        canv.setTrimBox((o, o, o + w, o + h))
        canv.setBleedBox((o - b, o - b, o + w + b, o + h + b))


def end_page(canv, doc: ReportDocTemplate) -> bool:
    """What every page ends with: crop marks; False for a blank page."""
    if doc.sheet.offset:
        draw_crop_marks(canv, doc.sheet)
    return canv.getPageNumber() not in doc.blank_pages


def stamped(end):
    """A page end that then stamps a draft's pages, over everything else drawn."""
    def end_stamped(canv, doc: ReportDocTemplate):
        end(canv, doc)
        if doc.report.draft:
            draw_draft_stamp(canv, doc.sheet, doc.report.draft)
    return end_stamped


def end_cover_page(canv, doc: ReportDocTemplate):
    if end_page(canv, doc) and doc.styles.theme.cover_bands:
        draw_cover_bands(canv, doc.sheet, doc.styles)


def end_title_page(canv, doc: ReportDocTemplate):
    if end_page(canv, doc) and doc.styles.theme.cover_bands:
        draw_cover_bands(canv, doc.sheet, doc.styles, slim=True)


def end_front_page(canv, doc: ReportDocTemplate):
    if end_page(canv, doc):
        draw_notes(canv, doc)
        draw_footer(canv, doc.sheet, roman(canv.getPageNumber() - doc.front_first + 1).lower())


def end_main_page(canv, doc: ReportDocTemplate):
    if end_page(canv, doc):
        draw_notes(canv, doc)
        mark_page_number(canv, doc.sheet)
        if doc.chapter is not None:
            draw_header(canv, doc, doc.chapter)


def draw_notes(canv, doc: ReportDocTemplate):
    doc.zone.draw(canv, doc.leftMargin, doc.bottomMargin, doc.width)
    doc.zone.clear()


def draw_footer(canv, sheet: Sheet, label: str):
    canv.saveState()
    canv.setFont(LATIN, FOOTER_PT)
    canv.drawCentredString(sheet.offset + sheet.trim_w / 2, sheet.offset + FOOTER_Y * sheet.margin, label)
    canv.restoreState()


def mark_page_number(canv, sheet: Sheet):
    """A chapter page's number is drawn by the assembly, which knows where the chapter
    starts (assemble.draw_page_number): so a chapter's layout does not depend on the pages
    before it, and an edit that adds a page lays out its own chapter only. The mark names
    the font as the part calls it, and where draw_footer would centre the number."""
    name = pdfmetrics.getFont(LATIN).getSubsetInternalName(0, canv._doc)   # digits: subset 0
    canv._code.append(f"{PAGE_NUMBER} {name} {sheet.offset + sheet.trim_w / 2!r} "
                      f"{sheet.offset + FOOTER_Y * sheet.margin!r}")


def draw_header(canv, doc: ReportDocTemplate, chapter: Chapter):
    """Running title on the left, chapter title on the right, a thin rule below."""
    lang = chapter.lang
    style = doc.styles["header", lang]
    title, heading = doc.report.running_titles.get(lang, ""), chapter.heading.full_text
    # Each side its natural width where both fit on one line; else half the line each.
    gap = 12
    left_w = text_width(title, style.fontSize, False) + 1
    right_w = doc.width - left_w - gap
    if right_w < text_width(heading, style.fontSize, False) + 1:
        left_w = right_w = doc.width / 2 - gap / 2
    left = TextParagraph(text_markup(title), style)
    right = TextParagraph(text_markup(heading), style.clone("header-r", alignment=TA_RIGHT))
    top = doc.sheet.offset + doc.sheet.trim_h - HEADER_Y * doc.sheet.margin
    left_x, right_x = doc.leftMargin, doc.leftMargin + doc.width
    for para, x, width in ((left, left_x, left_w), (right, right_x - right_w, right_w)):
        _, h = para.wrap(width, 40)
        para.drawOn(canv, x, top - h + style.leading)
    canv.saveState()
    canv.setLineWidth(0.4)
    canv.line(left_x, top - 4, right_x, top - 4)
    canv.restoreState()


DRAFT_INK = colors.Color(0.72, 0.1, 0.1, alpha=0.2)   # light enough to read the page through
DRAFT_LINE = colors.HexColor("#c0392b")
DRAFT_Y = 0.22     # of the margin, from the top edge: baseline of a draft's stamp line


def draw_draft_stamp(canv, sheet: Sheet, stamp: str) -> None:
    """A draft's stamp (Report.draft): a line at the top edge of every page, and the same
    words light across the page, corner to corner."""
    line = TextParagraph(text_markup(stamp, bold=True), ParagraphStyle(
        "draft-line", fontName=LATIN, fontSize=8, leading=10, alignment=TA_CENTER, textColor=DRAFT_LINE))
    _, height = line.wrap(sheet.trim_w, sheet.margin)
    line.drawOn(canv, sheet.offset, sheet.offset + sheet.trim_h - DRAFT_Y * sheet.margin - height + 8)
    across = TextParagraph(text_markup(stamp), ParagraphStyle(
        "draft", fontName=LATIN, fontSize=40, leading=52, alignment=TA_CENTER, textColor=DRAFT_INK))
    width = math.hypot(sheet.trim_w, sheet.trim_h) * 0.7
    _, height = across.wrap(width, sheet.trim_h)
    canv.saveState()
    canv.translate(sheet.offset + sheet.trim_w / 2, sheet.offset + sheet.trim_h / 2)
    canv.rotate(math.degrees(math.atan2(sheet.trim_h, sheet.trim_w)))
    across.drawOn(canv, -width / 2, -height / 2)
    canv.restoreState()


def draw_cover_bands(canv, sheet: Sheet, styles: Styles, slim: bool = False) -> None:
    """Colour bands at the top and foot of a cover page (slim: the top of an extract's
    title page), running into the bleed when there is one; a stripe under the top one."""
    o, b = sheet.offset, sheet.bleed
    x, w, top = o - b, sheet.trim_w + 2 * b, o + sheet.trim_h
    band = (8 if slim else 28) * mm
    theme = styles.theme
    canv.saveState()
    canv.setFillColor(colors.HexColor(theme.band_color))
    canv.rect(x, top - band, w, band + b, stroke=0, fill=1)
    if theme.stripe_color:
        canv.setFillColor(colors.HexColor(theme.stripe_color))
        canv.rect(x, top - band - 3 * mm, w, 3 * mm, stroke=0, fill=1)
    if not slim:
        canv.setFillColor(colors.HexColor(theme.band_color))
        canv.rect(x, o - b, w, 10 * mm + b, stroke=0, fill=1)
    canv.restoreState()


def draw_crop_marks(canv, sheet: Sheet) -> None:
    """Trim marks at the four corners, in line with the trim edges, outside the bleed."""
    offset, w, h = sheet.offset, sheet.trim_w, sheet.trim_h
    canv.saveState()
    canv.setLineWidth(0.25)
    canv.setStrokeColor(colors.black)
    gap, length = sheet.bleed + 1 * mm, 5 * mm
    for x, dx in ((offset, -1), (offset + w, 1)):
        for y, dy in ((offset, -1), (offset + h, 1)):
            canv.line(x + dx * gap, y, x + dx * (gap + length), y)   # horizontal, beside the corner
            canv.line(x, y + dy * gap, x, y + dy * (gap + length))   # vertical, above or below it
    canv.restoreState()
