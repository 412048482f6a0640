"""Flowables for the PDF writer's block types: headings, paragraphs (with their
footnotes), figures and tables."""
from __future__ import annotations

import itertools
import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from builder.context import BuildContext
from builder.errors import ReportError
from builder.fonts import is_cjk
from builder.media.charts import vector
from builder.model import Chapter, Figure, Heading, Paragraph
from builder.model import Table as TableBlock
from builder.writers.pdf.notes import FootnotedParagraph, NoteZone, PlacedNote
from builder.writers.pdf.text import (CJK, CJK_BOLD, LATIN, LATIN_BOLD, SIZES, TextParagraph,
                                      nonspace_len, note_mark, runs_markup, text_markup)

CAPTION_GAP = "\u00a0\u00a0\u00a0"   # between "图 1-1" and the caption text
HEADER_FILL = colors.HexColor("#dfe6ef")
GRID = colors.HexColor("#8c8c8c")
PARAGRAPH_STYLES = ("body", "list", "quote", "note")


class HeadingParagraph(TextParagraph):
    """A heading; the document bookmarks it and lists it in the contents once placed."""
    heading: Heading | None = None
    chapter: Chapter | None = None
    in_contents: bool = False


def heading_flowable(heading: Heading, chapter: Chapter | None, styles, in_contents: bool,
                     look: int | None = None):
    """`look`: the heading level whose style to use, if not the heading's own."""
    level = min(look or heading.level, 3)
    para = HeadingParagraph(text_markup(heading.full_text, bold=True), styles[f"h{level}", heading.lang])
    para.heading, para.chapter, para.in_contents = heading, chapter, in_contents
    return para


def caption_markup(label: str, caption: str) -> str:
    return text_markup(label, bold=True) + text_markup(CAPTION_GAP + caption)


def paragraph_flowable(block: Paragraph, styles, zone: NoteZone) -> Flowable:
    """The paragraph; with footnotes, the paragraph and its notes (see notes.py)."""
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
        if run.again:   # its note is at the foot of the page of its first citation
            continue
        note = run.footnote
        text = note_mark(note.number) + "\u00a0" + runs_markup(note.runs)
        notes.append(PlacedNote(done, TextParagraph(text, styles["footnote", block.lang])))
    return FootnotedParagraph(para, notes, zone, block.line)


class ChartFlowable(Flowable):
    """A chart drawn from its cached operators (media.vector), scaled, its texts set in the
    PDF's fonts (CJK stretches in the CJK font, the rest in the Latin one, as in paragraphs). Its
    smallest text is MIN_TEXT_PT at scale 1: it is never drawn smaller than that."""

    def __init__(self, parts: tuple, width: float, height: float, scale: float):
        super().__init__()
        self.parts, self.scale = parts, scale
        self.width, self.height = width * scale, height * scale
        self.hAlign = "CENTER"
        self.min_scale = min(scale, 1.0)

    def wrap(self, aW, aH):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.transform(self.scale, 0, 0, self.scale, 0, 0)
        for part in self.parts:
            if isinstance(part, str):
                canv.addLiteral(part)
            else:
                _chart_text(canv, *part[1:])
        canv.restoreState()


def _chart_text(canv, x: float, y: float, anchor: str, size: float, text: str) -> None:
    runs = [(CJK if cjk else LATIN, "".join(chars)) for cjk, chars in itertools.groupby(text, is_cjk)]
    widths = [stringWidth(run, font, size) for font, run in runs]
    x -= sum(widths) * {"start": 0, "middle": 0.5, "end": 1}[anchor]
    for (font, run), width in zip(runs, widths):
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += width


class FigureBlock(Flowable):
    """Chart, caption and source as one unit that never splits. Where the chart does not fit
    the rest of the page at full size but does at MIN_SHRINK of it or more, it is drawn that
    much smaller instead of leaving the rest of the page empty."""

    MIN_SHRINK = 0.8
    too_tall_advice = "shorten its note"   # what a layout error suggests (parts.py)

    def __init__(self, chart: ChartFlowable, parts: list[Flowable], label: str = ""):
        super().__init__()
        self.chart, self.parts, self.hAlign, self.label = chart, parts, "CENTER", label
        self.full_scale = chart.scale
        self.full_size = (chart.width / chart.scale, chart.height / chart.scale)

    def _parts_height(self, aW: float) -> float:
        return sum(p.wrap(aW, 1e9)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in self.parts)

    def wrap(self, aW, aH):
        text_h = self._parts_height(aW)
        scale = self.full_scale
        room = aH - text_h
        shrunk = max(scale * self.MIN_SHRINK, self.chart.min_scale)
        if self.full_size[1] * scale > room >= self.full_size[1] * shrunk:
            scale = room / self.full_size[1]
        self.chart.scale = scale
        self.chart.width, self.chart.height = self.full_size[0] * scale, self.full_size[1] * scale
        self.width, self.height = aW, self.chart.height + text_h
        return self.width, self.height

    def split(self, aW, aH):
        return []   # a figure moves to the next page whole

    def identity(self, maxLen=None):
        """What a layout error names (parts.py)."""
        return f"{self.label} with its caption, note and source"

    def draw(self):
        y = self.height - self.chart.height
        self.chart.drawOn(self.canv, (self.width - self.chart.width) / 2, y)
        for part in self.parts:
            y -= part.getSpaceBefore() + part.height
            part.drawOn(self.canv, 0, y)
            y -= part.getSpaceAfter()


