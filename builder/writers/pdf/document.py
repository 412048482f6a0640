"""PDF writer: lays out a Report with reportlab platypus, in parts.

Covers, front matter (roman page numbers), the contents, then the chapters (arabic numbers
from 1) with running headers, footnotes at the foot of their page, bookmarks and document
metadata. Each chapter is laid out on its own and cached (a part); then the front part,
whose contents list the page numbers the chapter parts found; pypdf assembles the parts.
An extract has a title block and its own contents instead of covers and front matter,
and its chapters keep the page numbers they have in the full report (Chapter.first_page).
Print options set the paper, margins, blank pages for duplex printing, and a bleed with
crop marks. Same inputs, same bytes, whether parts come from the cache or not.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (ActionFlowable, BaseDocTemplate, Frame, NextPageTemplate, PageBreak,
                                PageTemplate, Spacer, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from builder.cache import cache_key, load, store
from builder.fonts import FontFiles, is_cjk
from builder.model import Chapter, Figure, Heading, Paragraph, PrintOptions, Report, Table
from builder.writers.pdf.blocks import (CoverPage, HeadingParagraph, draw_cover_decoration,
                                        draw_crop_marks, figure_flowables, heading_flowable,
                                        table_flowables, title_block_flowables)
from builder.writers.pdf.notes import FootnotedParagraph, NoteZone, PlacedNote
from builder.writers.pdf.text import (CJK, CJK_BOLD, LATIN, LATIN_BOLD, SIZES, TextParagraph, make_styles,
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
    follows the break starts on a right-hand page. `at_end`: the part ends here, so the
    blank page is started now (reportlab drops a page nothing was placed on)."""

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
    """Lays out one part of the PDF (see write_pdf) and records what assembling the parts
    needs: where each heading landed, page label changes, and the contents' links."""

    def __init__(self, path, report: Report, styles, options: PrintOptions, first_template: str,
                 first_number: int = 1, glyphs: tuple[str, str] = ("", ""), **kw):
        self.options = options
        self.glyphs = glyphs
        self.trim_w, self.trim_h = options.page_size
        self.bleed = options.bleed * mm if options.crop_marks else 0.0
        self.offset = self.bleed + SLUG if options.crop_marks else 0.0   # trim box origin
        self.margin = options.margins * mm
        o, m = self.offset, self.margin
        super().__init__(path, pagesize=(self.trim_w + 2 * o, self.trim_h + 2 * o),
                         leftMargin=o + m, rightMargin=o + m, topMargin=o + m, bottomMargin=o + m, **kw)
        self.report = report
        self.styles = styles
        self.first_number = first_number   # printed number of a chapter part's first page
        self.zone = NoteZone()
        frame = Frame(o + m, o + m, self.trim_w - 2 * m, self.trim_h - 2 * m, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = {"cover": self.end_cover_page, "title": self.end_title_page,
                     "front": self.end_front_page, "main": self.end_main_page}
        self.addPageTemplates(sorted((PageTemplate(name, [frame], onPage=self.start_page, onPageEnd=end)
                                      for name, end in templates.items()), key=lambda t: t.id != first_template))

    @property
    def frame_size(self) -> tuple[float, float]:
        return self.width, self.height

    # --- per pass ---------------------------------------------------------------
    def beforeDocument(self):
        # Every part gives each character the same place in the same font subsets, so the
        # parts embed identical fonts, which assembling them keeps once. (The fonts are
        # named in a fixed order too: reportlab names them F1, F2... as they are first used.)
        regular, bold = self.glyphs
        for name, chars in ((LATIN, regular), (LATIN_BOLD, bold), (CJK, regular), (CJK_BOLD, bold)):
            mine = "".join(c for c in chars if is_cjk(c) == name.startswith(CJK))
            if mine:   # (a font never used is not embedded)
                font = pdfmetrics.getFont(name)
                font.splitString(mine, self.canv._doc)
                font.getSubsetInternalName(0, self.canv._doc)
        self.front_first = None   # page where roman numbering starts
        self.labels: list[tuple] = []   # (page index, style, start, prefix) where page labels change
        self.marks: list[Mark] = []
        self.chapter: Chapter | None = None
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
            self.labels.append((page - 1, "/r", 1, None))
        elif template == "main" and page == 1:
            self.labels.append((0, "/D", self.first_number, None))
        elif page == 1:
            self.labels.append((0, None, None, "Cover" if template == "cover" else "Title"))
        if self.offset:
            o, b, w, h = self.offset, self.bleed, self.trim_w, self.trim_h
            canv.setTrimBox((o, o, o + w, o + h))
            canv.setBleedBox((o - b, o - b, o + w + b, o + h + b))

    def end_page(self, canv) -> bool:
        """Common page end: crop marks; False for a blank page."""
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
        return page - 1 + self.first_number

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
        if heading.level == 1 and flowable.chapter is not None:
            self.chapter = flowable.chapter
        top = self.frame._y + flowable.getSpaceAfter() + flowable.height + 4
        self.marks.append(Mark(heading.anchor, heading.full_text, heading.level, self.page - 1,
                               self.frame._x1, top, flowable.in_contents and heading.level <= 2))


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


def contents_flowables(report: Report, styles, entries: list[tuple]) -> list:
    """`entries`: (level, markup, page number, anchor), known before the contents are laid
    out since the chapters are laid out first."""
    lang = report.langs[0]
    level = 2 if report.title_blocks else 1   # an extract's contents sit below its title block
    title = Heading(1, "", " / ".join(report.contents_titles), lang, "contents")
    toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
        ("FONT", (0, 0), (-1, -1), LATIN, 10),  # cell default is Helvetica, not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    toc._lastEntries = entries   # what a second multiBuild pass would draw
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


def front_story(report: Report, doc: ReportDocTemplate, entries: list[tuple]) -> list:
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
            story.append(CoverPage(cover))
        new_page("front")
        for i, chapter in enumerate(report.front):
            if i:
                new_page()
            story += chapter_flowables(chapter, doc, in_contents=False)
        if report.front:
            new_page()
    story += contents_flowables(report, doc.styles, entries)
    if doc.options.duplex:
        story.append(RectoPad(at_end=True))   # the first chapter starts on a right-hand page
    return story


def pdf_characters(report: Report) -> tuple[set[str], set[str]]:
    """The characters the PDF prints: (all of them, those printed in bold)."""
    texts = [*report.contents_titles, " / ", "0123456789ivxlcdm. "]
    texts += [report.running_titles.get(lang, "") for lang in report.langs]
    bold = [*report.contents_titles, " / ", "0123456789. "]   # the contents' heading and chapter entries
    for cover in report.covers:
        texts += [cover.subtitle, cover.date, cover.institute]   # (the institute is also in
        bold += [cover.title, cover.institute]                   # an extract's title block)
    for block in report.title_blocks:
        texts += [block.kicker, block.edition, block.institute, block.note]
        bold += [block.title, *block.chapters]
    for chapter in [*report.front, *report.chapters]:
        bold.append(chapter.heading.full_text)
        for block in chapter.blocks:
            if isinstance(block, Heading):
                bold.append(block.full_text)
            elif isinstance(block, Paragraph):
                runs = [*block.runs, *(r for n in block.footnotes for r in n.runs)]
                texts += [block.bullet, *(r.text for r in runs if not r.bold)]
                bold += [r.text for r in runs if r.bold]
            elif isinstance(block, Figure):
                texts += [block.caption, block.source]
                bold.append(block.label)
            elif isinstance(block, Table):
                texts += [block.caption, block.source, *(c for row in block.rows for c in row)]
                bold += [block.label, *block.header]
    bold_chars = set("".join(bold))
    return set("".join(texts)) | bold_chars, bold_chars


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


@dataclass
class Part:
    """A laid-out piece of the PDF: the front (covers, front matter, contents) or one
    chapter. Kept in the cache, so an edit lays out only the chapters it changed."""
    pdf: bytes
    pages: int
    marks: list[Mark]
    labels: list[tuple]     # (page index, style, start, prefix) where page labels change
    links: list[tuple]      # (page index, rectangle, anchor) of the contents' entries
    fonts: dict[str, str]   # font resource name -> which subset of which font file


class PartCanvas(Canvas):
    """Records, for assembling the parts: the contents' links to headings in other parts
    (reportlab refuses a link to a name it never saw), and which font subset each font
    resource name stands for."""

    def __init__(self, *args, links: list, fonts: dict, **kw):
        super().__init__(*args, **kw)
        self.links, self.fonts = links, fonts

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, **kw):
        self.links.append((self.getPageNumber() - 1, self._absRect(Rect, relative), destinationname))

    def save(self):
        for name in (LATIN, LATIN_BOLD, CJK, CJK_BOLD):
            font = pdfmetrics.getFont(name)
            state = font.state.get(self._doc)
            for n, subset in enumerate(state.subsets if state else []):
                identity = hashlib.sha256(repr((font.face.filename, n, subset)).encode()).hexdigest()
                self.fonts[f"/{state.internalName}+{n}"] = identity
        super().save()


