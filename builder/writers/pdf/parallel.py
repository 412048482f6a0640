"""The bilingual edition's parallel layout (paracol's behaviour): a chapter's pairs
(Chapter.rows), each a row of two columns, zh on the left and en on the right, both
starting at the same height. A row taller than the rest of the page is split, each
column where it must (a paragraph between lines, two at least on each side; a table
between rows); the footnotes of both columns go to the foot of the page where they are
cited. A figure drawn once with bilingual labels (Pair.chart) spans both columns with
both captions; the two versions of any other figure, and of a table too wide for a
column, are printed across the page, zh then en (a chart at half its width would be too
small to read). Figures float as in one language (floats.py): one that does not fit
waits while the rows after it fill the page."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from builder.errors import ReportError
from builder.model import Chapter, Figure, Heading, Pair, Paragraph, Table
from builder.words import BILINGUAL_SEP
from builder.writers.pdf.blocks import (FigureBlock, caption_markup, figure_flowables, heading_flowable,
                                        paragraph_flowable, table_flowables)
from builder.writers.pdf.document import Mark
from builder.writers.pdf.floats import mark_float
from builder.writers.pdf.notes import FootnotedParagraph, PlacedNote
from builder.writers.pdf.story import _anchored
from builder.writers.pdf.text import SIZES, TextParagraph, nonspace_len, text_markup

GAP = 7 * mm          # between the columns
SEP = BILINGUAL_SEP    # as the contents and the outline print a pair
HEADER_UNITS = 56


@dataclass
class Cell:
    """One column of a row: its flowables, the notes the first one (a paragraph) cites,
    and what to mark where it lands: (anchor, text, level, in contents) of a heading or
    ("anchor", "", 0, False) of a figure or table."""
    flowables: list[Flowable]
    notes: list[PlacedNote] = field(default_factory=list)
    marks: list[tuple] = field(default_factory=list)
    sizes: list[tuple[float, float]] = field(default_factory=list)

    def wrap(self, width: float, height: float) -> float:
        """The height of its flowables and the space between them (the row keeps the space
        after the last one, as a flowable's own)."""
        self.sizes = [f.wrap(width, height) for f in self.flowables]
        last = len(self.flowables) - 1
        return sum(h + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < last else 0)
                   for i, (f, (_, h)) in enumerate(zip(self.flowables, self.sizes)))

    def split(self, width: float, height: float) -> tuple[Cell, Cell]:
        """What fits in `height`, and the rest (either may hold no flowables)."""
        used = 0.0
        for i, f in enumerate(self.flowables):
            before = f.getSpaceBefore() if i else 0
            h = f.wrap(width, max(height - used - before, 0))[1]
            if used + before + h <= height:
                used += before + h + f.getSpaceAfter()
                continue
            room = height - used - before
            parts = f.split(width, room) if room > 0 else []
            if len(parts) < 2:
                return self.cut(self.flowables[:i], self.flowables[i:], None)
            return self.cut(self.flowables[:i] + parts[:1], parts[1:] + self.flowables[i + 1:],
                            parts[0] if i == 0 else None)
        return self, Cell([])

    def cut(self, first: list, rest: list, head) -> tuple[Cell, Cell]:
        """The notes go with the part of the paragraph that cites them."""
        if head is None:
            done = 0 if not first else 10 ** 9
        else:
            done = nonspace_len(head.getPlainText())
        inside = [n for n in self.notes if n.end <= done]
        later = [PlacedNote(n.end - done, n.paragraph) for n in self.notes if n.end > done]
        return Cell(first, inside, self.marks if first else []), Cell(rest, later, [] if first else self.marks)


