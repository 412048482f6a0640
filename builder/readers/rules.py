"""data/checks.toml: relations between indicators that every build verifies.

Declared, never guessed: only the editors know which shares form a whole, which counts
add up to a total and which values are computed from others.

    [[breakdown]]                      # shares of one whole
    indicators = ["region_beijing", "region_other"]
    total = 100                        # default 100
    tolerance = 0.5                    # default 0.5 (rounding in the source)

    [[sum]]                            # parts adding up to another indicator
    total = "ai_universities"
    parts = ["univ_moe", "univ_provincial"]
    tolerance = 0                      # default 0

    [[ratio]]                          # a percentage computed from two values: share = part / whole
    share = "firms_cn_share_world"     # unit percent
    part = "firms_cn"                  # part and whole: one unit
    whole = "firms_world"
    tolerance = 0.05                   # default: the share's printed precision (14.80: 0.005)

A rule is checked in every year where all its values are present (a half-filled year
is reported as missing by `report check --year`, not here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.errors import DataError
from builder.numbers import decimals, plain
from builder.readers.config import read_toml

RULES = "data/checks.toml"
KINDS = {"breakdown": {"indicators", "total", "tolerance"}, "sum": {"total", "parts", "tolerance"},
         "ratio": {"share", "part", "whole", "tolerance"}}


@dataclass(frozen=True)
class Rule:
    kind: str                   # breakdown | sum | ratio
    parts: tuple[str, ...]      # ratio: (part, whole)
    total: Decimal | str        # a number (breakdown) or an indicator id (sum: the total, ratio: the share)
    tolerance: Decimal | None   # None (ratio): half a unit of the share's last decimal
    line: int                   # of the rule in data/checks.toml

    @property
    def where(self) -> str:
        return f"{RULES}:{self.line}"

    @property
    def indicators(self) -> tuple[str, ...]:
        """Every indicator the rule names."""
        return self.parts + ((self.total,) if isinstance(self.total, str) else ())


def read_rules(root: Path, indicators: dict) -> tuple[list[Rule], list[DataError]]:
    path = root / RULES
    if not path.exists():
        return [], []
    try:
        text, raw = read_toml(path, RULES, DataError)
    except DataError as exc:
        return [], [exc]
    # tomllib gives no positions: the nth [[kind]] header is the nth rule of that kind.
    lines = {kind: [n for n, l in enumerate(text.splitlines(), 1) if re.match(rf"\s*\[\[{kind}\]\]", l)]
             for kind in KINDS}
    rules, problems = [], []
    for kind in raw:
        if kind not in KINDS:
            problems.append(DataError(f"unknown section {kind!r} (use [[breakdown]], [[sum]] or [[ratio]])",
                                      RULES))
    for kind in KINDS:
        items = raw.get(kind, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            problems.append(DataError(f"{kind} must be written [[{kind}]] (a list of tables)", RULES,
                                      next((n for n, l in enumerate(text.splitlines(), 1)
                                            if re.match(rf"\s*\[?{kind}\b", l)), None)))
            continue
        for number, item in enumerate(items):   # (an inline list has no [[kind]] lines)
            line = lines[kind][number] if number < len(lines[kind]) else \
                next((n for n, l in enumerate(text.splitlines(), 1) if re.match(rf"\s*{kind}\b", l)), None)
            found = _rule(kind, item, line, indicators)
            if isinstance(found, Rule):
                rules.append(found)
            else:
                problems.append(DataError(f"{kind}: {found}", RULES, line))
    return rules, problems


def _rule(kind: str, item: dict, line: int, indicators: dict) -> Rule | str:
    """The rule of one [[kind]] table, or what is wrong with it."""
    unknown = set(item) - KINDS[kind]
    if unknown:
        return f"unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KINDS[kind]))})"
    if kind == "ratio":
        return _ratio(item, line, indicators)
    parts = item.get("indicators" if kind == "breakdown" else "parts")
    total = item.get("total", 100 if kind == "breakdown" else None)
    tolerance = item.get("tolerance", 0.5 if kind == "breakdown" else 0)
    if not isinstance(parts, list) or len(parts) < 2 or not all(isinstance(p, str) for p in parts):
        return "needs a list of at least two indicator ids"
    if kind == "sum" and not isinstance(total, str):
        return 'total must be an indicator id, e.g. total = "loans"'
    if kind == "breakdown" and not isinstance(total, (int, float)):
        return "total must be a number, e.g. total = 100"
    if not isinstance(tolerance, (int, float)) or tolerance < 0:
        return "tolerance must be a number >= 0"
    names = parts + ([total] if kind == "sum" else [])
    unknown_ids = [n for n in names if n not in indicators]
    units = {indicators[n].unit for n in names if n in indicators}
    if unknown_ids:
        return f"unknown indicator {unknown_ids[0]!r}"
    if len(units) > 1:
        return f"indicators have different units ({', '.join(sorted(units))})"
    return Rule(kind, tuple(parts), total if isinstance(total, str) else Decimal(str(total)),
                Decimal(str(tolerance)), line)


def _ratio(item: dict, line: int, indicators: dict) -> Rule | str:
    names = [item.get(key) for key in ("share", "part", "whole")]
    tolerance = item.get("tolerance")
    if not all(isinstance(n, str) for n in names):
        return 'needs share, part and whole, each an indicator id, e.g. share = "loans_ebook"'
    unknown_ids = [n for n in names if n not in indicators]
    if unknown_ids:
        return f"unknown indicator {unknown_ids[0]!r}"
    share, part, whole = (indicators[n] for n in names)
    if share.unit != "percent":
        return f"share {share.id} has unit {share.unit}: a ratio's share is a percent"
    if part.unit != whole.unit or part.unit == "date":
        return f"part and whole have units {part.unit} and {whole.unit}: they need one unit, not date"
    if tolerance is not None and (not isinstance(tolerance, (int, float)) or tolerance < 0):
        return "tolerance must be a number >= 0"
    return Rule("ratio", (part.id, whole.id), share.id,
                None if tolerance is None else Decimal(str(tolerance)), line)


def rule_sum(rule: Rule, dataset, year: int) -> tuple[Decimal, Decimal] | None:
    """(what the values give, what the rule expects) in `year`, or None when a value is
    missing: the sum of the parts and the total; for a ratio, the share as written and
    part / whole in percent (None as well when the whole is 0)."""
    values = [dataset.indicators[p].value(year) for p in rule.parts]
    total = dataset.indicators[rule.total].value(year) if isinstance(rule.total, str) else rule.total
    if total is None or any(v is None for v in values):
        return None
    if rule.kind == "ratio":
        part, whole = values
        return (total, part * 100 / whole) if whole else None
    return sum(values, Decimal(0)), total


def tolerance(rule: Rule, got: Decimal) -> Decimal:
    """A rule's tolerance; a ratio's default is the share's printed precision."""
    return rule.tolerance if rule.tolerance is not None else precision(got)


