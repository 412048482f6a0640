"""Reads data/: indicator rows (one value per indicator and year), sources, editions.

pandas stops here: the rest of the builder sees plain `Indicator` objects.
Every problem names the file, the line (as an editor counts it: header = line 1)
and the column.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from builder.errors import DataError, ProblemList
from builder.numbers import UNITS
from builder.readers.datacheck import check_years
from builder.chars import unprintable

INDICATOR_COLUMNS = ["id", "year", "value", "unit", "label_zh", "label_en", "source", "notes"]
SOURCE_COLUMNS = ["id", "name_zh", "name_en"]
EDITION_COLUMNS = ["year", "published", "edition"]
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Row:
    value: Decimal | None     # None: left empty, to be filled (a half-filled new year)
    file: str
    line: int


@dataclass
class Indicator:
    id: str
    unit: str
    label: dict[str, str]
    source: str
    notes: str = ""
    rows: dict[int, Row] = field(default_factory=dict)   # year -> row

    def value(self, year: int) -> Decimal | None:
        row = self.rows.get(year)
        return row.value if row else None


@dataclass
class Source:
    id: str
    name: dict[str, str]


@dataclass
class Dataset:
    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    published: dict[int, str]        # data year -> publication date (ISO); "" until filled
    edition_of: dict[int, int]       # data year -> edition year printed on the cover

    @property
    def years(self) -> list[int]:
        return sorted({y for ind in self.indicators.values() for y in ind.rows})


def _read_csv(path: Path, columns: list[str], root: Path):
    """Read a CSV as text cells; wrong header or undecodable bytes are errors."""
    import pandas as pd

    rel = _rel(path, root)
    if not path.resolve().is_relative_to(root.resolve()):
        raise DataError("resolves to a file outside the report folder; copy it in instead", rel)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=True)
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", rel)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise DataError(f"CSV does not parse: {str(exc).strip().splitlines()[-1]}", rel,
                        int(line.group(1)) if line else None)
    missing = [c for c in columns if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in columns]
    if missing or unknown:
        raise DataError(f"header must be {','.join(columns)}"
                        + (f"; missing {', '.join(missing)}" if missing else "")
                        + (f"; unknown {', '.join(map(str, unknown))}" if unknown else ""), rel, 1)
    # pandas drops blank lines, so take line numbers from its index only when none were
    # skipped; otherwise recount from the raw file.
    lines = _data_line_numbers(path)
    return [(lines[i] if i < len(lines) else i + 2, {c: str(v).strip() for c, v in row.items()})
            for i, row in enumerate(frame.to_dict("records"))]


def _data_line_numbers(path: Path) -> list[int]:
    import csv
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        numbers = []
        for row in reader:
            if any(cell.strip() for cell in row):
                numbers.append(reader.line_num)
        return numbers


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


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
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"{text!r} is not a number")
    if re.match(r"-?0\d", text):
        raise ValueError(f"{text!r} has a leading zero: write {text.lstrip('0') or '0'} (or quote it as a label)")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number")


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
    if problems:
        raise ProblemList(problems)
    return Dataset(indicators, sources, published, edition_of)


def _add_indicator_row(indicators, sources, row, rel, line, problems) -> None:
    def bad(column, message):
        problems.append(DataError(message, rel, line, column))

    ident = row["id"]
    if not ID_PATTERN.match(ident):
        return bad("id", f"indicator id {ident!r} must be lower_snake_case")
    try:
        year = int(row["year"])
        if not 1900 < year < 2200:
            raise ValueError
    except ValueError:
        return bad("year", f"year {row['year']!r} is not a four-digit year")
    try:
        # An empty value is a figure still to be filled, not an error: a new year is
        # entered over time, and `report check --year` lists what is left.
        value = parse_number(row["value"]) if row["value"] else None
    except ValueError as exc:
        return bad("value", str(exc))
    if row["unit"] not in UNITS:
        return bad("unit", f"unknown unit {row['unit']!r} (known: {', '.join(UNITS)})")
    if row["source"] not in sources:
        return bad("source", f"unknown source {row['source']!r} (add it to data/sources.csv)")
    if not row["label_zh"] or not row["label_en"]:
        return bad("label_zh" if not row["label_zh"] else "label_en", "label is empty")
    for column in ("label_zh", "label_en", "notes"):
        odd = [c for c in row[column] if unprintable(c)]
        if odd:
            return bad(column, f"control character U+{ord(odd[0]):04X} in text; remove it")
    indicator = indicators.get(ident)
    if indicator is None:
        indicator = indicators[ident] = Indicator(
            ident, row["unit"], {"zh": row["label_zh"], "en": row["label_en"]}, row["source"],
            row["notes"])
    elif indicator.unit != row["unit"]:
        return bad("unit", f"{ident} has unit {indicator.unit} elsewhere, {row['unit']} here")
    if year in indicator.rows:
        first = indicator.rows[year]
        return bad("year", f"duplicate row for {ident} {year} (first at {first.file}:{first.line})")
    if row["notes"] and not indicator.notes:
        indicator.notes = row["notes"]
    indicator.rows[year] = Row(value, rel, line)


def _read_sources(path: Path, root: Path, problems) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not path.exists():
        problems.append(DataError("missing: every indicator names a source listed here", _rel(path, root)))
        return sources
    try:
        rows = _read_csv(path, SOURCE_COLUMNS, root)
    except DataError as exc:
        problems.append(exc)
        return sources
    for line, row in rows:
        if row["id"] in sources:
            problems.append(DataError(f"duplicate source {row['id']!r}", _rel(path, root), line, "id"))
        sources[row["id"]] = Source(row["id"], {"zh": row["name_zh"], "en": row["name_en"]})
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