class PairRow(FootnotedParagraph):
    """Two cells side by side, their tops level, with the notes they cite (the document
    takes them to the page foot, as a FootnotedParagraph's); marks the headings, figures
    and tables it holds where they land (bookmarks, contents, links), and, for a chapter's
    title row, the chapter whose title the running header shows."""

    def __init__(self, cells: list[Cell], zone, line: int | None = None, chapter: Chapter | None = None,
                 page_h: float = 0.0):
        Flowable.__init__(self)
        self.cells, self.zone, self.line, self.chapter = cells, zone, line, chapter
        self.page_h = page_h   # the frame's height: a row split on a page less full keeps both columns
        self.notes = [n for c in cells for n in c.notes]
        self.notes_h = 0.0
        self.para = None

    def identity(self, maxLen=None):
        return "a pair of blocks"

    def getSpaceBefore(self):
        return max((c.flowables[0].getSpaceBefore() for c in self.cells if c.flowables), default=0)

    def getSpaceAfter(self):
        return max((c.flowables[-1].getSpaceAfter() for c in self.cells if c.flowables), default=0)

    def column(self, width: float) -> float:
        return (width - GAP) / 2 if len(self.cells) == 2 else width

    def wrap(self, aW, aH):
        col = self.column(aW)
        self.body_h = max(c.wrap(col, aH) for c in self.cells)
        self.notes_h = self.zone.height_with(self.notes, aW)
        self.width, self.height = aW, self.body_h + self.notes_h
        return self.width, self.height

    def split(self, aW, aH):
        col = self.column(aW)
        for k in range(len(self.notes), -1, -1):
            reserve = self.zone.height_with(self.notes[:k], aW)
            halves = [c.split(col, aH - reserve) for c in self.cells]
            if not any(first.flowables for first, _ in halves):
                continue
            if aH < self.page_h * 0.9 and any(c.flowables and not f.flowables for c, (f, _) in zip(self.cells, halves)):
                return []   # a column would start on the next page: the whole row goes there
            notes = [n for first, _ in halves for n in first.notes]
            if self.zone.height_with(notes, aW) <= reserve:
                first = PairRow([f for f, _ in halves], self.zone, self.line, self.chapter, self.page_h)
                rest = [PairRow([r for _, r in halves], self.zone, self.line, page_h=self.page_h)]
                return [first] + (rest if any(r.flowables for _, r in halves) else [])
        return []

    def drawOn(self, canvas, x, y, _sW=0):
        doc = getattr(canvas, "_doctemplate", None)
        col = self.column(self.width)
        for i, cell in enumerate(self.cells):
            top = y + self.height
            for anchor, text, level, listed in cell.marks if doc is not None else []:
                doc.marks.append(Mark(anchor, text, level, doc.page - 1, x + i * (col + GAP), top + 4, listed))
        if doc is not None and self.chapter is not None:
            doc.chapter = self.chapter
        super().drawOn(canvas, x, y, _sW)

    def draw(self):
        col = self.column(self.width)
        for i, cell in enumerate(self.cells):
            left, y = i * (col + GAP), self.height
            for j, (f, (w, h)) in enumerate(zip(cell.flowables, cell.sizes)):
                y -= (f.getSpaceBefore() if j else 0) + h
                shift = (col - w) / 2 if getattr(f, "hAlign", "LEFT") == "CENTER" and w < col else 0
                f.drawOn(self.canv, left + shift, y)
                y -= f.getSpaceAfter()


@dataclass(frozen=True)
class Columns:
    """Where the rows are laid out: the document (styles, frame, notes, context), the
    chapter and whether its headings go in the contents."""
    doc: object
    chapter: Chapter
    in_contents: bool


def parallel_flowables(chapter: Chapter, doc, in_contents: bool) -> list[Flowable]:
    """A parallel chapter (Chapter.partner, Chapter.rows): its title row, then its rows."""
    place = Columns(doc, chapter, in_contents)
    partner = chapter.partner
    title = dataclasses.replace(chapter.heading, text=header_title(chapter), number="")
    header = dataclasses.replace(chapter, heading=title)   # what the running header shows
    row = _heading_row(Pair(chapter.heading, partner.heading), place, level_look=1)
    row.chapter = header
    out: list[Flowable] = [Spacer(1, 18 * mm), row]
    for pair in chapter.rows:
        out += row_flowables(pair, place)
    return out


def header_title(chapter: Chapter) -> str:
    """The running header's chapter title: in both languages where that fits half the
    header's width (about HEADER_UNITS Latin letters; a Chinese character counts 2.2)."""
    both = chapter.heading.full_text + SEP + chapter.partner.heading.full_text
    units = sum(2.2 if ord(c) > 0x2e80 else 1 for c in both)
    return both if units <= HEADER_UNITS else chapter.heading.full_text


