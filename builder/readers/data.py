"""Reads data/: indicator rows (one value per indicator and year), sources, editions,
groups (data/groups.toml, readers.groups).

pandas stops here: the rest of the builder sees plain `Indicator` objects.
Every problem names the file, the line (as an editor counts it: header = line 1)
and the column.

A row with an empty year is a fact valid in every year (`Indicator.fixed`); a row of
unit `date` holds YYYY-MM or YYYY-MM-DD, stored as the number YYYYMM or YYYYMMDD
(numbers.date_parts). Labels and source names are taken from the row of the year built
(or the latest before it) and may contain `{{ year }}` and `{{ prev_year }}`.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from builder.errors import DataError, ProblemList
from builder.numbers import UNITS
from builder.readers.csvfile import rel as _rel
from builder.readers.csvfile import read_csv as _read_csv
from builder.readers.datacheck import check_years
from builder.chars import UNPRINTABLE
from builder.readers.groups import RESERVED, Group, read_groups

INDICATOR_COLUMNS = ["id", "year", "value", "unit", "label_zh", "label_en", "source", "notes"]
SOURCE_COLUMNS = ["id", "name_zh", "name_en"]
# Optional: the full reference the Data sources chapter lists (empty where not known).
REFERENCE_COLUMNS = ["author_zh", "author_en", "title_zh", "title_en", "publisher_zh", "publisher_en",
                     "year", "url", "note_zh", "note_en"]
EDITION_COLUMNS = ["year", "published", "edition"]
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# The placeholders a label or a source name may hold, filled for the year built.
LABEL_YEARS = re.compile(r"\{\{\s*(year|prev_year)\s*\}\}")


@dataclass
class Row:
    value: Decimal | None     # None: left empty, to be filled (a half-filled new year)
    file: str
    line: int
    label: dict[str, str] = field(default_factory=dict)   # this row's label_zh, label_en
    source: str = ""


@dataclass
class Indicator:
    id: str
    unit: str
    label: dict[str, str]     # of its first row; printed labels come from label_in(year)
    source: str               # of its first row; see source_in(year)
    notes: str = ""
    rows: dict[int, Row] = field(default_factory=dict)   # year -> row
    fixed: Row | None = None  # a row without a year: the value of every year

    def value(self, year: int) -> Decimal | None:
        row = self.fixed or self.rows.get(year)
        return row.value if row else None

    def row_for(self, year: int) -> Row:
        """The row whose label and source apply in `year`: that year's, else the latest
        earlier one, else the earliest."""
        if self.fixed:
            return self.fixed
        if year in self.rows:
            return self.rows[year]
        earlier = [y for y in self.rows if y < year]
        return self.rows[max(earlier) if earlier else min(self.rows)]

    def label_in(self, year: int, lang: str) -> str:
        """The label printed in the edition of `year`, its `{{ year }}` filled."""
        return fill_years(self.row_for(year).label.get(lang) or self.label[lang], year)

    def source_in(self, year: int) -> str:
        """The source id of the value of `year` (that row's, or as for label_in)."""
        return self.row_for(year).source or self.source


@dataclass
class Source:
    id: str
    name: dict[str, str]
    reference: dict[str, str] = field(default_factory=dict)   # REFERENCE_COLUMNS -> text


@dataclass
class Dataset:
    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    published: dict[int, str]        # data year -> publication date (ISO); "" until filled
    edition_of: dict[int, int]       # data year -> edition year printed on the cover
    groups: dict[str, Group] = field(default_factory=dict)   # data/groups.toml

    @property
    def years(self) -> list[int]:
        return sorted({y for ind in self.indicators.values() for y in ind.rows})

    def source_name(self, source: str, year: int, lang: str) -> str:
        """A source's name as printed in the edition of `year`."""
        return fill_years(self.sources[source].name[lang], year)

    def source_reference(self, source: str, year: int, lang: str) -> dict[str, str]:
        """A source's full reference in `lang` (author, title, publisher, note; year, url),
        as printed in the edition of `year`; empty fields where not known."""
        ref = self.sources[source].reference
        return {key: fill_years(ref.get(f"{key}_{lang}", "") or ref.get(key, ""), year)
                for key in ("author", "title", "publisher", "note", "year", "url")}


def fill_years(text: str, year: int) -> str:
    """`{{ year }}` and `{{ prev_year }}` of a label or source name, for the year built."""
    if "{" not in text:
        return text
    return LABEL_YEARS.sub(lambda m: str(year if m.group(1) == "year" else year - 1), text)


MAX_LABEL, MAX_NOTE = 200, 2000   # characters of a label or source name, of a note


def label_problem(text: str) -> str | None:
    """Why a label or source name cannot be printed, or None: only the year placeholders
    are filled in data (a label is not a template)."""
    rest = LABEL_YEARS.sub("", text)
    if any(mark in rest for mark in ("{{", "}}", "{%", "%}")):
        return f"only {{{{ year }}}} and {{{{ prev_year }}}} can be filled in a label or source name: {text!r}"
    return None


MAX_DIGITS = 15   # of a value: more than any statistic has


def parse_number(text: str) -> Decimal:
    """Numbers are written plainly: 1011 or 42.5. Thousands separators, percent signs,
    full-width digits and blanks are refused so that a unit is never guessed."""
    if text == "":
        raise ValueError("empty value (write the number, or delete the row)")
    if any(unicodedata.east_asian_width(ch) == "F" for ch in text):
        raise ValueError(f"full-width characters in {text!r}: use ASCII digits")
    if "," in text:
        raise ValueError(f"{text!r} has a thousands separator: write {text.replace(',', '')}")
    if text.endswith("%"):
        raise ValueError(f"{text!r} has a percent sign: write {text[:-1]} with unit percent")
    if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", text):
        raise ValueError(f"{text!r} is a date: give the row unit date")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"{text!r} is not a number")
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:   # Decimal computes with 28: shares and growths of more would be wrong
        raise ValueError(f"{text[:20]!r}… has {digits} digits: the limit is {MAX_DIGITS}")
    if re.match(r"-?0\d", text):
        raise ValueError(f"{text!r} has a leading zero: write {text.lstrip('0') or '0'} (or quote it as a label)")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number")


