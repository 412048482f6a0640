"""`report data diff Y1 Y2`: every indicator the report prints, side by side for two
years, with flags on changes an editor should look at twice before printing, each with
the places the value is printed (`file:line`, from rendering the report for Y2).

Flags: a value missing in either year; a sign flip, a rise from zero or a change by more
than `factor` times (not for ranks); a value identical to Y1's (a row copied, not
updated?); fewer decimals than Y1's (45.80 -> 45.8: a dropped zero, and the text prints
the digits as typed); a trend that reverses (+10.4% into Y1, -19.3% into Y2: "continued
to grow" would now be false; percentages move in percentage points); a rule of
data/checks.toml that no longer holds in Y2 (breakdown, sum, ratio); and a share whose
notes say how it is computed ("797 / 5386") that disagrees with its parts in Y2
(builder.analysis.derived). A fact without a year the report prints is listed, unchanged."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from builder.analysis.derived import disagreement, ratios
from builder.analysis.usage import collect, needs
from builder.cache import Cache
from builder.numbers import date_parts, decimals, plain
from builder.errors import ContentError
from builder.readers.project import Project
from builder.readers.rules import broken


@dataclass
class DiffRow:
    indicator: str
    label: str
    unit: str
    old: Decimal | None
    new: Decimal | None
    flags: list[str]
    where: list[str] = field(default_factory=list)   # places printed, "file:line" (flagged rows)
    undated: bool = False   # a fact without a year: the same in every year

    @property
    def change(self) -> str:
        if self.undated:
            return "unchanged (no year)"
        if self.old is None or self.new is None or self.unit == "date":
            return ""
        if self.unit in ("percent", "rank", "year"):   # a share moves in percentage points, a rank in places
            return step(self.old, self.new, self.unit)
        delta = self.new - self.old
        text = ("+" if delta >= 0 else "") + plain(delta)
        if self.old:
            text += f" ({'+' if delta >= 0 else ''}{plain(delta * 100 / abs(self.old), 1)}%)"
        return text

    def shown(self, value: Decimal | None) -> str:
        """A value as written in data/ (a date as YYYY-MM or YYYY-MM-DD)."""
        if value is None:
            return ""
        if self.unit != "date":
            return plain(value)
        year, month, day = date_parts(value)
        return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


def step(a: Decimal, b: Decimal, unit: str) -> str:
    """A change between two values: percentage points for a percent, places for a rank,
    otherwise a percentage of the first (the amount when it is 0)."""
    delta = b - a
    sign = "+" if delta >= 0 else ""
    if unit == "percent":
        return f"{sign}{plain(delta)} pp"
    if unit in ("rank", "year") or not a:
        return f"{sign}{plain(delta)}"
    return f"{sign}{plain(delta * 100 / abs(a), 1)}%"


def diff_years(project: Project, cache: Cache, old: int, new: int, factor: float = 2.0) -> list[DiffRow]:
    dataset = project.dataset
    for year in (old, new):   # a typo (202, 0) would list every value as missing
        if year not in dataset.edition_of and year not in dataset.years:
            known = sorted(set(dataset.edition_of) | set(dataset.years))
            raise ContentError(f"no data year {year}: data/ has {known[0]} to {known[-1]}", "data/editions.csv")
    failing = rule_flags(project, new)
    places = printed_at(project, new, cache)
    rows = []
    for ident in sorted({n.indicator for n in needs(project, cache)}):
        ind = dataset.indicators[ident]
        a, b = ind.value(old), ind.value(new)
        flags = value_flags(ind, old, new, factor) + failing.get(ident, [])
        # Where it is printed, unless it only is new (nothing said of OLD can break).
        shown = [f for f in flags if f != f"missing in {old}"]
        rows.append(DiffRow(ident, ind.label["en"], ind.unit, a, b, flags, places.get(ident, []) if shown else []))
    for ident in sorted(i for i in places if dataset.indicators[i].fixed is not None):
        ind = dataset.indicators[ident]
        rows.append(DiffRow(ident, ind.label["en"], ind.unit, ind.fixed.value, ind.fixed.value, [], undated=True))
    return sorted(rows, key=lambda r: r.indicator)


def value_flags(ind, old: int, new: int, factor: float) -> list[str]:
    """What looks odd in one indicator's change from `old` to `new`."""
    a, b = ind.value(old), ind.value(new)
    if a is None or b is None:
        return [f"missing in {old if a is None else new}"]
    flags = []
    if a == b:
        flags.append(f"same as {old}")
    if ind.unit == "date":
        return flags
    if a * b < 0:
        flags.append("sign flip")
    elif a == 0 and b != 0:
        flags.append("from zero")
    elif ind.unit not in ("rank", "year") and a and b and max(abs(b / a), abs(a / b)) > Decimal(str(factor)):
        flags.append(f"changed more than {factor:g}x")
    if decimals(b) < decimals(a):   # 45.80 typed as 45.8: a dropped zero, printed so
        flags.append(f"fewer decimals: {a} -> {b}")
    before = [y for y, row in ind.rows.items() if y < old and row.value is not None]
    if before:
        prior = ind.value(max(before))
        if (a - prior) * (b - a) < 0:
            flags.append(f"trend reverses: {step(prior, a, ind.unit)} into {old}, "
                         f"{step(a, b, ind.unit)} into {new}")
    return flags


def rule_flags(project: Project, year: int) -> dict[str, list[str]]:
    """Indicator -> the rules of data/checks.toml broken in `year` that name it (judged in
    the new year: a breakdown that no longer adds up flags its parts, a ratio its share),
    and the shares derived per their notes that disagree with their parts."""
    dataset = project.dataset
    failing: dict[str, list[str]] = {}
    for rule in project.rules:
        message = broken(rule, dataset, year)
        if message:   # a ratio flags its share, the value derived from the others
            for ident in (rule.total,) if rule.kind == "ratio" else rule.indicators:
                failing.setdefault(ident, []).append(message.split(" (")[0])
    for ratio in ratios(project):
        message = disagreement(ratio, dataset, year) if ratio.rule is None else None
        if message:
            failing.setdefault(ratio.share, []).append(message)
    return failing


def printed_at(project: Project, year: int, cache: Cache) -> dict[str, list[str]]:
    """Indicator -> every place the edition of `year` prints it (or a value computed from
    it), in file and line order."""
    uses, _ = collect(project, year, cache)
    places: dict[str, set[str]] = {}
    for use in uses:
        places.setdefault(use.indicator, set()).add(use.where)
    return {ident: sorted(found, key=_place_order) for ident, found in places.items()}


def _place_order(where: str):
    file, _, rest = where.partition(":")
    line = rest.split(" ", 1)[0]
    return (file, int(line) if line.isdigit() else 0, rest)


def review_lines(rows: list, old: int, new: int) -> list[str]:
    """The review table of `report data diff`, then the places of each flagged value."""
    table = [["indicator", str(old), str(new), "change", "unit", "flags"]]
    for r in rows:
        table.append([r.indicator, r.shown(r.old), r.shown(r.new), r.change, r.unit, "; ".join(r.flags)])
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    lines = ["  ".join(c.rjust(w) if 0 < i < 4 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
             + "  " + row[5] for row in table]
    flagged = [r for r in rows if r.flags and r.where]
    if flagged:
        lines.append(f"where the flagged values are printed (in the {new} edition):")
    return lines + [f"  {r.indicator}: {', '.join(r.where)}" for r in flagged]
