"""`report data rehearse YYYY`: the next year's data made up, to build a draft edition
before the real data arrive and see which sentences the new numbers would make false.

The report folder's content/ and data/ are copied into a work folder (the user's data/
is never touched); `report data new-year YYYY` adds the year's rows there, and each is
filled from the indicator's latest earlier value, moved at random but reproducibly (the
random numbers are seeded by the seed and the indicator id, so a rerun, or a new
indicator, leaves every other value as it was):
- counts, amounts and percentages by 5 to 30 %, up or down, in the data's decimal places
  (never to 0 or below, a percentage never above 100, and never to the same value);
- ranks (unit rank) permuted among the members of a group of data/groups.toml, or else
  moved by 1 or 2 places (never above first);
- dates and years (units date, year) one year later; facts without a year stay as they are;
then the relations hold again: the shares of each [[breakdown]] of data/checks.toml sum
to its total, the parts of each [[sum]] to theirs, and each ratio (builder.analysis.derived)
is its part over its whole. data/editions.csv gets the year's publication date, one year
after the last.
"""
from __future__ import annotations

import csv
import io
import random
import shutil
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from builder.analysis.balance import balance
from builder.analysis.derived import ratios
from builder.analysis.newyear import check_new_year, new_year
from builder.cache import Cache, atomic_write
from builder.errors import DataError, ProblemList, ReportError
from builder.numbers import date_parts
from builder.readers.project import Project, load_project


@dataclass
class Rehearsal:
    root: Path              # the work folder: content/ and data/ with the made-up year
    year: int
    base: int               # the year the values were moved from (the year before)
    up: int                 # values made larger
    down: int
    dates: int              # dates moved a year later
    published: str          # the made-up publication date

    @property
    def moved(self) -> int:
        return self.up + self.down + self.dates


def rehearse(project: Project, cache: Cache, year: int, seed: int, work: Path) -> Rehearsal:
    """Make the work folder: a copy of the report whose data have a made-up `year`."""
    check_new_year(project, year)
    if project.dataset.published.get(year):
        raise ReportError(f"{year} is published already: rehearse the next year, {year + 1}",
                          "data/editions.csv")
    _fresh_folder(project.root, work)
    for folder in ("content", "data"):
        shutil.copytree(project.root / folder, work / folder, ignore=shutil.ignore_patterns(".*"))
    new_year(load_project(work, cache), cache, year)
    copy = load_project(work, cache, validate_rules=False)
    base = {ident: _latest(ind, year) for ident, ind in copy.dataset.indicators.items() if year in ind.rows}
    base = {ident: value for ident, value in base.items() if value is not None}
    values = made_up(copy, base, seed)
    _write_values(work, copy.dataset, year, values)
    published = _write_published(work, copy.dataset, year)
    try:
        load_project(work, cache)   # the made-up year keeps every rule of data/checks.toml
    except ProblemList as exc:      # named in the work folder, not mistaken for the user's data/
        for problem in exc.problems:
            problem.file = str(work / problem.file) if problem.file else str(work)
        raise
    up = sum(1 for i, v in values.items() if copy.dataset.indicators[i].unit != "date" and v > base[i])
    down = sum(1 for i, v in values.items() if copy.dataset.indicators[i].unit != "date" and v < base[i])
    dates = sum(1 for i in values if copy.dataset.indicators[i].unit == "date")
    return Rehearsal(work, year, year - 1, up, down, dates, published)


def _fresh_folder(root: Path, work: Path) -> None:
    """Empty the work folder of an earlier rehearsal; refuse any other folder."""
    inside = any(work.resolve().is_relative_to((root / folder).resolve()) for folder in ("content", "data"))
    if inside or root.resolve().is_relative_to(work.resolve()):
        raise ReportError("the rehearsal needs a work folder of its own, outside the report folder's "
                          "content/ and data/", str(work))
    if work.exists():
        others = sorted(p.name for p in work.iterdir() if p.name not in ("content", "data"))
        if others:
            raise ReportError(f"not a rehearsal's work folder (it holds {others[0]}); nothing was "
                              "changed: move it or give another --output", str(work))
        shutil.rmtree(work)


def _latest(indicator, year: int) -> Decimal | None:
    years = [y for y, row in indicator.rows.items() if y < year and row.value is not None]
    return indicator.rows[max(years)].value if years else None