def parse_value(text: str, unit: str) -> Decimal:
    """A value as its unit writes it: a date, a four-digit year, or a number."""
    if unit == "date":
        return parse_date(text)
    if unit == "year" and not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"{text!r} is not a year: write its four digits (2019) for unit year")
    number = parse_number(text)
    if unit == "rank" and not re.fullmatch(r"[1-9]\d*", text):
        raise ValueError(f"{text!r} is not a rank: write a whole number from 1 (first) for unit rank")
    return number


def parse_date(text: str) -> Decimal:
    """A value of unit date: YYYY-MM or YYYY-MM-DD, a real calendar date; stored as the
    number YYYYMM or YYYYMMDD (numbers.date_parts reads it back)."""
    match = re.fullmatch(r"(\d{4})-(\d\d)(?:-(\d\d))?", text)
    if not match:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM or YYYY-MM-DD (2020-03, 2020-03-15)")
    year, month, day = int(match[1]), int(match[2]), match[3] and int(match[3])
    try:
        datetime.date(year, month, day or 1)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None
    if not 1900 < year < 2200:
        raise ValueError(f"{text!r}: the year is out of range")
    return Decimal(year * 10000 + month * 100 + day if day else year * 100 + month)


def read_dataset(data_dir: Path, root: Path) -> Dataset:
    """Read every data file; collect all problems and raise them together."""
    problems: list[DataError] = []
    sources = _read_sources(data_dir / "sources.csv", root, problems)
    indicators: dict[str, Indicator] = {}
    files = sorted((data_dir / "indicators").glob("*.csv"))
    if not files:
        problems.append(DataError("no indicator files (data/indicators/*.csv)", _rel(data_dir, root)))
    for path in files:
        try:
            rows = _read_csv(path, INDICATOR_COLUMNS, root)
        except DataError as exc:
            problems.append(exc)
            continue
        rel = _rel(path, root)
        for line, row in rows:
            _add_indicator_row(indicators, sources, row, rel, line, problems)
    published, edition_of = _read_editions(data_dir / "editions.csv", root, problems)
    check_years(indicators, edition_of, problems)   # year order; none after editions.csv
    groups = read_groups(data_dir / "groups.toml", _rel(data_dir / "groups.toml", root), indicators, problems)
    if problems:
        raise ProblemList(problems)
    return Dataset(indicators, sources, published, edition_of, groups)


