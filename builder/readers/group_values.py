"""Groups of data/groups.toml in templates, and `each()`.

`{{ univ_regions.top.label }}` names the member with the largest value in the year
built (`.bottom` the smallest); when two members share it the render stops with an
error naming the place, since "北京居首" would then be false: guard such prose with
`{% if univ_regions.top_is_unique %}`, or list `univ_regions.top_all`. Ties elsewhere
follow the order of `members`. `{{ x.rank_in(univ_regions) }}` is x's place (第二 / second).

`each(a, b, unit="所")` says one number for several things: 各 4 所 when equal,
分别为 4 所和 3 所 otherwise (en: "4 institutes each", "4 and 3 institutes respectively").
"""
from __future__ import annotations

from decimal import Decimal

from builder.readers import phrases
from builder.readers.groups import Group
from builder.readers.quantities import Amount, PlaceholderProblem, Quantity, Rank, Scope
from builder.readers.values import Value


class GroupValue:
    """A group in one render: its members in the year built."""

    def __init__(self, group: Group, scope: Scope):
        self._group, self._scope = group, scope

    def _members(self) -> list[Value]:
        indicators = self._scope.dataset.indicators
        return [Value(indicators[m], self._scope.year, self._scope) for m in self._group.members]

    def _numbers(self) -> tuple[list[tuple[Value, Decimal]], bool]:
        """(member, number) in the order of `members`; and whether every value is there
        (check mode puts stand-ins for missing ones, whose ties mean nothing)."""
        pairs = [(m, m._value()) for m in self._members()]
        complete = all(value is not None for _, value in pairs)
        # Check mode: a stand-in for a missing value, as Value._number gives.
        return [(m, Decimal(1) if value is None else value) for m, value in pairs], complete

    @property
    def members(self) -> list[Value]:
        """The members in the order of data/groups.toml: `{% for m in g.members %}`."""
        return self._members()

    @property
    def sorted(self) -> list[Value]:
        """The members from the largest value to the smallest (ties in `members` order)."""
        pairs, _ = self._numbers()
        return [m for m, _ in sorted(pairs, key=lambda p: -p[1])]

    def _end(self, top: bool) -> tuple[list[Value], bool]:
        pairs, complete = self._numbers()
        end = (max if top else min)(n for _, n in pairs)
        return [m for m, n in pairs if n == end], complete

    def _one(self, top: bool) -> Value:
        members, complete = self._end(top)
        if len(members) > 1 and complete:
            which = "top" if top else "bottom"
            ids = [m._ind.id for m in members]
            names = ", ".join(ids[:-1]) + " and " + ids[-1]
            raise PlaceholderProblem(
                f"group {self._group.name} ({self._group.where}): {names} tie for the {which} in "
                f"{self._scope.year} ({members[0]}); the prose names one: write "
                f"{{% if {self._group.name}.{which}_is_unique %}}…{{% else %}}…{{% endif %}} "
                f"or use {self._group.name}.{which}_all")
        return members[0]

    @property
    def top(self) -> Value:
        """The member with the largest value: `{{ g.top.label }}居首` / `{{ g.top.label }} leads`."""
        return self._one(True)

    @property
    def bottom(self) -> Value:
        """The member with the smallest value."""
        return self._one(False)

    @property
    def top_is_unique(self) -> bool:
        return len(self._end(True)[0]) == 1

    @property
    def bottom_is_unique(self) -> bool:
        return len(self._end(False)[0]) == 1

    @property
    def top_all(self) -> list[Value]:
        """Every member sharing the largest value (one, unless tied)."""
        return self._end(True)[0]

    @property
    def bottom_all(self) -> list[Value]:
        return self._end(False)[0]

    @property
    def total(self) -> Amount:
        """The members' sum, printed in their unit; `.share_of(x)`, `.number`."""
        pairs, _ = self._numbers()
        unit = pairs[0][0]._unit
        return Amount(sum((n for _, n in pairs), Decimal(0)), unit, self._scope, f"{self._group.name}.total")

    @property
    def label(self) -> str:
        labels = dict(self._group.label)
        if not labels:
            raise PlaceholderProblem(f"group {self._group.name} has no label in {self._group.where}")
        return labels[self._scope.lang]

    def rank_of(self, value: Value) -> Rank:
        """`x.rank_in(g)`: 1 + the number of members with a larger value."""
        if not isinstance(value, Value) or value._ind.id not in self._group.members:
            raise PlaceholderProblem(f"{getattr(value, '_name', lambda: value)()} is not a member of group "
                                     f"{self._group.name} ({self._group.where})")
        pairs, _ = self._numbers()
        mine = value._number()
        place = 1 + sum(1 for _, n in pairs if n > mine)
        tied = sum(1 for _, n in pairs if n == mine) > 1
        return Rank(place, tied, self._scope, f"{value._name()}.rank_in({self._group.name})")

    def __str__(self) -> str:
        raise PlaceholderProblem(f"{self._group.name} is a group ({self._group.where}): print "
                                 f"{self._group.name}.top.label, .total, or each({self._group.name}, unit=...)")


def each(*items, unit: str = "") -> str:
    """One number for several values (or the members of groups), in the values' language:
    `各 {{ each(a, b, unit="所") }}`... see the module docstring."""
    values: list[Quantity] = []
    for item in items:
        values += item.members if isinstance(item, GroupValue) else [item]
    if len(values) < 2 or not all(isinstance(v, Quantity) for v in values):
        raise PlaceholderProblem("each() needs two values from data or more, or a group")
    units = {v._unit for v in values}
    if len(units) > 1:
        raise PlaceholderProblem(f"each(): the values have different units ({', '.join(sorted(units))})")
    numbers = [v._number() for v in values]
    equal = all(n == numbers[0] for n in numbers)
    return phrases.each([str(v) for v in values], equal, str(unit), values[0]._scope.lang)