def lay_out(report: Report, fonts: FontFiles, options: PrintOptions, glyphs: tuple[str, str], first_template: str,
            make_story: Callable[[ReportDocTemplate], list], first_number: int = 1) -> Part:
    register_fonts(fonts)
    out = io.BytesIO()
    doc = ReportDocTemplate(out, report, make_styles(), options, first_template, first_number, glyphs,
                            initialFontName=LATIN,   # else pages would name a non-embedded Helvetica
                            invariant=1)
    links: list = []
    font_names: dict = {}
    doc.build(make_story(doc), canvasmaker=functools.partial(PartCanvas, links=links, fonts=font_names))
    return Part(out.getvalue(), doc.page, doc.marks, doc.labels, links, font_names)


def cached_part(cache: Path | None, key: str, make: Callable[[], Part]) -> Part:
    path = cache / f"{key}.pickle" if cache else None
    part = load(path) if path else None
    if not isinstance(part, Part):
        part = make()
        if path:
            store(path, part)
    return part


def fonts_stamp(fonts: FontFiles) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in dataclasses.astuple(fonts))


def chapter_parts(report: Report, fonts: FontFiles, options: PrintOptions, glyphs: tuple[str, str],
                  cache: Path | None) -> list[tuple[int, Part]]:
    """(printed number of its first page, part) of each chapter, laid out on its own and
    numbered from where the one before ends (or from Chapter.first_page in an extract). A
    chapter is laid out again only if it, its first page number or how it is printed changed."""
    parts = []
    number = 1
    stamp = fonts_stamp(fonts), hashlib.sha256(repr(glyphs).encode()).hexdigest()
    for i, chapter in enumerate(report.chapters):
        number = chapter.first_page or number
        pad = options.duplex and i < len(report.chapters) - 1   # next chapter on a right-hand page

        def story(doc, chapter=chapter, pad=pad):
            return chapter_flowables(chapter, doc, chapter.in_contents) + ([RectoPad(at_end=True)] if pad else [])
        key = cache_key("chapter", dataclasses.replace(chapter, first_page=None), number, pad,
                        report.running_titles.get(chapter.lang, ""), options, stamp)
        part = cached_part(cache, key, lambda: lay_out(report, fonts, options, glyphs, "main", story, number))
        parts.append((number, part))
        number += part.pages
    return parts