def _add_indicator_row(indicators, sources, row, rel, line, problems) -> None:
    def bad(column, message):
        problems.append(DataError(message, rel, line, column))

    ident = row["id"]
    if not ID_PATTERN.match(ident):
        return bad("id", f"indicator id {ident!r} must be lower_snake_case")
    if ident in RESERVED:
        return bad("id", f"{ident!r} is a word of the templates; choose another id")
    year = None     # an empty year: a fact valid in every year
    if row["year"]:
        try:
            year = int(row["year"])
            if not 1900 < year < 2200:
                raise ValueError
        except ValueError:
            return bad("year", f"year {row['year']!r} is not a four-digit year (or leave it empty "
                               "for a fact valid in every year)")
    try:
        # An empty value is a figure still to be filled, not an error: a new year is
        # entered over time, and `report check --year` lists what is left.
        value = parse_value(row["value"], row["unit"]) if row["value"] else None
    except ValueError as exc:
        return bad("value", str(exc))
    if year is None and value is None:
        return bad("value", "a row without a year is a fact valid in every year: it needs its value")
    problem = _cell_problem(row, sources)
    if problem:
        return bad(*problem)
    label = {"zh": row["label_zh"], "en": row["label_en"]}
    indicator = indicators.get(ident)
    if indicator is None:
        indicator = indicators[ident] = Indicator(ident, row["unit"], label, row["source"], row["notes"])
    elif indicator.unit != row["unit"]:
        return bad("unit", f"{ident} has unit {indicator.unit} elsewhere, {row['unit']} here")
    clash = _year_clash(indicator, year)
    if clash:
        return bad("year", clash)
    if row["notes"] and not indicator.notes:
        indicator.notes = row["notes"]
    new = Row(value, rel, line, label, row["source"])
    if year is None:
        indicator.fixed = new
    else:
        indicator.rows[year] = new


def _cell_problem(row: dict, sources) -> tuple[str, str] | None:
    """(column, message) of the first bad unit, source, label or note of a row."""
    if row["unit"] not in UNITS:
        return "unit", f"unknown unit {row['unit']!r} (known: {', '.join(UNITS)})"
    if row["source"] not in sources:
        return "source", f"unknown source {row['source']!r} (add it to data/sources.csv)"
    if not row["label_zh"] or not row["label_en"]:
        return "label_zh" if not row["label_zh"] else "label_en", "label is empty"
    for column in ("label_zh", "label_en", "notes"):
        odd = UNPRINTABLE.search(row[column])
        if odd:
            return column, f"control character U+{ord(odd[0]):04X} in text; remove it"
    for column in ("label_zh", "label_en", "notes"):
        limit = MAX_NOTE if column == "notes" else MAX_LABEL
        if len(row[column]) > limit:   # a label is printed in a chart, a table's cell, a sentence
            return column, f"text of {len(row[column]):,} characters: the limit is {limit:,}"
    for column in ("label_zh", "label_en"):
        problem = label_problem(row[column])
        if problem:
            return column, problem
    return None


def _year_clash(indicator: Indicator, year: int | None) -> str | None:
    """Why a row of `year` (None: no year) cannot join the indicator's rows, or None."""
    ident, fixed = indicator.id, indicator.fixed
    if fixed is not None:
        what = "duplicate row" if year is None else "a row with a year"
        return (f"{what} for {ident}, which has a row without a year at {fixed.file}:{fixed.line} "
                "(a fact valid in every year has that one row)")
    if year is None and indicator.rows:
        first = indicator.rows[min(indicator.rows)]
        return (f"a row without a year for {ident}, which has yearly rows (first at {first.file}:{first.line});"
                " give it a year, or keep only this row for a fact valid in every year")
    if year in indicator.rows:
        first = indicator.rows[year]
        return f"duplicate row for {ident} {year} (first at {first.file}:{first.line})"
    return None


