"""Figure and table definitions (a chapter's figures.toml) turned into model blocks:
a figure becomes a chart spec (builder.media draws it), a table its rows of text.
Labels ("图 1-1") are given by the numbering transform.

A definition names indicators; labels come from data/, so a figure in either language
and in any year is drawn from the same rows as the numbers in the text. An indicator
written `id@2015` is a point of that year (a fixed fact, like `x.at(2015)`), its label
followed by the year.

    [[figure]]                         [[table]]
    id = "firms_by_region"             id = "universities_by_authority"
    kind = "barh"                      title = {zh = "...", en = "..."}
    title = {zh = "...", en = "..."}   header = {zh = [...], en = [...]}
    axis = {zh = "...", en = "..."}    columns = ["label", "value"]
    indicators = ["a", "b@2015"]       indicators = ["a", "b"]
    note = {zh = "...", en = "..."}    (optional, as are source, axis_x, axis_y, value_labels)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.readers.data import Dataset
from builder.errors import ContentError
from builder.readers.config import read_toml
from builder.model import CHART_KINDS, ChartSpec, Figure, Table
from builder.numbers import format_value
from builder.readers.templates import Recorder, Use
from builder.words import AT_YEAR, FIGURE_NOTE, LABELS

# Texts of a figure, each {zh, en}, placeholders allowed: a note and a source line under
# the chart (the source replaces the one made from data), and the axis labels: `axis`
# the value axis, `axis_x` and `axis_y` the axes as drawn.
FIGURE_TEXTS = ("note", "source", "axis", "axis_x", "axis_y")
FIGURE_KEYS = {"id", "kind", "title", "indicators", "width", "years", "value_labels", *FIGURE_TEXTS}
TABLE_KEYS = {"id", "title", "header", "columns", "indicators"}
# "years": one column per data year up to the report year, so a table grows with the
# data; its header entry names each of those columns, "{year}" standing for the year.
TABLE_COLUMNS = ("label", "value", "prev", "change", "unit_value", "years")
POINT = re.compile(r"([a-z][a-z0-9_]*)(?:@(\d{4}))?")   # an indicator, at its own year or not


def point(entry: str) -> tuple[str, int | None]:
    """"startups@2015" -> ("startups", 2015); "startups" -> ("startups", None)."""
    match = POINT.fullmatch(entry)
    return (match[1], int(match[2]) if match[2] else None) if match else (entry, None)


@dataclass
class Definition:
    kind: str               # figure | table
    raw: dict
    file: str
    line: int


def _header_line(text: str, kind: str, number: int = 0) -> int | None:
    """The line of the `number`th [[kind]] (or [kind]) header of a TOML text."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if re.match(rf"\s*\[\[?\s*{kind}\b", line)]
    return lines[min(number, len(lines) - 1)] if lines else None


def read_definitions(path: Path, rel: str) -> dict[tuple[str, str], Definition]:
    if not path.exists():
        return {}
    text, raw = read_toml(path, rel)
    id_lines = {m.group(1): text.count("\n", 0, m.start()) + 1
                for m in re.finditer(r'^\s*id\s*=\s*"([^"]+)"', text, re.M)}
    defs: dict[tuple[str, str], Definition] = {}
    for kind in raw:
        if kind not in ("figure", "table"):
            raise ContentError(f"unknown section [[{kind}]] (use [[figure]] or [[table]])", rel)
    for kind, keys in (("figure", FIGURE_KEYS), ("table", TABLE_KEYS)):
        items = raw.get(kind, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ContentError(f"{kind} must be written [[{kind}]] (a list of tables)", rel, _header_line(text, kind))
        for number, item in enumerate(items):
            ident = item.get("id")
            if not isinstance(ident, str):
                raise ContentError(f"each [[{kind}]] needs id = \"…\"", rel, _header_line(text, kind, number))
            line = id_lines.get(ident, 1)
            unknown = set(item) - keys
            if unknown:
                raise ContentError(f"{kind} {ident}: unknown key {sorted(unknown)[0]!r} "
                                   f"(known: {', '.join(sorted(keys))})", rel, line)
            problem = _definition_problem(kind, item)
            if problem:
                raise ContentError(f"{kind} {ident}: {problem}", rel, line)
            if (kind, ident) in defs:
                raise ContentError(f"{kind} {ident} defined twice", rel, line)
            defs[(kind, ident)] = Definition(kind, item, rel, line)
    return defs


def _is_text(value) -> bool:
    return isinstance(value, dict) and set(value) == {"zh", "en"} and all(isinstance(v, str) for v in value.values())


# Characters of a text of figures.toml: a title or an axis label fits a line or two.
MAX_TEXT = {"title": 200, "axis": 100, "axis_x": 100, "axis_y": 100, "header": 100, "note": 2000, "source": 1000}


# Indicators a chart (by kind) or a table shows: more would not be readable.
MAX_SHOWN = {"bar": 40, "barh": 40, "compare": 40, "pie": 12, "years": 12, "table": 500}


def _too_long(item: dict) -> str | None:
    for key, limit in MAX_TEXT.items():
        value = item.get(key)
        texts = [t for v in value.values() for t in (v if isinstance(v, list) else [v])] if isinstance(value, dict) else []
        longest = max((t for t in texts if isinstance(t, str)), key=len, default="")
        if len(longest) > limit:
            return f"{key} of {len(longest):,} characters: the limit is {limit:,}"
    return None


def _definition_problem(kind: str, item: dict) -> str | None:
    """What is wrong with a definition's keys, or None."""
    if not _is_text(item.get("title")):
        return 'title needs zh and en texts: title = {zh = "…", en = "…"}'
    if _too_long(item):
        return _too_long(item)
    header = item.get("header")
    if kind == "table" and not (isinstance(header, dict) and set(header) == {"zh", "en"} and all(
            isinstance(h, list) and all(isinstance(c, str) for c in h) for h in header.values())):
        return 'header needs zh and en lists of texts: header = {zh = ["…"], en = ["…"]}'
    width = item.get("width", 0.85)
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0.2 <= width <= 1:
        return "width is a share of the text width, from 0.2 to 1 (0.85 unless given)"
    entries = item.get("indicators")
    if not isinstance(entries, list) or not entries:
        return "indicators must be a non-empty list"
    bad = [e for e in entries if not isinstance(e, str) or not POINT.fullmatch(e)]
    if bad:
        return f"indicator {bad[0]!r} is not an id, nor an id@year (startups@2015)"
    pinned = any(point(e)[1] for e in entries)
    if kind == "table":
        if len(entries) > MAX_SHOWN["table"]:
            return f"a table shows at most {MAX_SHOWN['table']} indicators, not {len(entries)}"
        cols = item.get("columns", ["label", "value"])
        if not isinstance(cols, list) or any(c not in TABLE_COLUMNS for c in cols) or len(cols) != len(item["header"]["zh"]) \
                or len(cols) != len(item["header"]["en"]):
            return f"columns must be from {', '.join(TABLE_COLUMNS)} and match the header in length"
        if pinned and {"prev", "change", "years"} & set(cols):
            return "an id@year has one value: no column prev, change or years"
        return None
    if item.get("kind") not in CHART_KINDS:
        return f"kind must be one of {', '.join(CHART_KINDS)}"
    most = MAX_SHOWN.get(item["kind"], MAX_SHOWN["bar"])
    if len(entries) > most:   # more could not be read (and would take minutes to draw)
        return f"a chart of kind {item['kind']} shows at most {most} indicators, not {len(entries)}"
    if pinned and item["kind"] in ("years", "compare"):
        return f"a chart of kind {item['kind']} shows years of its own: write its indicators without @year"
    return _chart_keys_problem(item)


def _chart_keys_problem(item: dict) -> str | None:
    texts = [k for k in FIGURE_TEXTS if k in item]
    wrong = [k for k in texts if not _is_text(item[k])]
    if wrong:
        return f"{wrong[0]} needs zh and en texts: {wrong[0]} = {{zh = \"…\", en = \"…\"}}"
    if not isinstance(item.get("value_labels", True), bool):
        return "value_labels is true or false"
    axes = [k for k in texts if k.startswith("axis")]
    if item["kind"] == "pie" and axes:
        return f"a pie has no axes: remove {axes[0]}"
    value_axis = "axis_x" if item["kind"] == "barh" else "axis_y"
    if "axis" in item and value_axis in item:
        return f"axis and {value_axis} both label the value axis of a {item['kind']} chart: keep one"
    return None


@dataclass
class Blocks:
    """Makes one chapter's Figure and Table blocks, in one language, for one year."""
    dataset: Dataset
    year: int
    lang: str
    record: Recorder

    def points(self, d: Definition) -> list[tuple[str, int | None]]:
        return [point(e) for e in d.raw["indicators"]]

    def idents(self, d: Definition) -> list[str]:
        return [ident for ident, _ in self.points(d)]

    def value_of(self, d: Definition, ident: str, year: int, fixed: bool) -> Decimal:
        """The value shown of `ident` in `year`, its use recorded; in check mode a missing
        one is recorded and a stand-in returned so the block can be built."""
        ind = self.dataset.indicators.get(ident)
        if ind is None:
            raise ContentError(f"{d.kind} {d.raw['id']}: unknown indicator {ident!r}", d.file, d.line)
        compared = d.kind == "figure" or {"prev", "change"} & set(d.raw.get("columns", ()))
        if ind.unit == "date" and compared:
            raise ContentError(f"{d.kind} {d.raw['id']}: {ident} is a date, which a chart cannot draw "
                               "nor a table column prev or change compare", d.file, d.line)
        use = Use(ident, year, f"{d.file}:{d.line} ({d.kind} {d.raw['id']})", fixed or ind.fixed is not None)
        self.record.uses.add(use)
        value = ind.value(year)
        if value is None:
            if self.record.missing is None:
                raise ContentError(f"{d.kind} {d.raw['id']}: no value for {ident} in {year}", d.file, d.line)
            self.record.missing.append(use)
            value = Decimal(1)
        return value

    def values(self, d: Definition, year: int) -> list[Decimal]:
        """Each point's value in `year`, or in its own year (id@2015)."""
        return [self.value_of(d, ident, pin or year, pin is not None) for ident, pin in self.points(d)]

    def source(self, d: Definition, render_text) -> str:
        if "source" in d.raw:
            return LABELS[self.lang]["source"] + render_text(d.raw["source"][self.lang])
        return source_line(self, d)

    def label(self, ident: str, year: int | None = None) -> str:
        """An indicator's label as printed in the year built; a point of its own year
        (id@2015) is labelled as of that year, followed by it unless the label says it."""
        text = self.dataset.indicators[ident].label_in(year or self.year, self.lang)
        if year is None or str(year) in text:
            return text
        return text + AT_YEAR[self.lang].format(year=year)

    def labels(self, d: Definition) -> list[str]:
        return [self.label(ident, pin) for ident, pin in self.points(d)]

    def complete_years(self, d: Definition) -> list[int]:
        """Years up to the report's with every value of the definition: a new year adds a
        column to a table of years by itself."""
        return [y for y in self.dataset.years if y <= self.year and all(
            self.dataset.indicators[i].value(y) is not None for i in self.idents(d))]

    def series_years(self, d: Definition) -> list[int]:
        """A chart of years: every year from the first with a row of one of its indicators
        up to the report's (a new year adds a point by itself)."""
        firsts = [min(ind.rows) for i in self.idents(d) if (ind := self.dataset.indicators[i]).rows]
        return list(range(min(firsts + [self.year]), self.year + 1))

    def series_point(self, d: Definition, ident: str, year: int) -> float:
        """A point of a chart of years; NaN, a gap in the line, where data has no row."""
        ind = self.dataset.indicators[ident]
        if ind.fixed is None and year not in ind.rows:
            return math.nan
        return float(self.value_of(d, ident, year, year != self.year))

    def figure(self, d: Definition, render_text) -> Figure:
        raw = d.raw
        title = render_text(raw["title"][self.lang])
        chart = self.chart(d, render_text)    # checks the indicators before source() reads them
        note = FIGURE_NOTE[self.lang] + render_text(raw["note"][self.lang]) if "note" in raw else ""
        return Figure("", title, self.source(d, render_text), chart, float(raw.get("width", 0.85)), self.lang,
                      note=note)

    def chart(self, d: Definition, render_text) -> ChartSpec:
        raw, kind = d.raw, d.raw["kind"]
        values = self.values(d, self.year)
        units = {self.dataset.indicators[i].unit for i in self.idents(d)}
        places = max((-v.as_tuple().exponent for v in values if v.as_tuple().exponent < 0), default=0)
        fmt = "{:.%df}" % places + ("%" if units == {"percent"} else "")
        # Bars are labelled as the data writes the number; money units go on the axis.
        unit = units.pop() if len(units) == 1 else "count"

        def label(v: Decimal) -> str:
            return format_value(v, unit, self.lang) if unit in ("count", "percent") else str(v)

        value_labels = [[label(v) for v in values]]
        if kind == "compare":
            prev = self.values(d, self.year - 1)
            series = [(str(self.year - 1), [float(v) for v in prev]), (str(self.year), [float(v) for v in values])]
            value_labels = [[label(v) for v in prev], value_labels[0]]
            categories = self.labels(d)
        elif kind == "years":
            years = self.series_years(d)
            categories = [str(y) for y in years]
            series = [(self.label(i), [self.series_point(d, i, y) for y in years]) for i in self.idents(d)]
        else:
            categories = self.labels(d)
            series = [(str(self.year), [float(v) for v in values])]
        if kind == "pie":
            fmt = "{:.1f}%"
        value_axis, category_axis = chart_axes(d.raw, lambda key: render_text(d.raw[key][self.lang]))
        return ChartSpec(kind, categories, series, value_axis, fmt, self.lang,
                         value_labels if kind in ("bar", "barh", "compare") else None, category_axis,
                         raw.get("value_labels", True))

    def table(self, d: Definition, render_text) -> Table:
        return make_table(self, d, render_text)


def chart_axes(raw: dict, text) -> tuple[str, str]:
    """(value axis, category axis) labels: `axis` or the axis_x / axis_y drawn so;
    text(key) renders one."""
    value, category = ("axis_x", "axis_y") if raw["kind"] == "barh" else ("axis_y", "axis_x")
    given = {k: text(k) for k in ("axis", value, category) if k in raw}
    return given.get("axis") or given.get(value, ""), given.get(category, "")


def make_table(self: Blocks, d: Definition, render_text) -> Table:
    """A table's header and rows, for Blocks.table."""
    raw = d.raw
    columns = raw.get("columns", ["label", "value"])
    current = self.values(d, self.year)
    prev = self.values(d, self.year - 1) if {"prev", "change"} & set(columns) else current
    years = self.complete_years(d)
    rows = [table_row(self, ident, pin, columns, now, before, years)
            for (ident, pin), now, before in zip(self.points(d), current, prev)]
    header, align = [], []
    for c, h in zip(columns, raw["header"][self.lang]):
        texts = [render_text(h).replace("{year}", str(y)) if "{year}" in h else str(y)
                 for y in years] if c == "years" else [render_text(h)]
        header += texts
        align += ["left" if c == "label" else "right"] * len(texts)
    return Table("", render_text(raw["title"][self.lang]), header, rows, align, self.source(d, render_text),
                 self.lang)


def table_row(self: Blocks, ident: str, pin: int | None, columns: list[str], now: Decimal, before: Decimal,
              years: list[int]) -> list[str]:
    ind, lang = self.dataset.indicators[ident], self.lang
    cells = {
        "label": self.label(ident, pin),
        "value": format_value(now, "count" if ind.unit == "count" else ind.unit, lang),
        "unit_value": format_value(now, ind.unit, lang),
        "prev": format_value(before, ind.unit, lang),
        "change": ("+" if now >= before else "−") + format_value(abs(now - before), ind.unit, lang),
    }
    row = []
    for c in columns:
        row += [format_value(ind.value(y), ind.unit, lang) for y in years] if c == "years" else [cells[c]]
    return row


def source_line(blocks: Blocks, d: Definition) -> str:
    """A figure's or table's source line: the sources of the rows of every year it shows
    (data may change an indicator's source by year), named as printed in the year built."""
    columns = set(d.raw.get("columns", ())) if d.kind == "table" else set()
    if d.raw.get("kind") == "years":
        years = blocks.series_years(d)
    elif "years" in columns:
        years = blocks.complete_years(d)
    elif d.raw.get("kind") == "compare" or {"prev", "change"} & columns:
        years = [blocks.year - 1]
    else:
        years = []
    years = [y for y in years if y != blocks.year] + [blocks.year]
    words, dataset = LABELS[blocks.lang], blocks.dataset
    names = []
    for ident, pin in blocks.points(d):
        ind = dataset.indicators[ident]
        for year in [pin] if pin else years:
            if ind.fixed is None and year not in ind.rows:
                continue    # a gap in a chart of years
            name = dataset.source_name(ind.source_in(year), blocks.year, blocks.lang)
            if name not in names:
                names.append(name)
    return words["source"] + words["sep"].join(names) + words["end"]