def figure_flowables(figure: Figure, styles, frame_w: float, frame_h: float,
                     ctx: BuildContext) -> list[Flowable]:
    """The chart at its print size (smaller only if the text is narrower or the chart
    too tall for the page), its caption, note and source, kept together."""
    width, height, parts = vector(figure.chart, ctx)
    # Drawn at the size it is printed (media.charts.print_size); smaller only where
    # the page's text is narrower, or the chart too tall for it.
    drawing = ChartFlowable(parts, width, height, min(1.0, frame_w / width, frame_h * 0.75 / height))
    caption = TextParagraph(caption_markup(figure.label, figure.caption), styles["caption", figure.lang])
    parts = [drawing, caption]
    for line, after in ((figure.note, 0), (figure.source, None)):   # as a table's source line, centred
        if line:
            para = TextParagraph(text_markup(line), styles["source", figure.lang])
            para.style = ParagraphStyle("fig-source", parent=para.style, alignment=TA_CENTER,
                                        spaceAfter=para.style.spaceAfter if after is None else after)
            parts.append(para)
    return [FigureBlock(drawing, parts[1:], figure.label)]


def text_width(text: str, size: float, bold: bool) -> float:
    """Natural width of text in the fonts it will be drawn with."""
    width = 0.0
    for ch in text:
        font = (CJK_BOLD if bold else CJK) if is_cjk(ch) else (LATIN_BOLD if bold else LATIN)
        width += stringWidth(ch, font, size)
    return width


def check_fits(table: TableBlock, total: float, pad: float) -> None:
    """A table whose unbreakable words cannot fit side by side would be clipped: refuse it."""
    def longest_word(text: str, bold: bool) -> float:
        words = re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+|[\u3000-\u9fff\uff00-\uffef]", text)
        return max((text_width(w, SIZES.table, bold) for w in words), default=0)

    need = sum(max([longest_word(table.header[c], True)] +
                   [longest_word(row[c], False) for row in table.rows if c < len(row)]) + 2 * pad
               for c in range(len(table.header)))
    if need > total:
        raise ReportError(f"{table.label} is too wide for the page: its {len(table.header)} columns need "
                          f"{need / mm:.0f} mm, the text is {total / mm:.0f} mm wide; split the table "
                          "or shorten its longest words")


def column_widths(table: TableBlock, total: float, pad: float) -> list[float]:
    """Fill the text width: narrow columns keep their natural width (plus a fair share of
    what is left), wide ones share the rest in proportion to their natural width."""
    n = len(table.header)
    check_fits(table, total, pad)
    natural = []
    for c in range(n):
        cells = [table.header[c]] + [row[c] for row in table.rows if c < len(row)]
        natural.append(max(text_width(t, SIZES.table, i == 0) for i, t in enumerate(cells)) + 2 * pad + 1)
    if sum(natural) <= total:
        extra = (total - sum(natural)) / n
        return [w + extra for w in natural]
    widths = [0.0] * n
    left, cols = total, list(range(n))
    while True:  # columns under their fair share are settled first
        share = left / len(cols)
        small = [c for c in cols if natural[c] <= share]
        if not small:
            break
        for c in small:
            widths[c] = natural[c]
            left -= natural[c]
            cols.remove(c)
        if not cols:
            return widths
    wide = sum(natural[c] for c in cols)
    for c in cols:
        widths[c] = left * natural[c] / wide
    return widths


def table_flowables(table: TableBlock, styles, frame_w: float) -> list[Flowable]:
    """Caption above, the table (header repeated on each page), source below."""
    lang = table.lang
    pad = 4
    caption = TextParagraph(caption_markup(table.label, table.caption), styles["caption", lang])
    caption.keepWithNext = 1

    def cell(text, col, bold=False):
        align = table.align[col] if col < len(table.align) else "left"
        return TextParagraph(text_markup(text, bold=bold), styles[f"cell-{align}", lang])

    data = [[cell(t, c, bold=True) for c, t in enumerate(table.header)]]
    data += [[cell(t, c) for c, t in enumerate(row)] for row in table.rows]
    # splitInRow: a row taller than a page is split across pages instead of failing.
    grid = Table(data, colWidths=column_widths(table, frame_w, pad), repeatRows=1, hAlign="CENTER",
                 splitInRow=1)
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), LATIN, SIZES.table),  # cell default is Helvetica, not embedded
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEABOVE", (0, 0), (-1, 0), 1.0, styles.accent),
        ("LINEBELOW", (0, -1), (-1, -1), 1.0, styles.accent),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]))
    out: list[Flowable] = [
        # Caption, header and a few rows, or a new page: never a caption alone at a foot.
        CondPageBreak(SIZES.caption * 3 + SIZES.table * 1.35 * 4 + 30),
        caption, grid]
    if table.source:
        out.append(TextParagraph(text_markup(table.source), styles["source", lang]))
    return out