def precision(value: Decimal) -> Decimal:
    """Half a unit of a value's last decimal: what rounding to its digits may hide
    (14.80: 0.005; 60: 0.5)."""
    return Decimal(5).scaleb(-decimals(value) - 1)


def broken(rule: Rule, dataset, year: int) -> str | None:
    """Why the rule fails in `year`, or None when it holds (or cannot be checked yet)."""
    found = rule_sum(rule, dataset, year)
    if found is None:
        return None
    got, want = found
    if abs(got - want) <= tolerance(rule, got):
        return None
    names = " + ".join(rule.parts)
    if rule.kind == "breakdown":
        return f"shares {names} sum to {got} in {year}, not {want} ± {rule.tolerance} (breakdown at {rule.where})"
    if rule.kind == "ratio":
        part, whole = rule.parts
        return (f"{rule.total} is {got} in {year}, but {part} / {whole} is {plain(want, 2)}% "
                f"± {tolerance(rule, got)} (ratio at {rule.where})")
    return f"{names} = {got} in {year}, but {rule.total} is {want} (sum at {rule.where})"


def validate(rules: list[Rule], dataset) -> list[DataError]:
    """Every broken rule in every year, named at the first part's data row (a ratio: at
    the share's)."""
    problems = []
    for rule in rules:
        for year in dataset.years:
            message = broken(rule, dataset, year)
            if message:
                first = rule.total if rule.kind == "ratio" else rule.parts[0]
                indicator = dataset.indicators[first]
                row = indicator.rows.get(year) or indicator.fixed
                problems.append(DataError(message, row.file, row.line, "value"))
    return problems
