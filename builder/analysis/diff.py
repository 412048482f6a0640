"""`report data diff Y1 Y2`: every indicator the report prints, side by side for two
years, with flags on changes an editor should look at twice before printing."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from builder.analysis.usage import needs
from builder.cache import Cache
from builder.numbers import plain
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

    @property
    def change(self) -> str:
        if self.old is None or self.new is None:
            return ""
        delta = self.new - self.old
        text = ("+" if delta >= 0 else "") + plain(delta)
        if self.old:
            text += f" ({'+' if delta >= 0 else ''}{plain(delta * 100 / abs(self.old), 1)}%)"
        return text


def diff_years(project: Project, cache: Cache, old: int, new: int, factor: float = 2.0) -> list[DiffRow]:
    dataset = project.dataset
    # Rules are judged in the new year: a breakdown that no longer adds up flags its parts.
    failing = {}
    for rule in project.rules:
        message = broken(rule, dataset, new)
        if message:
            for ident in rule.parts + ((rule.total,) if rule.kind == "sum" else ()):
                failing.setdefault(ident, message.split(" (")[0])
    rows = []
    for ident in sorted({n.indicator for n in needs(project, cache)}):
        ind = dataset.indicators[ident]
        a, b = ind.value(old), ind.value(new)
        flags = []
        if a is None or b is None:
            flags.append(f"missing in {old if a is None else new}")
        elif a * b < 0:
            flags.append("sign flip")
        elif a == 0 and b != 0:
            flags.append("from zero")
        elif a and b and max(abs(b / a), abs(a / b)) > Decimal(str(factor)):
            flags.append(f"changed more than {factor:g}x")
        if ident in failing:
            flags.append(failing[ident])
        rows.append(DiffRow(ident, ind.label["en"], ind.unit, a, b, flags))
    return rows