def contents_entries(parts: list[tuple[int, Part]]) -> list[tuple]:
    return [(m.level - 1, text_markup(m.text, bold=m.level == 1), first + m.page, m.anchor)
            for first, part in parts for m in part.marks if m.in_contents]


def ordered(glyphs: tuple[set[str], set[str]]) -> tuple[str, str]:
    return "".join(sorted(glyphs[0])), "".join(sorted(glyphs[1]))


def write_pdf(report: Report, path: Path, fonts: FontFiles, options: PrintOptions = PrintOptions(),
              cache: Path | None = None, glyphs: tuple[set[str], set[str]] | None = None) -> int:
    """Write the report as PDF to `path`; return the page count.

    The chapters are laid out first, each on its own (see chapter_parts), then the front
    with the contents, whose page numbers are then known; the parts are assembled into one
    file with the outline, page labels and the contents' links. `cache`: a folder where
    parts are kept between builds. `glyphs`: the characters the fonts carry (default: the
    report's); an extract passes its full report's, so that it reuses its chapters."""
    glyphs = ordered(glyphs or pdf_characters(report))
    chapters = chapter_parts(report, fonts, options, glyphs, cache)
    entries = contents_entries(chapters)
    key = cache_key("front", report.covers, report.front, report.title_blocks, report.contents_titles,
                    report.langs, entries, options, fonts_stamp(fonts), glyphs)
    front = cached_part(cache, key, lambda: lay_out(
        report, fonts, options, glyphs, "title" if report.title_blocks else "cover" if report.covers else "front",
        lambda doc: front_story(report, doc, entries)))
    return assemble(report, [front, *(part for _, part in chapters)], path)


