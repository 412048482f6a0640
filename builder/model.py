"""The document model: what readers produce and writers render.

Plain dataclasses, no heavy imports. Every string here is final text in its language
(labels such as "图 1-1" or "Figure 1-1" are decided by the readers), so a writer only
chooses how things look, never what they say.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Union

LANGS = ("zh", "en")
EDITIONS = ("zh", "en", "bilingual")
LAYOUTS = ("parallel", "sequential")   # of the bilingual edition's body; the first is the default


@dataclass
class Footnote:
    number: int            # per chapter, as printed
    runs: list[Run]


@dataclass
class Ref:
    """A cross-reference, {numref}`id`: the crossrefs transform sets its run's text
    ("图 1-1", "第一章") and the anchor it links to."""
    target: str             # a figure or table id (figures.toml) or a chapter id
    file: str               # where it is written, for errors
    line: int | None
    anchor: str = ""


@dataclass
class Run:
    """A stretch of inline text with one style, a footnote reference or a cross-reference."""
    text: str = ""
    bold: bool = False
    italic: bool = False
    footnote: Footnote | None = None   # set: this run is the reference mark only
    again: bool = False     # with footnote: a later citation of a note already cited
    ref: Ref | None = None


@dataclass
class Paragraph:
    runs: list[Run]
    lang: str
    style: str = "body"     # body | list | quote | note
    bullet: str = ""        # "•" or "1." for list items
    line: int | None = None  # where it starts in its file, for errors found while writing

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def footnotes(self) -> list[Footnote]:
        """The notes first cited here (a later citation prints the number only)."""
        return [r.footnote for r in self.runs if r.footnote and not r.again]


@dataclass
class Heading:
    level: int              # 1 chapter, 2 section, 3 subsection
    number: str             # "一、", "I.", "（一）", "1.1", or ""
    text: str
    lang: str
    anchor: str             # unique in the report: used for bookmarks and links

    @property
    def full_text(self) -> str:
        sep = "" if self.number.endswith(("、", "）")) or not self.number else " "
        return f"{self.number}{sep}{self.text}"


CHART_KINDS = ("bar", "barh", "pie", "compare", "years")


@dataclass(frozen=True)
class ChartSpec:
    """What a chart shows; builder.media draws it in the form each writer asks for."""
    kind: str                   # one of CHART_KINDS
    categories: list[str]       # x labels (bar, barh, compare, pie) or years (years)
    series: list[tuple[str, list[float]]]   # (legend name, values per category); NaN: no value, a gap
    axis_label: str             # the value axis (y; x for barh)
    value_format: str           # python format for value labels, e.g. "{:.1f}%"
    lang: str
    value_labels: list[list[str]] | None = None   # per series, as the data writes them
    category_label: str = ""    # the category axis (x; y for barh)
    labelled: bool = True       # values printed on the bars, points and wedges


@dataclass
class Figure:
    label: str              # "图 1-1" / "Figure 1-1"
    caption: str
    source: str             # "资料来源：..." / "Source: ..."
    chart: ChartSpec
    width_ratio: float      # of the text width
    lang: str
    note: str = ""          # "注：..." / "Note: ...", printed above the source line
    id: str = ""            # of figures.toml, for {numref}
    anchor: str = ""        # unique in the report: for links to it


@dataclass
class Table:
    label: str              # "表 1-1" / "Table 1-1"
    caption: str
    header: list[str]
    rows: list[list[str]]
    align: list[str]        # per column: "left" | "right"
    source: str
    lang: str
    id: str = ""            # of figures.toml, for {numref}
    anchor: str = ""        # unique in the report: for links to it


Block = Union[Heading, Paragraph, Figure, Table]


@dataclass
class Pair:
    """A row of a chapter in the bilingual edition's parallel layout: a zh block beside its
    en partner, both starting at the same height (None: a block in one language only).
    `chart`: the pair is a figure drawn once across both columns, with both captions."""
    zh: Block | None
    en: Block | None
    chart: ChartSpec | None = None


@dataclass
class Chapter:
    id: str                 # folder name, e.g. "01-branches"
    number: int | None      # None: unnumbered (front matter, conclusion)
    heading: Heading
    blocks: list[Block] = field(default_factory=list)
    lang: str = "zh"
    in_contents: bool = True
    first_page: int | None = None   # printed number of its first page; None: go on counting
    numbered: bool = True   # given a number by the numbering transform (content/report.toml says)
    partner: Chapter | None = None  # parallel layout: the en chapter set beside this zh one, row by row
    rows: list[Pair] = field(default_factory=list)   # ... the rows (transforms/bilingual.py)
    part: str = ""          # sequential layout: the title of the part this chapter opens (its own page)

    @property
    def footnotes(self) -> list[Footnote]:
        return [n for b in self.blocks if isinstance(b, Paragraph) for n in b.footnotes]

    @property
    def references(self) -> list[Run]:
        """The runs that are cross-references, in the paragraphs and their notes."""
        runs = []
        for block in self.blocks:
            for run in block.runs if isinstance(block, Paragraph) else []:
                runs += [run] + (run.footnote.runs if run.footnote and not run.again else [])
        return [r for r in runs if r.ref]


@dataclass
class Cover:
    title: str
    subtitle: str
    date: str
    institute: str
    lang: str


@dataclass
class TitleBlock:
    """Heads a chapter extract instead of the cover: which report, edition and chapter."""
    kicker: str             # "报告节选" / "Extract from the report"
    title: str              # the report's title
    chapters: list[str]     # the extract's chapter titles as printed
    edition: str            # "2019 年数据 · 中文版 · 2020 年 6 月 24 日"
    note: str               # what the numbers refer to
    institute: str
    lang: str


NUMBERINGS = ("一、", "（一）", "I.", "1.", "1.1", "none")   # see transforms/numbering.py


def _key(default, kind: str, doc: str):
    """A theme key: its default, its kind (how report.toml writes it) and one line of doc."""
    meta = {"kind": kind, "doc": doc}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Theme:
    """How the report looks: the [theme] table of content/report.toml. Each field is one
    key, with its default, kind and doc: the reader, the README's list and its test all
    take them from here. Defaults are plain; a report sets its own look."""
    paper: str = _key("A4", "paper", "Paper size, A4 or Letter; `report build --paper` overrides it.")
    accent_color: str = _key("#000000", "color", "Chapter and section titles and table rules (PDF), the "
                             "cover's title, rule and institute, an extract's title block.")
    cover_text_color: str = _key("#000000", "color", "The cover's subtitle and date line (PDF).")
    cover_bands: bool = _key(False, "bool", "Colour bands at the top and foot of the PDF cover "
                             "(a slim one atop an extract's title page).")
    band_color: str = _key("#000000", "color", "The cover bands' colour.")
    stripe_color: str = _key("", "color or empty", "A thin stripe under the top band; empty: none.")
    cover_date: bool = _key(True, "bool", "The publication date on the cover and in an extract's title block.")
    latin_font: str = _key("Liberation Serif", "font", "Latin text in the PDF (embedded): a family "
                           "name (fontconfig) or a font file in the report folder.")
    latin_bold_font: str = _key("", "font or empty", "Bold Latin text; empty: latin_font's bold face "
                                "(a file: the same file).")
    cjk_font: str = _key("Noto Serif CJK SC", "font", "Chinese text, as latin_font.")
    cjk_bold_font: str = _key("", "font or empty", "Bold Chinese text, as latin_bold_font.")
    docx_latin_font: str = _key("Times New Roman", "family name", "Latin text in the DOCX, drawn by the "
                                "reader's machine (Windows and macOS have Times New Roman).")
    docx_cjk_font: str = _key("SimSun", "family name", "Chinese text in the DOCX (its East Asian font; "
                              "SimSun: 宋体 of Windows, declared a Chinese serif for Word to replace elsewhere).")
    chapter_numbering: dict = _key({"zh": "1.", "en": "1."}, "numbering",
                                   "Chapter numbers: " + ", ".join(f'"{n}"' for n in NUMBERINGS[:-2])
                                   + ' or "none"; one for both languages or {zh, en}.')
    section_numbering: dict = _key({"zh": "1.1", "en": "1.1"}, "numbering",
                                   'Section numbers, as chapter_numbering, or "1.1" (chapter.section).')
    running_header: dict = _key({"zh": "", "en": ""}, "texts",
                                "Page header text {zh, en}; empty: the title.")
    extract_label: dict = _key({"zh": "{{ year }} 年数据", "en": "{{ year }} data"}, "texts",
                               "An extract's data year {zh, en}; {{ year }} is the year built.")
    reference_docx: str = _key("", "file or empty", "A .docx in the report folder whose styles the DOCX "
                               "uses (as pandoc's --reference-doc); the builder adds any it lacks.")

    @classmethod
    def keys(cls) -> list:
        """(name, kind, default, doc) of every key, in the order of the README's list."""
        return [(f.name, f.metadata["kind"], getattr(cls(), f.name), f.metadata["doc"]) for f in fields(cls)]


