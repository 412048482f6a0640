"""PDF writer: lays out a Report with reportlab platypus.

Covers, front matter (roman page numbers), the contents (real page numbers, from
multiBuild), then the chapters (arabic numbers from 1) with running headers, footnotes at
the foot of their page, bookmarks and document metadata. Same inputs, same bytes.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                Spacer, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from builder.fonts import FontFiles
from builder.model import Chapter, Figure, Heading, Paragraph, Report, Table
from builder.writers.pdf_blocks import (CoverPage, HeadingParagraph, draw_cover_decoration,
                                        figure_flowables, heading_flowable, table_flowables)
from builder.writers.pdf_notes import FootnotedParagraph, NoteZone, PlacedNote
from builder.writers.pdf_text import (LATIN, LATIN_BOLD, SIZES, TextParagraph, make_styles,
                                      nonspace_len, note_mark, register_fonts, runs_markup,
                                      text_markup)

MARGIN = 25 * mm
HEADER_Y = 15 * mm   # from the top edge: baseline of the running header
FOOTER_Y = 12 * mm   # from the bottom edge: baseline of the page number
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
PARAGRAPH_STYLES = ("body", "list", "quote", "note")


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


class ReportDocTemplate(BaseDocTemplate):
    """Tracks what page headers, footers, the contents and the outline need to know."""

    def __init__(self, path: Path, report: Report, styles, **kw):
        super().__init__(str(path), **kw)
        self.report = report
        self.styles = styles
        self.zone = NoteZone()
        frame = Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = PageTemplate("cover", [frame], onPage=self.on_cover_page)
        front = PageTemplate("front", [frame], onPage=self.on_front_page, onPageEnd=self.end_front_page)
        main = PageTemplate("main", [frame], onPage=self.on_main_page, onPageEnd=self.end_main_page)
        self.addPageTemplates([cover, front, main] if report.covers else [front, main, cover])

    @property
    def frame_size(self) -> tuple[float, float]:
        return self.width, self.height

    # --- per pass ---------------------------------------------------------------
    def beforeDocument(self):
        self.front_first = None   # absolute page numbers where numbering restarts
        self.main_first = None
        self.chapter: Chapter | None = None
        self.zone.clear()

    def beforePage(self):
        # Frames are reused from page to page: undo the bottom raised for the last
        # page's notes (Frame._reset does not recompute it).
        for frame in self.pageTemplate.frames:
            frame._geom()
        self.zone.clear()

    # --- page decoration ----------------------------------------------------------
    def on_cover_page(self, canv, doc):
        if canv.getPageNumber() == 1:
            canv.addPageLabel(0, prefix="Cover")
        draw_cover_decoration(canv, doc)

    def on_front_page(self, canv, doc):
        if self.front_first is None:
            self.front_first = canv.getPageNumber()
            canv.addPageLabel(self.front_first - 1, "ROMAN_LOWER", 1)

    def on_main_page(self, canv, doc):
        if self.main_first is None:
            self.main_first = canv.getPageNumber()
            canv.addPageLabel(self.main_first - 1, "ARABIC", 1)

    def end_front_page(self, canv, doc):
        self.draw_notes(canv)
        self.draw_footer(canv, roman(canv.getPageNumber() - self.front_first + 1))

    def end_main_page(self, canv, doc):
        self.draw_notes(canv)
        self.draw_footer(canv, str(self.main_number(canv.getPageNumber())))
        if self.chapter is not None:
            self.draw_header(canv, self.chapter)

    def main_number(self, page: int) -> int:
        return page - self.main_first + 1

    def draw_notes(self, canv):
        self.zone.draw(canv, MARGIN, MARGIN, self.width)
        self.zone.clear()

    def draw_footer(self, canv, label: str):
        canv.saveState()
        canv.setFont(LATIN, 9.5)
        canv.drawCentredString(A4[0] / 2, FOOTER_Y, label)
        canv.restoreState()

    def draw_header(self, canv, chapter: Chapter):
        """Running title on the left, chapter title on the right, a thin rule below."""
        lang = chapter.lang
        style = self.styles["header", lang]
        half = self.width / 2 - 6
        left = TextParagraph(text_markup(self.report.running_titles.get(lang, "")), style)
        right = TextParagraph(text_markup(chapter.heading.full_text), style.clone("header-r", alignment=TA_RIGHT))
        top = A4[1] - HEADER_Y
        for para, x in ((left, MARGIN), (right, A4[0] - MARGIN - half)):
            _, h = para.wrap(half, 40)
            para.drawOn(canv, x, top - h + style.leading)
        canv.saveState()
        canv.setLineWidth(0.4)
        canv.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        canv.restoreState()

    # --- after each placed flowable -------------------------------------------------
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

    def mark_heading(self, flowable: HeadingParagraph):
        heading = flowable.heading
        canv = self.canv
        if heading.level == 1 and flowable.chapter is not None:
            self.chapter = flowable.chapter
        top = self.frame._y + flowable.getSpaceAfter() + flowable.height + 4
        canv.bookmarkPage(heading.anchor, fit="XYZ", left=self.frame._x1, top=top)
        if heading.level <= 2:
            canv.addOutlineEntry(heading.full_text, heading.anchor, level=heading.level - 1,
                                 closed=heading.level > 1)
            canv.showOutline()
        if flowable.in_contents and heading.level <= 2 and self.main_first is not None:
            self.notify("TOCEntry", (heading.level - 1, text_markup(heading.full_text, bold=heading.level == 1),
                                     self.main_number(canv.getPageNumber()), heading.anchor))


def paragraph_flowable(block: Paragraph, styles, zone: NoteZone):
    if block.style not in PARAGRAPH_STYLES:
        raise ValueError(f"unknown paragraph style {block.style!r}")
    para = TextParagraph(runs_markup(block.runs), styles[block.style, block.lang],
                         bulletText=block.bullet or None)
    if not block.footnotes:
        return para
    notes = []
    done = 0
    for run in block.runs:
        if run.footnote is None:
            done += nonspace_len(run.text)
            continue
        done += len(str(run.footnote.number))
        note = run.footnote
        text = note_mark(note.number) + "\u00a0" + runs_markup(note.runs)
        notes.append(PlacedNote(done, TextParagraph(text, styles["footnote", block.lang])))
    return FootnotedParagraph(para, notes, zone)


def chapter_flowables(chapter: Chapter, doc: ReportDocTemplate, in_contents: bool) -> list:
    styles = doc.styles
    frame_w, frame_h = doc.frame_size
    out = [Spacer(1, 18 * mm), heading_flowable(chapter.heading, chapter, styles, in_contents)]
    for block in chapter.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                out += [PageBreak(), Spacer(1, 18 * mm)]
            out.append(heading_flowable(block, chapter, styles, in_contents))
        elif isinstance(block, Paragraph):
            out.append(paragraph_flowable(block, styles, doc.zone))
        elif isinstance(block, Figure):
            out += figure_flowables(block, styles, frame_w, frame_h)
        elif isinstance(block, Table):
            out += table_flowables(block, styles, frame_w)
        else:
            raise TypeError(f"the PDF writer cannot draw {type(block).__name__}")
    return out


def contents_flowables(report: Report, styles) -> list:
    lang = report.langs[0]
    title = Heading(1, "", " / ".join(report.contents_titles), lang, "contents")
    toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
        ("FONT", (0, 0), (-1, -1), LATIN, 10),  # cell default is Helvetica, not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    base = styles["body", lang]
    toc.levelStyles = [
        base.clone("toc-1", fontName=LATIN_BOLD, fontSize=12, leading=20, firstLineIndent=0,
                   leftIndent=0, spaceBefore=6, alignment=0, wordWrap="CJK"),
        base.clone("toc-2", fontName=LATIN, fontSize=10.5, leading=17, firstLineIndent=0,
                   leftIndent=2 * SIZES.body_zh, alignment=0, wordWrap="CJK"),
    ]
    return [Spacer(1, 18 * mm), heading_flowable(title, None, styles, False), toc]


def build_story(report: Report, doc: ReportDocTemplate) -> list:
    story: list = []

    def new_page(template: str | None = None):
        if template:
            story.append(NextPageTemplate(template))
        if any(not isinstance(f, NextPageTemplate) for f in story):
            story.append(PageBreak())

    for cover in report.covers:
        new_page()
        story.append(CoverPage(cover))
    new_page("front")
    for i, chapter in enumerate(report.front):
        if i:
            new_page()
        story += chapter_flowables(chapter, doc, in_contents=False)
    if report.front:
        new_page()
    story += contents_flowables(report, doc.styles)
    new_page("main")
    for i, chapter in enumerate(report.chapters):
        if i:
            new_page()
        story += chapter_flowables(chapter, doc, in_contents=chapter.in_contents)
    return story


def pdf_characters(report: Report) -> set[str]:
    """Every character the PDF will print, for prepare_pdf_fonts."""
    texts = [*report.contents_titles, " / ", *report.running_titles.values(), "0123456789ivxlcdm. "]
    for cover in report.covers:
        texts += [cover.title, cover.subtitle, cover.date, cover.institute]
    for chapter in [*report.front, *report.chapters]:
        texts.append(chapter.heading.full_text)
        for block in chapter.blocks:
            if isinstance(block, Heading):
                texts.append(block.full_text)
            elif isinstance(block, Paragraph):
                texts += [block.bullet, *(r.text for r in block.runs)]
                texts += [r.text for n in block.footnotes for r in n.runs]
            elif isinstance(block, Figure):
                texts += [block.label, block.caption, block.source]
            elif isinstance(block, Table):
                texts += [block.label, block.caption, block.source, *block.header,
                          *(c for row in block.rows for c in row)]
    return set("".join(texts))


def write_pdf(report: Report, path: Path, fonts: FontFiles) -> int:
    """Write the report as PDF to `path`; return the page count."""
    register_fonts(fonts)
    styles = make_styles()
    main_lang = report.langs[0] if report.langs else "zh"
    doc = ReportDocTemplate(
        Path(path), report, styles, pagesize=A4,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=report.title, author=report.author,
        subject=report.covers[0].subtitle if report.covers else report.title,
        creator="report", lang=LANG_TAGS.get(main_lang, main_lang),
        # Without initialFontName every page would reference a non-embedded Helvetica.
        initialFontName=LATIN, invariant=1, displayDocTitle=True)
    doc.multiBuild(build_story(report, doc))
    return doc.page
