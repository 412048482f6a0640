"""Figure and table definitions (a chapter's figures.toml) turned into model blocks.

A definition names indicators; labels come from data/, so a figure in either language
and in any year is drawn from the same rows as the numbers in the text.

    [[figure]]                         [[table]]
    id = "firms_by_region"             id = "universities_by_authority"
    kind = "barh"                      title = {zh = "...", en = "..."}
    title = {zh = "...", en = "..."}   header = {zh = [...], en = [...]}
    axis = {zh = "...", en = "..."}    columns = ["label", "value"]
    indicators = ["a", "b"]            indicators = ["a", "b"]
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.media.charts import KINDS, ChartSpec, chart_files, is_cached, render_chart
from builder.readers.data import Dataset
from builder.errors import ContentError
from builder.model import Figure, Table
from builder.numbers import format_value

FIGURE_KEYS = {"id", "kind", "title", "axis", "indicators", "width", "years"}
TABLE_KEYS = {"id", "title", "header", "columns", "indicators"}
# "years": one column per data year up to the report year, so a table grows with the
# data; its header entry names each of those columns, "{year}" standing for the year.
TABLE_COLUMNS = ("label", "value", "prev", "change", "unit_value", "years")


@dataclass
class Definition:
    kind: str               # figure | table
    raw: dict
    file: str
    line: int


def read_definitions(path: Path, rel: str) -> dict[tuple[str, str], Definition]:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ContentError(f"TOML does not parse: {exc}", rel, int(line.group(1)) if line else None)
    id_lines = {m.group(1): text.count("\n", 0, m.start()) + 1
                for m in re.finditer(r'^\s*id\s*=\s*"([^"]+)"', text, re.M)}
    defs: dict[tuple[str, str], Definition] = {}
    for kind in raw:
        if kind not in ("figure", "table"):
            raise ContentError(f"unknown section [[{kind}]] (use [[figure]] or [[table]])", rel)
    for kind, keys in (("figure", FIGURE_KEYS), ("table", TABLE_KEYS)):
        for item in raw.get(kind, []):
            ident = item.get("id")
            line = id_lines.get(ident, 1)
            if not isinstance(ident, str):
                raise ContentError(f"each [[{kind}]] needs an id", rel)
            unknown = set(item) - keys
            if unknown:
                raise ContentError(f"{kind} {ident}: unknown key {sorted(unknown)[0]!r} "
                                   f"(known: {', '.join(sorted(keys))})", rel, line)
            for key in ("title",) + (("header",) if kind == "table" else ()):
                if not isinstance(item.get(key), dict) or set(item[key]) != {"zh", "en"}:
                    raise ContentError(f"{kind} {ident}: {key} needs zh and en", rel, line)
            if not isinstance(item.get("indicators"), list) or not item["indicators"]:
                raise ContentError(f"{kind} {ident}: indicators must be a non-empty list", rel, line)
            if kind == "figure" and item.get("kind") not in KINDS:
                raise ContentError(f"figure {ident}: kind must be one of {', '.join(KINDS)}", rel, line)
            if kind == "table":
                cols = item.get("columns", ["label", "value"])
                if any(c not in TABLE_COLUMNS for c in cols) or len(cols) != len(item["header"]["zh"]) \
                        or len(cols) != len(item["header"]["en"]):
                    raise ContentError(f"table {ident}: columns must be from {', '.join(TABLE_COLUMNS)}"
                                       " and match the header in length", rel, line)
            if (kind, ident) in defs:
                raise ContentError(f"{kind} {ident} defined twice", rel, line)
            defs[(kind, ident)] = Definition(kind, item, rel, line)
    return defs


def place_chart(spec: ChartSpec, chart_dir: Path, font_family: list[str], deferred: list | None):
    """(svg, png, aspect) of a chart: drawn now, or, with `deferred`, listed there to be
    drawn by the caller unless already in the cache."""
    if deferred is None:
        return render_chart(spec, chart_dir, font_family)
    if not is_cached(spec, chart_dir, font_family) and spec not in deferred:
        deferred.append(spec)
    return chart_files(spec, chart_dir, font_family)


class FigureMaker:
    """Builds numbered Figure/Table blocks for one chapter in one language."""

    def __init__(self, dataset: Dataset, year: int, lang: str, chapter_number: int | None,
                 chart_dir: Path, font_family: list[str] | None, uses: set | None, grayscale: bool = False,
                 missing: list | None = None, deferred: list | None = None):
        self.dataset, self.year, self.lang = dataset, year, lang
        self.deferred = deferred    # set: charts not cached are listed here for the caller to draw
        self.missing = missing      # check mode: record missing values here, do not stop
        self.chapter_number = chapter_number
        self.chart_dir, self.font_family, self.uses = chart_dir, font_family, uses
        self.grayscale = grayscale
        self.draw = font_family is not None
        self.counts = {"figure": 0, "table": 0}
        self.specs: list[ChartSpec] = []   # every chart made, drawn or not

    def _label(self, kind: str, file: str, line: int) -> str:
        from builder.readers.markdown import WORDS
        if self.chapter_number is None:
            raise ContentError(f"a {kind} needs a numbered chapter", file, line)
        self.counts[kind] += 1
        return f"{WORDS[self.lang][kind]} {self.chapter_number}-{self.counts[kind]}"

    def _values(self, d: Definition, year: int) -> list[Decimal]:
        from builder.readers.templates import Use
        out = []
        for ident in d.raw["indicators"]:
            ind = self.dataset.indicators.get(ident)
            if ind is None:
                raise ContentError(f"{d.kind} {d.raw['id']}: unknown indicator {ident!r}", d.file, d.line)
            use = Use(ident, year, f"{d.file}:{d.line} ({d.kind} {d.raw['id']})")
            if self.uses is not None:
                self.uses.add(use)
            value = ind.value(year)
            if value is None:
                if self.missing is None:
                    raise ContentError(f"{d.kind} {d.raw['id']}: no value for {ident} in {year}",
                                       d.file, d.line)
                self.missing.append(use)
                value = Decimal(1)      # check mode: a stand-in so the block can be built
            out.append(value)
        return out

    def _source(self, d: Definition) -> str:
        from builder.readers.markdown import WORDS
        words = WORDS[self.lang]
        names = []
        for ident in d.raw["indicators"]:
            name = self.dataset.sources[self.dataset.indicators[ident].source].name[self.lang]
            if name not in names:
                names.append(name)
        return words["source"] + words["sep"].join(names) + words["end"]

    def _labels(self, d: Definition) -> list[str]:
        return [self.dataset.indicators[i].label[self.lang] for i in d.raw["indicators"]]

    def figure(self, d: Definition, render_text) -> Figure:
        raw = d.raw
        values = self._values(d, self.year)
        units = {self.dataset.indicators[i].unit for i in raw["indicators"]}
        places = max((-v.as_tuple().exponent for v in values if v.as_tuple().exponent < 0), default=0)
        fmt = "{:.%df}" % places + ("%" if units == {"percent"} else "")
        axis = render_text(raw.get("axis", {}).get(self.lang, ""))
        kind = raw["kind"]
        def label(v: Decimal) -> str:
            # Bars are labelled as the data writes the number; money units go on the axis.
            unit = units.pop() if len(units) == 1 else "count"
            units.add(unit)
            return format_value(v, unit, self.lang) if unit in ("count", "percent") else str(v)

        value_labels = [[label(v) for v in values]]
        if kind == "compare":
            prev = self._values(d, self.year - 1)
            series = [(str(self.year - 1), [float(v) for v in prev]), (str(self.year), [float(v) for v in values])]
            value_labels = [[label(v) for v in prev], value_labels[0]]
            categories = self._labels(d)
        elif kind == "years":
            years = [y for y in self.dataset.years if y <= self.year and all(
                self.dataset.indicators[i].value(y) is not None for i in raw["indicators"])]
            categories = [str(y) for y in years]
            series = [(self.dataset.indicators[i].label[self.lang],
                       [float(self.dataset.indicators[i].value(y)) for y in years]) for i in raw["indicators"]]
        else:
            categories = self._labels(d)
            series = [(str(self.year), [float(v) for v in values])]
        if kind == "pie":
            fmt = "{:.1f}%"
        spec = ChartSpec(kind, categories, series, axis, fmt, self.lang, grayscale=self.grayscale,
                         value_labels=value_labels if kind in ("bar", "barh", "compare") else None)
        if self.draw:
            self.specs.append(spec)
            svg, png, aspect = place_chart(spec, self.chart_dir, self.font_family, self.deferred)
        else:   # `report check` validates the figure but draws nothing
            svg = png = Path("unrendered")
            aspect = 0.5
        return Figure(self._label("figure", d.file, d.line), render_text(raw["title"][self.lang]),
                      self._source(d), svg, png, float(raw.get("width", 0.85)), aspect, self.lang)

    def table(self, d: Definition, render_text) -> Table:
        raw = d.raw
        columns = raw.get("columns", ["label", "value"])
        current = self._values(d, self.year)
        prev = self._values(d, self.year - 1) if {"prev", "change"} & set(columns) else current
        # Past years with every value of the table: a new year adds a column by itself.
        years = [y for y in self.dataset.years if y <= self.year and all(
            self.dataset.indicators[i].value(y) is not None for i in raw["indicators"])]
        rows = []
        for ident, now, before in zip(raw["indicators"], current, prev):
            ind = self.dataset.indicators[ident]
            cells = {
                "label": ind.label[self.lang],
                "value": format_value(now, "count" if ind.unit == "count" else ind.unit, self.lang),
                "unit_value": format_value(now, ind.unit, self.lang),
                "prev": format_value(before, ind.unit, self.lang),
                "change": ("+" if now >= before else "−") + format_value(abs(now - before), ind.unit, self.lang),
            }
            row = []
            for c in columns:
                row += [format_value(ind.value(y), ind.unit, self.lang) for y in years] \
                    if c == "years" else [cells[c]]
            rows.append(row)
        header, align = [], []
        for c, h in zip(columns, raw["header"][self.lang]):
            texts = [render_text(h).replace("{year}", str(y)) if "{year}" in h else str(y)
                     for y in years] if c == "years" else [render_text(h)]
            header += texts
            align += ["left" if c == "label" else "right"] * len(texts)
        return Table(self._label("table", d.file, d.line), render_text(raw["title"][self.lang]),
                     header, rows, align, self._source(d), self.lang)
