"""The bilingual edition's parallel layout in Word: a chapter is one borderless table of
two columns, a row per pair (Chapter.rows), zh on the left and en on the right, which
Word users edit as text (a row splits across pages; footnotes stay Word footnotes). The
blocks are written into the cells by the writer's own block writers. A figure is a row of
one merged cell: drawn once with bilingual labels (Pair.chart) and both captions, or its
two versions one above the other."""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from docx.shared import Emu

from builder.model import Chapter, Figure, Heading, Pair
from builder.writers import handler
from builder.writers.docx.blocks import BLOCK_WRITERS, Draft, write_heading
from builder.writers.docx.captions import add_caption
from builder.writers.docx.pages import text_width
from builder.writers.docx.runs import add_text
from builder.writers.docx.wml import wml

GAP = 360_000      # EMU (1 cm) between the columns: each cell's inner margin on that side
AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                    "w:tblPrChange")   # children of w:tblPr, in schema order
# No cell margins but the gap's: the default's 1.9 mm a side would narrow the columns
# against the PDF's, and run the text onto more lines.
NO_MARGINS = ('<w:tblCellMar>' + "".join(f'<w:{side} w:w="0" w:type="dxa"/>' for side in
                                         ("top", "left", "bottom", "right")) + '</w:tblCellMar>')
AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
NO_BORDERS = ('<w:tblBorders>' + "".join(f'<w:{side} w:val="nil"/>' for side in
                                          ("top", "left", "bottom", "right", "insideH", "insideV"))
              + '</w:tblBorders>')


class CellDoc:
    """A table cell seen as the document the block writers write into: paragraphs and
    tables are added to the cell, and the text width is the cell's."""

    def __init__(self, cell, width: int):
        self.cell = cell
        self.sections = [SimpleNamespace(page_width=Emu(width), left_margin=Emu(0), right_margin=Emu(0))]

    def add_paragraph(self, text: str = "", style=None):
        return self.cell.add_paragraph(text, style)

    def add_table(self, rows: int, cols: int, style=None):
        table = self.cell.add_table(rows, cols)
        if style is not None:
            table.style = style
        return table


def write_parallel(draft: Draft, chapter: Chapter) -> None:
    """The chapter and its partner (Chapter.partner) side by side, row by row."""
    draft.sequences = set()   # captions number from 1 in each chapter (see captions.add_caption)
    width = int(text_width(draft.doc))
    table = draft.doc.add_table(rows=0, cols=2)
    table.autofit = False
    table._tbl.tblPr.insert_element_before(wml(NO_BORDERS), *AFTER_TBLBORDERS)
    table._tbl.tblPr.insert_element_before(wml(NO_MARGINS), *AFTER_TBLCELLMAR)
    column = (width - GAP) // 2
    for col, grid in zip(table.columns, table._tbl.tblGrid.gridCol_lst):
        grid.w = Emu(column + GAP // 2)
    _write_row(draft, table, Pair(chapter.heading, chapter.partner.heading), column, style="Heading 1")
    for pair in chapter.rows:
        _write_row(draft, table, pair, column)
    draft.doc.add_paragraph()   # Word needs a paragraph after a table before the next section


def _write_row(draft: Draft, table, pair: Pair, column: int, style: str | None = None) -> None:
    row = table.add_row()
    cells = row.cells
    for i, cell in enumerate(cells):
        cell.width = Emu(column + GAP // 2)
        margin = "right" if i == 0 else "left"
        cell._tc.get_or_add_tcPr().append(wml(f'<w:tcMar><w:{margin} w:w="{GAP // 2 // 635}" w:type="dxa"/></w:tcMar>'))
    if pair.chart is not None:
        _write_spanning_figure(draft, cells[0].merge(cells[1]), pair, 2 * column + GAP)
        return
    if isinstance(pair.zh or pair.en, Figure):   # not one chart for both: each version across the row
        cell = cells[0].merge(cells[1])
        here = dataclasses.replace(draft, doc=CellDoc(cell, 2 * column + GAP))
        for figure in (f for f in (pair.zh, pair.en) if f is not None):
            handler(BLOCK_WRITERS, figure, "docx")(here, figure)
        _drop_first_empty(cell)
        return
    for cell, block in zip(cells, (pair.zh, pair.en)):
        if block is None:
            continue
        here = dataclasses.replace(draft, doc=CellDoc(cell, column))
        if style is not None:
            para = write_heading(here, block, style)
            para.paragraph_format.keep_with_next = True
        elif isinstance(block, Heading):
            para = write_heading(here, block, f"Heading {min(block.level, 3)}")
            para.paragraph_format.keep_with_next = True
        else:
            handler(BLOCK_WRITERS, block, "docx")(here, block)
        _drop_first_empty(cell)


def _write_spanning_figure(draft: Draft, cell, pair: Pair, width: int) -> None:
    """The bilingual chart across the row, the zh caption, note and source as the figure
    writer writes them, then the en ones."""
    here = dataclasses.replace(draft, doc=CellDoc(cell, width))
    handler(BLOCK_WRITERS, pair.zh, "docx")(here, dataclasses.replace(pair.zh, chart=pair.chart))
    en = pair.en
    add_caption(here.doc, en.label, en.caption, "en", draft.marks.target(en.anchor), draft.sequences)
    for line in (en.note, en.source):
        if line:
            add_text(cell.add_paragraph(style="Source"), line, "en")
    _drop_first_empty(cell)


def _drop_first_empty(cell) -> None:
    """A new cell holds one empty paragraph: gone once the cell has other content."""
    first = cell.paragraphs[0] if cell.paragraphs else None
    if first is not None and len(cell._tc) > 2 and not first.text and not first._p.xpath(".//w:drawing"):
        first._p.getparent().remove(first._p)
