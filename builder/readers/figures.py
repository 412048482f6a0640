"""Figure and table definitions (a chapter's figures.toml) turned into model blocks:
a figure becomes a chart spec (builder.media draws it), a table its rows of text.
Labels ("图 1-1") are given by the numbering transform.

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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.readers.data import Dataset
from builder.errors import ContentError
from builder.readers.config import read_toml
from builder.model import CHART_KINDS, ChartSpec, Figure, Table
from builder.numbers import format_value
from builder.readers.templates import Recorder, Use
from builder.words import LABELS

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
    text, raw = read_toml(path, rel)
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
            if kind == "figure" and item.get("kind") not in CHART_KINDS:
                raise ContentError(f"figure {ident}: kind must be one of {', '.join(CHART_KINDS)}", rel, line)
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


@dataclass
class Blocks:
    """Makes one chapter's Figure and Table blocks, in one language, for one year."""
    dataset: Dataset
    year: int
    lang: str
    record: Recorder

    def values(self, d: Definition, year: int) -> list[Decimal]:
        out = []
        for ident in d.raw["indicators"]:
            ind = self.dataset.indicators.get(ident)
            if ind is None:
                raise ContentError(f"{d.kind} {d.raw['id']}: unknown indicator {ident!r}", d.file, d.line)
            compared = d.kind == "figure" or {"prev", "change"} & set(d.raw.get("columns", ()))
            if ind.unit == "date" and compared:
                raise ContentError(f"{d.kind} {d.raw['id']}: {ident} is a date, which a chart cannot draw "
                                   "nor a table column prev or change compare", d.file, d.line)
            use = Use(ident, year, f"{d.file}:{d.line} ({d.kind} {d.raw['id']})", ind.fixed is not None)
            self.record.uses.add(use)
            value = ind.value(year)
            if value is None:
                if self.record.missing is None:
                    raise ContentError(f"{d.kind} {d.raw['id']}: no value for {ident} in {year}",
                                       d.file, d.line)
                self.record.missing.append(use)
                value = Decimal(1)      # check mode: a stand-in so the block can be built
            out.append(value)
        return out

    def source(self, d: Definition) -> str:
        return source_line(self, d)

    def label(
self, ident: str) -> str:
        """An indicator's label as printed in the year built."""
        return self.dataset.indicators[ident].label_in(self.year, self.lang)

    def labels(self, d: Definition) -> list[str]:
        return [self.label(i) for i in d.raw["indicators"]]

    def complete_years(self, d: Definition) -> list[int]:
        """Years up to the report's with every value of the definition: a new year adds a
        point to a chart of years, a column to a table of years, by itself."""
        return [y for y in self.dataset.years if y <= self.year and all(
            self.dataset.indicators[i].value(y) is not None for i in d.raw["indicators"])]

    def figure(self, d: Definition, render_text) -> Figure:
        raw = d.raw
        title = render_text(raw["title"][self.lang])
        chart = self.chart(d, render_text)    # checks the indicators before source() reads them
        return Figure("", title, self.source(d), chart, float(raw.get("width", 0.85)), self.lang)

    def chart(self, d: Definition, render_text) -> ChartSpec:
        raw, kind = d.raw, d.raw["kind"]
        values = self.values(d, self.year)
        units = {self.dataset.indicators[i].unit for i in raw["indicators"]}
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
            years = self.complete_years(d)
            categories = [str(y) for y in years]
            series = [(self.label(i), [float(self.dataset.indicators[i].value(y)) for y in years])
                      for i in raw["indicators"]]
        else:
            categories = self.labels(d)
            series = [(str(self.year), [float(v) for v in values])]
        if kind == "pie":
            fmt = "{:.1f}%"
        return ChartSpec(kind, categories, series, render_text(raw.get("axis", {}).get(self.lang, "")), fmt,
                         self.lang, value_labels if kind in ("bar", "barh", "compare") else None)

    def table(self, d: Definition, render_text) -> Table:
        raw = d.raw
        columns = raw.get("columns", ["label", "value"])
        current = self.values(d, self.year)
        prev = self.values(d, self.year - 1) if {"prev", "change"} & set(columns) else current
        years = self.complete_years(d)
        rows = [self.table_row(ident, columns, now, before, years)
                for ident, now, before in zip(raw["indicators"], current, prev)]
        header, align = [], []
        for c, h in zip(columns, raw["header"][self.lang]):
            texts = [render_text(h).replace("{year}", str(y)) if "{year}" in h else str(y)
                     for y in years] if c == "years" else [render_text(h)]
            header += texts
            align += ["left" if c == "label" else "right"] * len(texts)
        return Table("", render_text(raw["title"][self.lang]), header, rows, align, self.source(d), self.lang)

    def table_row(self, ident: str, columns: list[str], now: Decimal, before: Decimal,
                  years: list[int]) -> list[str]:
        ind, lang = self.dataset.indicators[ident], self.lang
        cells = {
            "label": self.label(ident),
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
    if d.raw.get("kind") == "years" or "years" in columns:
        years = blocks.complete_years(d)
    elif d.raw.get("kind") == "compare" or {"prev", "change"} & columns:
        years = [blocks.year - 1]
    else:
        years = []
    years = [y for y in years if y != blocks.year] + [blocks.year]
    words, dataset = LABELS[blocks.lang], blocks.dataset
    names = []
    for ident in d.raw["indicators"]:
        for year in years:
            name = dataset.source_name(dataset.indicators[ident].source_in(year), blocks.year, blocks.lang)
            if name not in names:
                names.append(name)
    return words["source"] + words["sep"].join(names) + words["end"]
