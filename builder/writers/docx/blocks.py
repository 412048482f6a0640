"""Chapter content: headings (with the bookmarks the contents link to), paragraphs,
figures and tables, each block type written by its entry in BLOCK_WRITERS."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from builder.context import BuildContext
from builder.media import charts
from builder.model import Chapter, ChartSpec, Figure, Heading, Paragraph, Table
from builder.writers import handler
from builder.writers.docx.captions import add_caption, alt_text
from builder.writers.docx.pages import text_width
from builder.writers.docx.runs import add_runs, add_text, set_lang
from builder.writers.docx.wml import wml

if TYPE_CHECKING:
    from builder.writers.docx.notes import Footnotes

BODY_STYLES = {"list": "List Paragraph", "quote": "Quote", "note": "Note"}


class Bookmarks:
    """Word bookmark names for anchors (letters, digits, _ only; at most 40 chars): of
    headings (_Toc…), and of the figures and tables a cross-reference links to (_Ref…)."""

    def __init__(self, linked: set[str] | None = None, captions: set[str] | None = None):
        self.names: dict[str, str] = {}
        self.linked = linked or set()   # anchors in this document that references link to
        self.captions = captions or set()   # anchors of figures and tables (their captions)
        self.asked: list[tuple[str, str]] = []   # every (anchor, prefix) named, in order (cached.py)

    def is_caption(self, anchor: str) -> bool:
        """A figure's or table's anchor: a reference to it is a REF field."""
        return anchor in self.captions

    def name(self, heading: Heading) -> str:
        return self.named(heading.anchor)

    def named(self, anchor: str, prefix: str = "_Toc") -> str:
        self.asked.append((anchor, prefix))
        if anchor not in self.names:
            self.names[anchor] = f"{prefix}{len(self.names) + 1:06d}"
        return self.names[anchor]

    def link(self, anchor: str) -> str | None:
        """The bookmark a reference to `anchor` links to; None: not in this document."""
        return self.named(anchor, "_Ref") if anchor in self.linked else None

    def add(self, para, heading: Heading) -> None:
        """Bookmark the whole of `para` as `heading`'s anchor."""
        self.mark(para, self.name(heading))

    def target(self, anchor: str) -> str | None:
        """The bookmark of a figure's or table's caption, if a reference links to it."""
        return self.named(anchor, "_Ref") if anchor in self.linked else None

    @staticmethod
    def mark(para, name: str) -> None:
        bookmark_id = int(name[4:])
        para._p.insert(1 if para._p.pPr is not None else 0,
                       wml(f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{name}"/>'))
        para._p.append(wml(f'<w:bookmarkEnd w:id="{bookmark_id}"/>'))


@dataclass
class Draft:
    """The document being written, and what it gathers on the way."""
    doc: object                     # a python-docx Document
    ctx: BuildContext
    notes: Footnotes
    marks: Bookmarks = field(default_factory=Bookmarks)
    picture_names: dict[str, str] = field(default_factory=dict)   # image relationship id -> name
    sequences: set[str] = field(default_factory=set)   # caption sequences the chapter has begun
    relations: list = field(default_factory=list)   # (type, part, rId) the document part made, in order
    pictures: list = field(default_factory=list)    # (chart, its picture's own name) of each picture, in order
    last_id: int | None = None   # the largest drawing id so far (python-docx: next_id), kept by cached.py
    counts: list[int] | None = field(default_factory=lambda: [0, 0])   # words, characters so far (cached.py)


def write_chapter(draft: Draft, chapter: Chapter) -> None:
    draft.sequences = set()
    write_heading(draft, chapter.heading, "Heading 1" if chapter.in_contents else "Front Heading")
    for block in chapter.blocks:
        handler(BLOCK_WRITERS, block, "docx")(draft, block)


def write_heading(draft: Draft, heading: Heading, style: str):
    para = draft.doc.add_paragraph(style=style)
    add_text(para, heading.full_text, heading.lang)
    draft.marks.add(para, heading)
    return para


def _write_section_heading(draft: Draft, heading: Heading) -> None:
    para = write_heading(draft, heading, f"Heading {min(heading.level, 3)}")
    # Chapters start on a new page via their section; a stray level-1 heading too.
    para.paragraph_format.page_break_before = heading.level == 1


def _write_paragraph(draft: Draft, paragraph: Paragraph) -> None:
    default = "Body Text First Indent" if paragraph.lang == "zh" else "Body Text"
    para = draft.doc.add_paragraph(style=BODY_STYLES.get(paragraph.style, default))
    if paragraph.style == "list" and paragraph.bullet:
        add_text(para, f"{paragraph.bullet}\t", paragraph.lang)
    add_runs(para, paragraph.runs, paragraph.lang, draft.notes, draft.marks)


def _write_figure(draft: Draft, figure: Figure) -> None:
    """Picture at its share of the text width, centered; caption, note and source below."""
    png = charts.image(figure.chart, draft.ctx)
    width = int(text_width(draft.doc) * figure.width_ratio)
    picture = draft.doc.add_paragraph(style="Figure").add_run().add_picture(str(png), width=width)
    pic = picture._inline.graphic.graphicData.pic
    # python-docx shares one image part between identical pictures, named after the first.
    own = picture_name(figure.chart, draft.ctx)
    draft.pictures.append((figure.chart, own))
    name = draft.picture_names.setdefault(pic.blipFill.blip.embed, own)
    pic.nvPicPr.cNvPr.name = name
    described = alt_text(figure)   # for screen readers and Word's accessibility check
    for props in (picture._inline.docPr, pic.nvPicPr.cNvPr):
        props.set("descr", described)
    add_caption(draft.doc, figure.label, figure.caption, figure.lang, draft.marks.target(figure.anchor),
                draft.sequences)
    if figure.note:
        _add_source(draft.doc, figure.note, figure.lang).paragraph_format.keep_with_next = True
    _add_source(draft.doc, figure.source, figure.lang)


# Word keeps a picture's file name in the document (pic:cNvPr/@name). A chart's picture
# keeps the name its PNG had in the chart cache before the cache keys took in the code
# version: a digest of what the chart shows and its fonts (and that cache's last style
# version, 4). It changes with the chart, never with the builder's code or where the
# cache keeps files, and the documents stay byte-identical to earlier builds.
PICTURE_NAME_VERSION = 4
LATER_FIELDS = {"category_label": "", "labelled": True}   # ChartSpec fields added since, and their defaults
def picture_name(chart: ChartSpec, ctx: BuildContext) -> str:
    """The file name Word shows for `chart`'s picture."""
    shown = asdict(chart)
    for name, default in LATER_FIELDS.items():   # named as before they existed, when not used
        if shown[name] == default:
            del shown[name]
    value_labels = shown.pop("value_labels")
    shown.update(grayscale=ctx.options.grayscale, value_labels=value_labels)   # the old field order
    digest = hashlib.sha256(json.dumps([shown, list(ctx.fonts.chart_family), PICTURE_NAME_VERSION],
                                       ensure_ascii=False).encode())
    return f"{digest.hexdigest()[:20]}.png"


def _write_table(draft: Draft, table: Table) -> None:
    """Caption above, a Table Grid table with a repeating bold header row, source below."""
    add_caption(draft.doc, table.label, table.caption, table.lang, draft.marks.target(table.anchor),
                draft.sequences)
    grid = draft.doc.add_table(rows=1 + len(table.rows), cols=len(table.header), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # w:tblHeader: Word and LibreOffice repeat this row on every page.
    grid.rows[0]._tr.get_or_add_trPr().append(wml("<w:tblHeader/>"))
    for r, (row, values) in enumerate(zip(grid.rows, [table.header] + table.rows)):
        cells = row.cells
        for c, value in enumerate(values):
            para = cells[c].paragraphs[0]
            para.style = "Table Text"
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else _column_alignment(table, c)
            run = para.add_run(value)
            run.bold = r == 0 or None
            set_lang(run, table.lang)
    _add_source(draft.doc, table.source, table.lang)


def _column_alignment(table: Table, column: int):
    right = column < len(table.align) and table.align[column] == "right"
    return WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT


def _add_source(doc, text: str, lang: str):
    para = doc.add_paragraph(style="Source")
    add_text(para, text, lang)
    return para


BLOCK_WRITERS = {Heading: _write_section_heading, Paragraph: _write_paragraph,
                 Figure: _write_figure, Table: _write_table}


def caption_anchors(report) -> set[str]:
    """The anchors of the figures and tables of `report`."""
    return {b.anchor for c in report.front + report.chapters for b in c.blocks if isinstance(b, (Figure, Table))}


def linked_anchors(report) -> set[str]:
    """The anchors in `report` that a cross-reference in it links to (an extract may refer
    to a chapter it leaves out: that reference is plain text)."""
    chapters = report.front + report.chapters
    here = {c.heading.anchor for c in chapters}
    here |= {b.anchor for c in chapters for b in c.blocks if isinstance(b, (Heading, Figure, Table))}
    wanted = {r.ref.anchor for c in chapters for r in c.references}
    return here & wanted
