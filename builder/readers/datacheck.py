"""Years of indicator rows that cannot be right, found once all of data/ is read.

- Rows of one indicator come oldest first within a file, as `report data new-year`
  adds them (after the indicator's latest row); a year lower than the row above it is
  a stray year (2002 typed among the 2020 rows).
- No row is for a year after the newest year of data/editions.csv: a new year starts
  there (`report data new-year` adds both its editions row and its indicator rows).
Undated rows (a fact valid in every year) are not among `Indicator.rows`: no year, no rule.
"""
from __future__ import annotations

from builder.errors import DataError


def check_years(indicators: dict, edition_of: dict[int, int], problems: list) -> None:
    """Append a DataError (file, line, column year) for each stray or too-new year."""
    # A rejected editions row leaves its year out: then the newest year is not known.
    doubtful = any(str(getattr(p, "file", "")).endswith("editions.csv") for p in problems)
    newest = None if doubtful else max(edition_of, default=None)
    for ind in indicators.values():
        dated = sorted((row.file, row.line, year) for year, row in ind.rows.items() if isinstance(year, int))
        for (file, line, year), (prev_file, prev_line, prev_year) in zip(dated[1:], dated):
            if file == prev_file and year < prev_year:
                problems.append(DataError(
                    f"{ind.id} {year} comes after its {prev_year} row (line {prev_line}): rows of an "
                    f"indicator go oldest first; if {year} is a typo, correct it, else move the row "
                    f"above line {prev_line}", file, line, "year"))
        if newest is None:
            continue
        for file, line, year in dated:
            if year > newest:
                problems.append(DataError(
                    f"{ind.id} has a row for {year}, after the newest year of data/editions.csv "
                    f"({newest}): correct the year, or start {newest + 1} with "
                    f"`report data new-year {newest + 1}`", file, line, "year"))