PAPERS = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}   # points


@dataclass(frozen=True)
class PrintOptions:
    """How the pages are printed; the writers take it, the text does not change."""
    paper: str | None = None      # a key of PAPERS; None: the theme's (A4 until the build sets it)
    margins: float = 25.0         # mm, all four sides
    duplex: bool = False          # parts and chapters start on a right-hand (odd) page
    grayscale: bool = False       # charts told apart by hatching, markers and dashes
    crop_marks: bool = False      # page enlarged by the bleed plus a slug with trim marks
    bleed: float = 3.0            # mm, with crop_marks
    restart_pages: bool = False   # extracts: number pages from 1, not as in the full report

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPERS[self.paper or "A4"]


@dataclass
class PdfPages:
    """What the PDF's layout of the (full) report says of its pages, for the DOCX's
    contents and statistics; set by build.py."""
    headings: dict[str, int]   # anchor -> printed number of the page of each contents entry
    count: int = 0             # the PDF's pages (0: not known, as in an extract)
    front: dict[str, int] = field(default_factory=dict)   # front matter heading anchor -> page (index)


@dataclass
class Report:
    edition: str            # zh | en | bilingual
    langs: list[str]        # languages present, main one first
    year: int
    covers: list[Cover]     # one per language, main one first
    contents_titles: list[str]
    front: list[Chapter]    # acknowledgement, writers... before the contents
    chapters: list[Chapter] # in reading order; bilingual: zh then en per chapter
    author: str             # for document metadata
    running_titles: dict[str, str]  # lang -> short title for page headers
    title_blocks: list[TitleBlock] = field(default_factory=list)  # set: an extract, printed instead of the covers
    draft: str = ""         # set: a draft (a rehearsal's made-up data), this stamp printed on every page
    theme: Theme = field(default_factory=Theme, metadata={"printed": False})   # how it looks
    pages: PdfPages | None = field(default=None, metadata={"printed": False})   # for the DOCX (build.py)
    layout: str = ""        # bilingual edition: one of LAYOUTS once made one book (transforms/bilingual.py)

    @property
    def title(self) -> str:
        return self.covers[0].title
