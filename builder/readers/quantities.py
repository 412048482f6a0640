"""What every number of a template shares: how its use is recorded, the errors it can
raise, and what it can say of itself in words (a share, a ratio, an approximate fraction,
an ordinal). Indicator values are readers.values, groups readers.group_values."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal

from builder.numbers import format_value, ordinal, plain
from builder.readers import phrases
from builder.readers.data import Dataset


@dataclass(frozen=True)
class Use:
    indicator: str
    year: int
    where: str          # "content/chapters/01-branches/zh.md:12"
    fixed: bool = False  # a fixed year (`x.at(2015)`, a past year of a trend) or a fact
                         # without a year: not asked of a new year's data


@dataclass
class Recorder:
    """What reading records: every value used and, in check mode (`missing` a list),
    every value missing, printed as MISSING_MARK instead of stopping the render."""
    uses: set[Use] = field(default_factory=set)
    missing: list[Use] | None = None

    @classmethod
    def checking(cls) -> Recorder:
        return cls(set(), [])


# Printed instead of a missing value in check mode; never reaches a built report.
MISSING_MARK = "[?]"


class MissingValue(Exception):
    def __init__(self, indicator: str, year: int):
        super().__init__(f"no value for {indicator} in {year}")
        self.indicator, self.year = indicator, year


class PlaceholderProblem(Exception):
    """A placeholder that cannot be printed, or not truthfully (a date used as a number,
    two leaders where the prose names one); render reports it at the template's line."""


@dataclass(frozen=True)
class Scope:
    """What the values of one render share."""
    dataset: Dataset
    year: int           # the year built
    lang: str
    record: Recorder
    file: str           # the template, as content/... or data/...

    @property
    def checking(self) -> bool:
        return self.record.missing is not None

    def where(self) -> str:
        line = current_line(self.file)
        return f"{self.file}:{line}" if line else self.file


def current_line(file: str) -> int | None:
    """The template line being rendered: found on the stack, since a value is read from
    inside the compiled template of `file`."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename == file:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def number_of(thing, what: str) -> Decimal:
    """The number of a value given to a placeholder's method (`a.share_of(b)`: b)."""
    if isinstance(thing, Quantity):
        return thing._number()
    raise PlaceholderProblem(f"{what} needs a value from data (an indicator, a share, a group's total), "
                             f"not {thing!r}")


class Quantity:
    """A number in a template: an indicator's value, a share, a group's total, a rank."""
    _unit = "count"
    _scope: Scope

    def _number(self) -> Decimal:
        raise NotImplementedError

    def _name(self) -> str:
        raise NotImplementedError

    @property
    def number(self) -> Decimal:
        """The raw number, for comparisons in templates: `{% if a.number > a.prev.number %}`."""
        return self._number()

    def share_of(self, total, places: int = 1) -> Share:
        """This value as a percentage of another, printed "13.8%":
        `{{ univ_beijing.share_of(ai_universities) }}`; `.approx` says it in words."""
        whole = number_of(total, f"{self._name()}.share_of")
        if whole == 0:
            raise PlaceholderProblem(f"{self._name()}.share_of: the total is 0")
        return Share(self._number() * 100 / whole, int(places), self._scope, f"{self._name()}.share_of")

    def times(self, other) -> str:
        """How many times `other` this is, in words: `{{ conf_beijing.times(conf_shanghai) }}`
        约两倍 / about twice, 数倍 / several times, 1.4 倍 / 1.4 times (phrases.times)."""
        base = number_of(other, f"{self._name()}.times")
        if base <= 0:
            raise PlaceholderProblem(f"{self._name()}.times: the other value is {plain(base)}; "
                                     "a ratio needs one above 0")
        return phrases.times(self._number() / base, self._scope.lang)

    @property
    def approx(self) -> str:
        """A percentage as a simple fraction: `{{ alliances_new.share_of(alliances).approx }}`
        接近四成 / nearly two in five (phrases.approx)."""
        if self._unit != "percent":
            raise PlaceholderProblem(f"{self._name()}.approx needs a percentage (unit percent, or a "
                                     "share: a.share_of(b).approx)")
        value = self._number()
        if not 0 <= value <= 100:
            raise PlaceholderProblem(f"{self._name()}.approx: {plain(value)}% is not a part of a whole")
        return phrases.approx(value, self._scope.lang)

    @property
    def ordinal(self) -> str:
        """A whole number as an ordinal: `{{ dl_ai_firms_rank.ordinal }}` 第二 / second."""
        value = self._number()
        if self._unit not in ("count", "rank") or value != int(value) or not 1 <= value <= 999:
            raise PlaceholderProblem(f"{self._name()}.ordinal needs a whole number from 1 to 999 "
                                     f"(unit rank or count), not {plain(value)} ({self._unit})")
        return ordinal(int(value), self._scope.lang)

    def __html__(self) -> str:  # pragma: no cover - autoescape is off; Jinja checks for it
        return str(self)


class Share(Quantity):
    """A computed percentage: prints "12.3%" (to `places` decimals); `.approx`, `.number`."""
    _unit = "percent"

    def __init__(self, value: Decimal, places: int, scope: Scope, name: str):
        self._value, self._places, self._scope, self._label = value, places, scope, name

    def _number(self) -> Decimal:
        return self._value

    def _name(self) -> str:
        return self._label

    def __str__(self) -> str:
        return f"{plain(self._value, self._places)}%"


class Amount(Quantity):
    """A number computed from values of one unit (a group's total), printed in that unit."""

    def __init__(self, value: Decimal, unit: str, scope: Scope, name: str):
        self._value, self._unit, self._scope, self._label = value, unit, scope, name

    def _number(self) -> Decimal:
        return self._value

    def _name(self) -> str:
        return self._label

    def __str__(self) -> str:
        return format_value(self._value, self._unit, self._scope.lang)


class Rank(Quantity):
    """A member's place in a group, 1 for the largest value, printed as an ordinal
    (第二 / second); `.number` for comparisons, `.tied` when another member has the same value."""
    _unit = "rank"

    def __init__(self, place: int, tied: bool, scope: Scope, name: str):
        self._place, self._tied, self._scope, self._label = place, tied, scope, name

    def _number(self) -> Decimal:
        return Decimal(self._place)

    def _name(self) -> str:
        return self._label

    @property
    def tied(self) -> bool:
        return self._tied

    def __str__(self) -> str:
        return self.ordinal
