"""data/checks.toml: relations between indicators that every build verifies.

Declared, never guessed: only the editors know which shares form a whole and which
counts add up to a total.

    [[breakdown]]                      # shares of one whole
    indicators = ["region_beijing", "region_other"]
    total = 100                        # default 100
    tolerance = 0.5                    # default 0.5 (rounding in the source)

    [[sum]]                            # parts adding up to another indicator
    total = "ai_universities"
    parts = ["univ_moe", "univ_provincial"]
    tolerance = 0                      # default 0

A rule is checked in every year where all its values are present (a half-filled year
is reported as missing by `report check --year`, not here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.errors import DataError
from builder.readers.config import read_toml

RULES = "data/checks.toml"


@dataclass(frozen=True)
class Rule:
    kind: str                   # breakdown | sum
    parts: tuple[str, ...]
    total: Decimal | str        # a number (breakdown) or an indicator id (sum)
    tolerance: Decimal
    line: int                   # of the rule in data/checks.toml

    @property
    def where(self) -> str:
        return f"{RULES}:{self.line}"


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
             for kind in ("breakdown", "sum")}
    rules, problems = [], []
    for kind in raw:
        if kind not in lines:
            problems.append(DataError(f"unknown section {kind!r} (use [[breakdown]] or [[sum]])", RULES))
    for kind, keys in (("breakdown", {"indicators", "total", "tolerance"}),
                       ("sum", {"total", "parts", "tolerance"})):
        for item, line in zip(raw.get(kind, []), lines[kind]):
            def bad(message):
                problems.append(DataError(f"{kind}: {message}", RULES, line))
            unknown = set(item) - keys
            parts = item.get("indicators" if kind == "breakdown" else "parts")
            total = item.get("total", 100 if kind == "breakdown" else None)
            tolerance = item.get("tolerance", 0.5 if kind == "breakdown" else 0)
            if unknown:
                bad(f"unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(keys))})")
            elif not isinstance(parts, list) or len(parts) < 2 or not all(isinstance(p, str) for p in parts):
                bad("needs a list of at least two indicator ids")
            elif kind == "sum" and not isinstance(total, str):
                bad('total must be an indicator id, e.g. total = "ai_universities"')
            elif kind == "breakdown" and not isinstance(total, (int, float)):
                bad("total must be a number, e.g. total = 100")
            elif not isinstance(tolerance, (int, float)) or tolerance < 0:
                bad("tolerance must be a number >= 0")
            else:
                names = parts + ([total] if kind == "sum" else [])
                unknown_ids = [n for n in names if n not in indicators]
                units = {indicators[n].unit for n in names if n in indicators}
                if unknown_ids:
                    bad(f"unknown indicator {unknown_ids[0]!r}")
                elif len(units) > 1:
                    bad(f"indicators have different units ({', '.join(sorted(units))})")
                else:
                    rules.append(Rule(kind, tuple(parts),
                                      total if isinstance(total, str) else Decimal(str(total)),
                                      Decimal(str(tolerance)), line))
    return rules, problems


def rule_sum(rule: Rule, dataset, year: int) -> tuple[Decimal, Decimal] | None:
    """(sum of the parts, expected total) in `year`, or None when a value is missing."""
    values = [dataset.indicators[p].value(year) for p in rule.parts]
    total = dataset.indicators[rule.total].value(year) if rule.kind == "sum" else rule.total
    if total is None or any(v is None for v in values):
        return None
    return sum(values, Decimal(0)), total


def broken(rule: Rule, dataset, year: int) -> str | None:
    """Why the rule fails in `year`, or None when it holds (or cannot be checked yet)."""
    found = rule_sum(rule, dataset, year)
    if found is None:
        return None
    got, want = found
    if abs(got - want) <= rule.tolerance:
        return None
    names = " + ".join(rule.parts)
    if rule.kind == "breakdown":
        return f"shares {names} sum to {got} in {year}, not {want} ± {rule.tolerance} (breakdown at {rule.where})"
    return f"{names} = {got} in {year}, but {rule.total} is {want} (sum at {rule.where})"


def validate(rules: list[Rule], dataset) -> list[DataError]:
    """Every broken rule in every year, named at the first part's data row."""
    problems = []
    for rule in rules:
        for year in dataset.years:
            message = broken(rule, dataset, year)
            if message:
                row = dataset.indicators[rule.parts[0]].rows[year]
                problems.append(DataError(message, row.file, row.line, "value"))
    return problems