def row_flowables(pair: Pair, place: Columns) -> list[Flowable]:
    kind = type(pair.zh if pair.zh is not None else pair.en)
    if kind is Heading:
        if (pair.zh or pair.en).level == 1:
            return [PageBreak(), _heading_row(pair, place)]
        return [_heading_row(pair, place)]
    if pair.chart is not None:
        return _spanning_figure(pair, place)
    if kind is Table:
        try:   # caption, header and a few rows, or a new page, as in one language
            return [CondPageBreak(SIZES.caption * 3 + SIZES.table * 1.35 * 4 + 30), _row(pair, place, _table_cell)]
        except ReportError:   # too wide for a column: across the page, one after the other
            frame_w = place.doc.frame_size[0]
            return [f for t in (pair.zh, pair.en) if t is not None
                    for f in _anchored(table_flowables(t, place.doc.styles, frame_w), t.anchor)]
    if kind is Figure:   # not one chart for both: each version across the page, zh then en
        return [f for figure in (pair.zh, pair.en) if figure is not None for f in _anchored(
            [mark_float(_whole(figure_flowables(figure, place.doc.styles, *place.doc.frame_size, place.doc.ctx)))],
            figure.anchor)]
    return [_row(pair, place, _paragraph_cell)]


def _row(pair: Pair, place: Columns, make) -> PairRow:
    width = (place.doc.frame_size[0] - GAP) / 2
    cells = [make(block, place, width) if block is not None else Cell([]) for block in (pair.zh, pair.en)]
    line = pair.zh.line if isinstance(pair.zh, Paragraph) else None
    return PairRow(cells, place.doc.zone, line, page_h=place.doc.frame_size[1])


def _heading_row(pair: Pair, place: Columns, level_look: int | None = None) -> PairRow:
    zh, en = pair.zh, pair.en
    listed = place.in_contents and (level_look == 1 or (zh or en).level <= 2)
    text = SEP.join(h.full_text for h in (zh, en) if h is not None)
    cells = []
    for i, heading in enumerate((zh, en)):
        if heading is None:
            cells.append(Cell([]))
            continue
        para = heading_flowable(heading, None, place.doc.styles, False, look=level_look)
        mark = (heading.anchor, text, heading.level, listed) if i == 0 or zh is None else (heading.anchor, "", 0, False)
        cells.append(Cell([para], marks=[mark]))
    row = PairRow(cells, place.doc.zone)
    row.keepWithNext = 1
    return row


def _paragraph_cell(block: Paragraph, place: Columns, width: float) -> Cell:
    flowable = paragraph_flowable(block, place.doc.styles, place.doc.zone)
    para = flowable.para if isinstance(flowable, FootnotedParagraph) else flowable
    return Cell([para], list(flowable.notes) if para is not flowable else [])


def _table_cell(block: Table, place: Columns, width: float) -> Cell:
    flowables = [f for f in table_flowables(block, place.doc.styles, width) if not isinstance(f, CondPageBreak)]
    return Cell(flowables, marks=[(block.anchor, "", 0, False)])


def _spanning_figure(pair: Pair, place: Columns) -> list[Flowable]:
    """The chart once across the page, then both captions, both notes, both sources."""
    doc = place.doc
    zh, en = pair.zh, pair.en
    drawn = figure_flowables(dataclasses.replace(zh, chart=pair.chart), doc.styles, *doc.frame_size, doc.ctx)[0]
    chart = drawn.chart if isinstance(drawn, FigureBlock) else drawn._content[0]
    lines: list[Flowable] = []
    for kind in ("caption", "note", "source"):
        for figure in (zh, en):
            lines += _figure_line(figure, kind, doc.styles)
    block = FigureBlock(chart, lines, drawn.label) if isinstance(drawn, FigureBlock) else KeepTogether([chart, *lines])
    row = PairRow([Cell([block], marks=[(zh.anchor, "", 0, False), (en.anchor, "", 0, False)])], doc.zone)
    return [mark_float(row)]   # waits for the next page while the text rows fill this one (floats.py)


def _whole(flowables: list[Flowable]) -> Flowable:
    return flowables[0] if len(flowables) == 1 else KeepTogether(flowables)


def _figure_line(figure: Figure, kind: str, styles) -> list[Flowable]:
    if kind == "caption":
        return [TextParagraph(caption_markup(figure.label, figure.caption), styles["caption", figure.lang])]
    text = figure.note if kind == "note" else figure.source
    if not text:
        return []
    para = TextParagraph(text_markup(text), styles["source", figure.lang])
    para.style = para.style.clone(f"fig-{kind}", alignment=1, spaceAfter=0 if kind == "note" or
                                  figure.lang == "zh" else para.style.spaceAfter)
    return [para]
