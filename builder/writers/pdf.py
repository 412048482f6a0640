"""PDF writer: lays out a Report with reportlab platypus.

Covers, front matter (roman page numbers), the contents (real page numbers, from
multiBuild), then the chapters (arabic numbers from 1) with running headers, footnotes at
the foot of their page, bookmarks and document metadata. An extract has a title block and
its own contents instead of covers and front matter, and its chapters keep the page
numbers they have in the full report (Chapter.first_page). Print options set the paper,
margins, blank pages for duplex printing, and a bleed with crop marks. Same inputs, same
bytes.
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import (ActionFlowable, BaseDocTemplate, Frame, NextPageTemplate, PageBreak,
                                PageTemplate, Spacer, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from builder.fonts import FontFiles
from builder.model import Chapter, Figure, Heading, Paragraph, PrintOptions, Report, Table
from builder.writers.pdf_blocks import (CoverPage, HeadingParagraph, draw_cover_decoration,
                                        draw_crop_marks, figure_flowables, heading_flowable,
                                        table_flowables, title_block_flowables)
from builder.writers.pdf_notes import FootnotedParagraph, NoteZone, PlacedNote
from builder.writers.pdf_text import (LATIN, LATIN_BOLD, SIZES, TextParagraph, make_styles,
                                      nonspace_len, note_mark, register_fonts, runs_markup,
                                      text_markup)

HEADER_Y = 0.6     # of the margin, from the top edge: baseline of the running header
FOOTER_Y = 0.48    # of the margin, from the bottom edge: baseline of the page number
SLUG = 7 * mm      # with crop marks: room for the marks outside the bleed
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


class RectoPad(ActionFlowable):
    """Before a page break when printing on both sides: if the page just filled is a
    right-hand (odd) one, end it and leave the next, left-hand page blank, so that what
    follows the break starts on a right-hand page."""

    def apply(self, doc):
        if doc.page % 2 == 1:
            doc.blank_pages.add(doc.page + 1)
            doc.handle_pageBreak()


class ReportDocTemplate(BaseDocTemplate):
    """Tracks what page headers, footers, the contents and the outline need to know."""

    def __init__(self, path, report: Report, styles, options: PrintOptions, **kw):
        self.options = options
        self.trim_w, self.trim_h = options.page_size
        self.bleed = options.bleed * mm if options.crop_marks else 0.0
        self.offset = self.bleed + SLUG if options.crop_marks else 0.0   # trim box origin
        self.margin = options.margins * mm
        o, m = self.offset, self.margin
        super().__init__(path, pagesize=(self.trim_w + 2 * o, self.trim_h + 2 * o),
                         leftMargin=o + m, rightMargin=o + m, topMargin=o + m, bottomMargin=o + m, **kw)
        self.report = report
        self.styles = styles
        self.zone = NoteZone()
        frame = Frame(o + m, o + m, self.trim_w - 2 * m, self.trim_h - 2 * m, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = PageTemplate("cover", [frame], onPage=self.start_page, onPageEnd=self.end_cover_page)
        title = PageTemplate("title", [frame], onPage=self.start_page, onPageEnd=self.end_title_page)
        front = PageTemplate("front", [frame], onPage=self.start_page, onPageEnd=self.end_front_page)
        main = PageTemplate("main", [frame], onPage=self.start_page, onPageEnd=self.end_main_page)
        if report.title_blocks:
            self.addPageTemplates([title, main, front, cover])
        else:
            self.addPageTemplates([cover, front, main] if report.covers else [front, main, cover])

    @property
    def frame_size(self) -> tuple[float, float]:
        return self.width, self.height

    # --- per pass ---------------------------------------------------------------
    def beforeDocument(self):
        self.front_first = None   # absolute page numbers where numbering restarts
        self.main_first = None
        self.main_base = 0        # printed main page number = absolute page - main_base
        self.label = None         # (style, start, prefix) where the page labels change here
        self.chapter: Chapter | None = None
        self.chapter_starts: dict[tuple[str, str], int] = {}
        self.blank_pages: set[int] = set()
        self.zone.clear()

    def beforePage(self):
        # Frames are reused from page to page: undo the bottom raised for the last
        # page's notes (Frame._reset does not recompute it).
        for frame in self.pageTemplate.frames:
            frame._geom()
        self.zone.clear()

    # --- page decoration ----------------------------------------------------------
    # Everything is drawn at page end, when it is known whether the page stays blank.
    def start_page(self, canv, doc):
        page = canv.getPageNumber()
        template = self.pageTemplate.id
        if template == "front" and self.front_first is None:
            self.front_first = page
            self.label = ("ROMAN_LOWER", 1, None)
        elif template == "main" and self.main_first is None:
            self.main_first = page
            self.main_base = page - 1
            self.label = ("ARABIC", 1, None)
        elif page == 1:
            self.label = (None, None, "Cover" if template == "cover" else "Title")
        if self.offset:
            o, b, w, h = self.offset, self.bleed, self.trim_w, self.trim_h
            canv.setTrimBox((o, o, o + w, o + h))
            canv.setBleedBox((o - b, o - b, o + w + b, o + h + b))

    def end_page(self, canv) -> bool:
        """Common page end: page label, crop marks; False for a blank page."""
        if self.label is not None:
            canv.addPageLabel(canv.getPageNumber() - 1, *self.label)
            self.label = None
        if self.offset:
            draw_crop_marks(canv, self.offset, self.bleed, self.trim_w, self.trim_h)
        return canv.getPageNumber() not in self.blank_pages

    def end_cover_page(self, canv, doc):
        if self.end_page(canv):
            draw_cover_decoration(canv, self)

    def end_title_page(self, canv, doc):
        if self.end_page(canv):
            draw_cover_decoration(canv, self, slim=True)

    def end_front_page(self, canv, doc):
        if self.end_page(canv):
            self.draw_notes(canv)
            self.draw_footer(canv, roman(canv.getPageNumber() - self.front_first + 1))

    def end_main_page(self, canv, doc):
        if self.end_page(canv):
            self.draw_notes(canv)
            self.draw_footer(canv, str(self.main_number(canv.getPageNumber())))
            if self.chapter is not None:
                self.draw_header(canv, self.chapter)

    def main_number(self, page: int) -> int:
        return page - self.main_base

    def draw_notes(self, canv):
        self.zone.draw(canv, self.leftMargin, self.bottomMargin, self.width)
        self.zone.clear()

    def draw_footer(self, canv, label: str):
        canv.saveState()
        canv.setFont(LATIN, 9.5)
        canv.drawCentredString(self.offset + self.trim_w / 2, self.offset + FOOTER_Y * self.margin, label)
        canv.restoreState()

    def draw_header(self, canv, chapter: Chapter):
        """Running title on the left, chapter title on the right, a thin rule below."""
        lang = chapter.lang
        style = self.styles["header", lang]
        half = self.width / 2 - 6
        left = TextParagraph(text_markup(self.report.running_titles.get(lang, "")), style)
        right = TextParagraph(text_markup(chapter.heading.full_text), style.clone("header-r", alignment=TA_RIGHT))
        top = self.offset + self.trim_h - HEADER_Y * self.margin
        left_x, right_x = self.leftMargin, self.leftMargin + self.width
        for para, x in ((left, left_x), (right, right_x - half)):
            _, h = para.wrap(half, 40)
            para.drawOn(canv, x, top - h + style.leading)
        canv.saveState()
        canv.setLineWidth(0.4)
        canv.line(left_x, top - 4, right_x, top - 4)
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
        chapter = flowable.chapter
        if heading.level == 1 and chapter is not None:
            self.chapter = chapter
            if heading is chapter.heading and chapter.in_contents:
                page = canv.getPageNumber()
                if chapter.first_page is not None:   # an extract: numbered as in the full report
                    self.main_base = page - chapter.first_page
                    self.label = ("ARABIC", chapter.first_page, None)
                self.chapter_starts[chapter.id, chapter.lang] = self.main_number(page)
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
    level = 2 if report.title_blocks else 1   # an extract's contents sit below its title block
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
    heading = heading_flowable(title, None, styles, False, look=level)
    # Not kept with the contents list: a list longer than a page cannot be kept with
    # anything, and reportlab would push both to the next page, leaving a blank one.
    heading.keepWithNext = 0
    return [Spacer(1, 18 * mm if level == 1 else 6 * mm), heading, toc]


def build_story(report: Report, doc: ReportDocTemplate) -> list:
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
        story += contents_flowables(report, doc.styles)
    else:
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


def pdf_document(report: Report, out, fonts: FontFiles, options: PrintOptions) -> ReportDocTemplate:
    register_fonts(fonts)
    styles = make_styles()
    main_lang = report.langs[0] if report.langs else "zh"
    return ReportDocTemplate(
        out, report, styles, options,
        title=report.title, author=report.author,
        subject=report.covers[0].subtitle if report.covers else report.title,
        creator="report", lang=LANG_TAGS.get(main_lang, main_lang),
        # Without initialFontName every page would reference a non-embedded Helvetica.
        initialFontName=LATIN, invariant=1, displayDocTitle=True)


def write_pdf(report: Report, path: Path, fonts: FontFiles, options: PrintOptions = PrintOptions(),
              contents_cache: Path | None = None) -> int:
    """Write the report as PDF to `path`; return the page count.

    The contents page needs the page numbers of what follows it, so reportlab lays the
    document out until they stop changing: twice. `contents_cache` keeps the entries of
    the last build of this document; starting from them, one pass is enough unless an
    edit moved a heading to another page (then it takes the passes it needs, and the
    result is the same as without the cache)."""
    doc = pdf_document(report, str(path), fonts, options)
    story = build_story(report, doc)
    toc = next(f for f in story if isinstance(f, TableOfContents))
    if contents_cache is not None and contents_cache.exists():
        toc._entries = [tuple(e) for e in json.loads(contents_cache.read_text(encoding="utf-8"))]
    doc.multiBuild(story)
    if contents_cache is not None:
        contents_cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = contents_cache.with_name(f".{contents_cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(toc._entries, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, contents_cache)
    return doc.page


def chapter_pages(report: Report, fonts: FontFiles, options: PrintOptions = PrintOptions()) -> dict:
    """(chapter id, lang) -> printed number of the chapter's first page, from one layout
    pass (chapter page numbers do not depend on what the contents list holds)."""
    doc = pdf_document(report, io.BytesIO(), fonts, options)
    doc.build(build_story(report, doc))
    return dict(doc.chapter_starts)