def _read_sources(path: Path, root: Path, problems) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not path.exists():
        problems.append(DataError("missing: every indicator names a source listed here", _rel(path, root)))
        return sources
    try:
        rows = _read_csv(path, SOURCE_COLUMNS, root, tuple(REFERENCE_COLUMNS))
    except DataError as exc:
        problems.append(exc)
        return sources
    for line, row in rows:
        if row["id"] in sources:
            problems.append(DataError(f"duplicate source {row['id']!r}", _rel(path, root), line, "id"))
        # A source known by one name only (an English-language journal, say) is cited by it in both.
        names = {"zh": row["name_zh"] or row["name_en"], "en": row["name_en"] or row["name_zh"]}
        if not names["zh"]:
            problems.append(DataError("a source needs a name: name_zh, name_en or both", _rel(path, root), line,
                                      "name_zh"))
        for column, cell in row.items():   # every column is printed (names, the reference)
            odd = UNPRINTABLE.search(cell)
            if odd or len(cell) > MAX_NOTE:
                problems.append(DataError(f"control character U+{ord(odd[0]):04X} in text; remove it" if odd else
                                          f"text of {len(cell):,} characters: the limit is {MAX_NOTE:,}",
                                          _rel(path, root), line, column))
        for column, lang in (("name_zh", "zh"), ("name_en", "en")):
            problem = label_problem(names[lang]) or (
                f"text of {len(names[lang]):,} characters: the limit is {MAX_LABEL}" if len(names[lang]) > MAX_LABEL else None)
            if problem:
                problems.append(DataError(problem, _rel(path, root), line, column))
        sources[row["id"]] = Source(row["id"], names, {c: row[c] for c in REFERENCE_COLUMNS if row[c]})
    return sources


def _read_editions(path: Path, root: Path, problems) -> tuple[dict[int, str], dict[int, int]]:
    published: dict[int, str] = {}
    edition_of: dict[int, int] = {}
    if not path.exists():
        problems.append(DataError("missing: one row per data year with its publication date",
                                  _rel(path, root)))
        return published, edition_of
    try:
        rows = _read_csv(path, EDITION_COLUMNS, root)
    except DataError as exc:
        problems.append(exc)
        return published, edition_of
    lines: dict[int, int] = {}
    for line, row in rows:
        if not re.fullmatch(r"\d{4}", row["year"]) or not re.fullmatch(r"\d{4}", row["edition"]):
            problems.append(DataError("year and edition must be four-digit years", _rel(path, root), line))
            continue
        year = int(row["year"])
        wrong = _edition_problem(year, row, lines)
        if wrong:
            problems.append(DataError(wrong[1], _rel(path, root), line, wrong[0]))
            continue
        lines[year] = line
        published[year] = row["published"]
        edition_of[year] = int(row["edition"])
    return published, edition_of


def _edition_problem(year: int, row: dict, lines: dict[int, int]) -> tuple[str, str] | None:
    """(column, message) for an editions row that cannot be right, else None."""
    from datetime import date
    if year in lines:
        return "year", f"duplicate row for {year} (first at line {lines[year]}): keep one"
    if int(row["edition"]) < year:
        return "edition", (f"edition {row['edition']} is before data year {year}: the edition with "
                           f"{year}'s data comes out in {year} or later (usually {year + 1})")
    text = row["published"]
    if not text:   # a stub from `report data new-year`: that year cannot be built until filled
        return None
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return "published", f"published {text!r} must be YYYY-MM-DD"
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        return "published", f"published {text!r} is not a date ({exc}); write a real YYYY-MM-DD"
    if day.year < year:
        return "published", (f"published {text} is before data year {year}: {year}'s data is "
                             f"published in {year} or later; correct the date or the year")
    return None