def chapter_pages(report: Report, fonts: FontFiles, options: PrintOptions = PrintOptions(),
                  cache: Path | None = None, glyphs: tuple[set[str], set[str]] | None = None) -> dict:
    """(chapter id, lang) -> printed number of the chapter's first page."""
    parts = chapter_parts(report, fonts, options, ordered(glyphs or pdf_characters(report)), cache)
    return {(chapter.id, chapter.lang): first for chapter, (first, _) in zip(report.chapters, parts)}


def page_fonts(page) -> dict:
    resources = page["/Resources"]
    return resources["/Font"] if "/Font" in resources else {}


def assemble(report: Report, parts: list[Part], path: Path) -> int:
    """One PDF of the parts' pages, with page labels, outline, links and metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import ArrayObject, ByteStringObject, Fit, NameObject, TextStringObject

    writer = PdfWriter()
    starts = []
    digest = hashlib.md5()
    fonts: dict[str, object] = {}   # the parts' fonts are the same (see beforeDocument): copy each once
    for part in parts:
        starts.append(len(writer.pages))
        digest.update(part.pdf)
        for page in PdfReader(io.BytesIO(part.pdf)).pages:
            used = page_fonts(page)
            for name in list(used):
                same = fonts.get(part.fonts[name])
                if same is not None:
                    used[NameObject(name)] = same
            for name, ref in page_fonts(writer.add_page(page)).items():
                fonts.setdefault(part.fonts[name], ref)
    total = len(writer.pages)

    labels = [(start + i, style, first, prefix) for start, part in zip(starts, parts)
              for i, style, first, prefix in part.labels]
    kept = []   # a chapter part's label that only goes on counting is left out
    for index, style, first, prefix in labels:
        if kept and style == kept[-1][1] == "/D" and first == kept[-1][2] + index - kept[-1][0]:
            continue
        kept.append((index, style, first, prefix))
    for (index, style, first, prefix), end in zip(kept, [k[0] for k in kept[1:]] + [total]):
        writer.set_page_label(index, end - 1, style=style, prefix=prefix, start=first)

    where = {}
    parent = None
    for start, part in zip(starts, parts):
        for mark in part.marks:
            page = start + mark.page
            where[mark.anchor] = (page, Fit.xyz(mark.left, mark.top, 0))
            if mark.level == 1:
                parent = writer.add_outline_item(title=mark.text, page_number=page, fit=where[mark.anchor][1])
            elif mark.level == 2:
                writer.add_outline_item(title=mark.text, page_number=page, parent=parent,
                                        fit=where[mark.anchor][1], is_open=False)
    for start, part in zip(starts, parts):
        for index, rect, anchor in part.links:
            page, fit = where[anchor]
            writer.add_annotation(start + index, Link(rect=rect, target_page_index=page, fit=fit))

    lang = report.langs[0] if report.langs else "zh"
    writer.add_metadata({"/Title": report.title, "/Author": report.author, "/Creator": "report",
                         "/Producer": "report (reportlab, pypdf)",
                         "/Subject": report.covers[0].subtitle if report.covers else report.title})
    writer.root_object[NameObject("/Lang")] = TextStringObject(LANG_TAGS.get(lang, lang))
    writer.create_viewer_preferences().display_doctitle = True
    writer.page_mode = "/UseOutlines"
    writer._ID = ArrayObject([ByteStringObject(digest.digest())] * 2)   # same parts, same bytes
    with open(path, "wb") as file:
        writer.write(file)
    return total