def made_up(project: Project, base: dict[str, Decimal], seed: int) -> dict[str, Decimal]:
    """A value for each indicator of `base` (id -> the value it moves from)."""
    dataset = project.dataset
    values: dict[str, Decimal] = {}
    for ident in sorted(base):
        rng = random.Random(f"{seed}:{ident}")
        unit = dataset.indicators[ident].unit
        if unit == "date":
            values[ident] = _next_year(base[ident])
        elif unit == "rank":
            values[ident] = _move_rank(base[ident], rng)
        elif unit == "year":
            values[ident] = base[ident] + 1
        else:
            values[ident] = _move(base[ident], rng, 100 if unit == "percent" else None)
    for name, group in sorted(dataset.groups.items()):
        members = [m for m in group.members if m in values and dataset.indicators[m].unit == "rank"]
        if len(members) > 1:
            values.update(_permuted(members, base, random.Random(f"{seed}:{name}")))
    balance(values, base, project.rules, ratios(project))
    return values


def _move(value: Decimal, rng: random.Random, ceiling: int | None = None) -> Decimal:
    """5 to 30 % up or down, in the value's decimal places; never to the same value, to 0
    or below from above 0, nor above `ceiling`."""
    unit = Decimal(1).scaleb(value.as_tuple().exponent)
    direction = rng.choice((-1, 1))
    factor = Decimal(rng.randint(5, 30)) / 100
    new = (value * (1 + direction * factor)).quantize(unit, ROUND_HALF_UP)
    if ceiling is not None and new > ceiling:
        direction, new = -1, (value * (1 - factor)).quantize(unit, ROUND_HALF_UP)
    if new == value:
        new = value + direction * unit
    too_high = ceiling is not None and new > ceiling
    if too_high or value > 0 >= new:
        new = value - unit if too_high else value + unit
    return new


def _move_rank(value: Decimal, rng: random.Random) -> Decimal:
    step = rng.choice((-2, -1, 1, 2))
    return value + step if value + step >= 1 else value + abs(step)


def _permuted(members: list[str], base: dict[str, Decimal], rng: random.Random) -> dict[str, Decimal]:
    """The members' ranks shuffled among them (another order when there is one)."""
    ranks = [base[m] for m in members]
    for _ in range(20):
        shuffled = ranks[:]
        rng.shuffle(shuffled)
        if shuffled != ranks:
            break
    return dict(zip(members, shuffled))


def _next_year(value: Decimal) -> Decimal:
    """A date a year later (29 February: the 28th)."""
    year, month, day = date_parts(value)
    if day is None:
        return Decimal((year + 1) * 100 + month)
    return Decimal((year + 1) * 10000 + month * 100 + (28 if (month, day) == (2, 29) else day))


def _text(value: Decimal, unit: str) -> str:
    if unit != "date":
        return format(value, "f")
    year, month, day = date_parts(value)
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


def _write_values(root: Path, dataset, year: int, values: dict[str, Decimal]) -> None:
    """Each value into its row of `year`, as CSV text in place of that line."""
    edits: dict[str, dict[int, tuple[str, str]]] = {}
    for ident, value in values.items():
        row = dataset.indicators[ident].rows[year]
        edits.setdefault(row.file, {})[row.line] = (ident, _text(value, dataset.indicators[ident].unit))
    for rel, lines in edits.items():
        _edit_csv(root / rel, rel, lambda cells, line: _set_value(cells, line, lines, str(year), rel))


def _set_value(cells: dict, line: int, lines: dict, year: str, rel: str) -> None:
    if line in lines:
        ident, value = lines[line]
        if cells.get("id") != ident or cells.get("year") != year:
            raise DataError(f"expected the {year} row of {ident} here", rel, line)
        cells["value"] = value


def _write_published(root: Path, dataset, year: int) -> str:
    """The year's publication date in data/editions.csv: a year after the last one."""
    last = max((d for y, d in dataset.published.items() if y < year and d), default=f"{year}-06-30")
    y, month, day = (int(part) for part in last.split("-"))
    date = f"{y + 1:04d}-{month:02d}-{28 if (month, day) == (2, 29) else day:02d}"

    def fill(cells: dict, line: int) -> None:
        if cells.get("year") == str(year):
            cells["published"] = date
    _edit_csv(root / "data" / "editions.csv", "data/editions.csv", fill)
    return date


def _edit_csv(path: Path, rel: str, edit) -> None:
    """Rewrite the lines whose cells `edit(cells, line)` changes, each as CSV in the
    file's column order and line ending; every other line is kept as it was."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    for number, line in enumerate(lines[1:], 2):
        cells = next(csv.reader([line]), [])
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        before = dict(row)
        edit(row, number)
        if row != before:
            ending = line[len(line.rstrip("\r\n")):] or "\n"
            out = io.StringIO()
            csv.writer(out, lineterminator=ending).writerow([row.get(h, "") for h in header])
            lines[number - 1] = out.getvalue()
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + "".join(lines).encode("utf-8"))
