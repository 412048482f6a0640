"""The document model: what readers produce and writers render.

Plain dataclasses, no heavy imports. Every string here is final text in its language
(labels such as "图 1-1" or "Figure 1-1" are decided by the readers), so a writer only
chooses how things look, never what they say.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

LANGS = ("zh", "en")
EDITIONS = ("zh", "en", "bilingual")


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
class Chapter:
    id: str                 # folder name, e.g. "01-branches"
    number: int | None      # None: unnumbered (front matter, conclusion)
    heading: Heading
    blocks: list[Block] = field(default_factory=list)
    lang: str = "zh"
    in_contents: bool = True
    first_page: int | None = None   # printed number of its first page; None: go on counting
    numbered: bool = True   # given a number by the numbering transform (content/report.toml says)

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


PAPERS = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}   # points


@dataclass(frozen=True)
class PrintOptions:
    """How the pages are printed; the writers take it, the text does not change."""
    paper: str = "A4"             # a key of PAPERS
    margins: float = 25.0         # mm, all four sides
    duplex: bool = False          # parts and chapters start on a right-hand (odd) page
    grayscale: bool = False       # charts told apart by hatching, markers and dashes
    crop_marks: bool = False      # page enlarged by the bleed plus a slug with trim marks
    bleed: float = 3.0            # mm, with crop_marks
    restart_pages: bool = False   # extracts: number pages from 1, not as in the full report

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPERS[self.paper]


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

    @property
    def title(self) -> str:
        return self.covers[0].title
