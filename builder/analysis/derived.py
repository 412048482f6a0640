"""Values computed from others: the shares of data/checks.toml's [[ratio]] rules, and
the shares whose `notes` say how they were computed ("797 / 5386"), found by matching
the note's two numbers with the values of two other indicators of one unit in a year
where the share holds that quotient (to its printed precision). Only a declared rule is
checked by every build; one found in the notes is a hint for `report data diff` and the
rehearsal, which tells the editor how to declare it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from builder.numbers import decimals, plain
from builder.readers.rules import Rule, precision

QUOTIENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)(?![\d.])")


@dataclass(frozen=True)
class Ratio:
    share: str
    part: str
    whole: str
    rule: Rule | None       # declared in data/checks.toml; None: read from the share's notes
    note: str = ""          # the notes' "797 / 5386"

    @property
    def declaration(self) -> str:
        return f'[[ratio]] share = "{self.share}", part = "{self.part}", whole = "{self.whole}"'


def ratios(project) -> list[Ratio]:
    """Every declared ratio, then every one the notes give that is not declared."""
    declared = [Ratio(r.total, *r.parts, r) for r in project.rules if r.kind == "ratio"]
    known = {r.share for r in declared}
    found = [r for ind in project.dataset.indicators.values() if ind.id not in known
             for r in [_from_notes(project.dataset, ind)] if r]
    return declared + found


def _from_notes(dataset, share) -> Ratio | None:
    """The ratio a percent's notes state as "a / b", when exactly one pair of indicators
    of one unit held a and b in a year where the share is a / b (printed precision)."""
    match = QUOTIENT.search(share.notes) if share.unit == "percent" else None
    if not match:
        return None
    a, b = (Decimal(g) for g in match.groups())
    pairs = set()
    for year, row in share.rows.items():
        if row.value is None or not b:
            continue
        if abs(row.value - a * 100 / b) > precision(row.value):
            continue
        holders = {n: [i for i in dataset.indicators.values() if i.id != share.id and i.unit != "date"
                       and i.value(year) == n] for n in (a, b)}
        pairs |= {(p.id, w.id) for p in holders[a] for w in holders[b] if p.unit == w.unit and p is not w}
    if len(pairs) != 1:
        return None
    part, whole = pairs.pop()
    return Ratio(share.id, part, whole, None, match.group(0))


def disagreement(ratio: Ratio, dataset, year: int) -> str | None:
    """Why a share the notes derive is not part / whole in `year` (to its printed
    precision), or None. (A declared ratio is a rule: readers.rules.broken.)"""
    share, part, whole = (dataset.indicators[i].value(year) for i in (ratio.share, ratio.part, ratio.whole))
    if share is None or part is None or not whole:
        return None
    want = part * 100 / whole
    if abs(share - want) <= precision(share):
        return None
    return (f"derived: {ratio.share} is {share} in {year}, but {ratio.part} / {ratio.whole} is "
            f"{plain(want, max(2, decimals(share)))}% (per its notes, {ratio.note}; declare it in "
            f"data/checks.toml: {ratio.declaration})")


def recompute(ratio: Ratio, values: dict[str, Decimal], places: int) -> Decimal | None:
    """The share part / whole from `values` (id -> value), to `places` decimals."""
    part, whole = values.get(ratio.part), values.get(ratio.whole)
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal(1).scaleb(-places))
