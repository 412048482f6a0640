"""Made-up values put back in order (for `report data rehearse`): the shares of each
[[breakdown]] of data/checks.toml sum to its total, the parts of each [[sum]] to theirs,
and each ratio is its part over its whole, in the data's decimal places; a value the
balancing would bring back to its old one is moved one unit (against another part)."""
from __future__ import annotations

import math
from decimal import Decimal

from builder.analysis.derived import Ratio, recompute
from builder.numbers import decimals


def balance(values: dict[str, Decimal], base: dict[str, Decimal], rules: list, ratios: list[Ratio]) -> None:
    """Change `values` (id -> made-up value) in place; `base`: the values they moved from.
    Rules with a value missing from `values` are left alone (not checked in that year)."""
    fixed: set[str] = set()
    for rule in rules:
        if rule.kind == "breakdown" and all(p in values for p in rule.parts):
            spread(values, base, list(rule.parts), rule.total)
            fixed |= set(rule.parts)
    pending = [r for r in rules if r.kind == "sum" and all(i in values for i in r.indicators)]
    while pending:
        rule = _next_sum(pending, fixed)
        pending.remove(rule)
        free = [p for p in rule.parts if p not in fixed]
        settled = sum((values[p] for p in rule.parts if p in fixed), Decimal(0))
        rest = values[rule.total] - settled
        if rule.total in fixed and not free:
            pass   # both sides settled by other rules: data/checks.toml then fails, and says so
        elif free and (rule.total in fixed or rest >= len(free) * _unit(free, base)):
            spread(values, base, free, rest)
        else:   # the parts are settled (or cannot take the total): the total follows them
            values[rule.total] = sum((values[p] for p in rule.parts), Decimal(0))
        fixed |= set(rule.indicators)
    for ratio in ratios:
        if ratio.share not in fixed and {ratio.share, ratio.part, ratio.whole} <= set(values):
            share = recompute(ratio, values, decimals(base[ratio.share]))
            if share is not None:
                values[ratio.share] = share


def _next_sum(pending: list, fixed: set[str]):
    """The sum rule to settle next: one whose parts are settled, else one whose total is,
    else one whose total is no other pending rule's part, else the first."""
    parts_of_others = {p for r in pending for p in r.parts}
    for ready in (lambda r: all(p in fixed for p in r.parts), lambda r: r.total in fixed,
                  lambda r: r.total not in parts_of_others):
        for rule in pending:
            if ready(rule):
                return rule
    return pending[0]


def _unit(ids: list[str], base: dict[str, Decimal]) -> Decimal:
    """The coarsest last decimal of the values `ids` moved from: 1, 0.1, 0.01..."""
    return Decimal(1).scaleb(-min(decimals(base[i]) for i in ids))


def spread(values: dict[str, Decimal], base: dict[str, Decimal], ids: list[str], total: Decimal) -> None:
    """Scale the values `ids` to sum to `total` exactly, by largest remainders in their
    coarsest decimal place, none below one unit, each printed in its own places."""
    unit = _unit(ids, base)
    if (total / unit) % 1:
        unit = Decimal(1).scaleb(total.as_tuple().exponent)
    count = int(total / unit)
    raw = [max(values[i], Decimal(0)) for i in ids]
    whole = sum(raw) or Decimal(len(ids))
    exact = [(r if sum(raw) else 1) * count / whole for r in raw]
    units = [max(1, math.floor(x)) for x in exact]
    order = sorted(range(len(ids)), key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    k = 0
    while sum(units) < count:
        units[order[k % len(ids)]] += 1
        k += 1
    while sum(units) > count:   # raised to one unit: taken from the largest
        units[max(range(len(ids)), key=lambda i: units[i])] -= 1
    _keep_moved(units, [base[i] / unit for i in ids])
    for i, n in zip(ids, units):
        values[i] = (n * unit).quantize(Decimal(1).scaleb(-max(decimals(base[i]), decimals(unit))))


def _keep_moved(units: list[int], before: list[Decimal]) -> None:
    """A part back at its old value gives or takes one unit from the largest other part
    that stays moved and above one unit."""
    for i, n in enumerate(units):
        if n != before[i]:
            continue
        for j in sorted(range(len(units)), key=lambda j: -units[j]):
            if j != i and units[j] - 1 != before[j] and units[j] > 1:
                units[i], units[j] = n + 1, units[j] - 1
                break
