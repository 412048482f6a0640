"""An indicator in a template: `{{ firms_cn }}` is its value in the year built, printed
the way the edition's language prints it, and `{{ firms_cn.prev }}`, `.growth`,
`.trend`, `.ordinal`... say more about it (README, "What the text can say").

Every value read is recorded (indicator, year, where) so that `report check` can say
where a missing figure is needed; in check mode a missing value is recorded and printed
as MISSING_MARK instead of stopping the render.
"""
from __future__ import annotations

from decimal import Decimal

from builder.numbers import date_parts, format_date, format_value, plain
from builder.readers import phrases
from builder.readers.data import Indicator
from builder.readers.quantities import MISSING_MARK, MissingValue, PlaceholderProblem, Quantity, Scope, Use
from builder.words import CHANGE


class _Series:
    """A value over the years: its trend, growth since a year, rank in a group."""
    _ind: Indicator
    _year: int
    _scope: Scope

    def _past(self, since: int | None) -> list[int]:
        """Years before this one (from `since`) with a value: a trend skips years without one."""
        self._at(self._year, False)     # a fact without a year has no series: say so
        return sorted(y for y, row in self._ind.rows.items()
                      if y < self._year and row.value is not None and (since is None or y >= since))

    def _trend(self, since: int | None) -> str:
        years = self._past(since)
        if not years:
            since = "" if since is None else f" from {since} on"
            raise PlaceholderProblem(f"{self._ind.id}: a trend needs values in two years or more, and data "
                                     f"has only {self._year}'s{since}")
        values = [self._at(y, True)._number() for y in years] + [self._number()]
        return phrases.trend(values, self._scope.lang)

    @property
    def trend(self) -> str:
        """The shape of every value up to this year: 持续增长 / rose every year, 先升后降 /
        rose, then fell... (phrases.trend); an error with fewer than two values."""
        return self._trend(None)

    def trend_since(self, year: int) -> str:
        """The trend from `year` on: `{{ policies.trend_since(2015) }}`."""
        return self._trend(int(year))

    @property
    def first_year(self) -> int:
        """The first year with a value, for "自 {{ x.first_year }} 年以来{{ x.trend }}"."""
        years = self._past(None)
        return years[0] if years else self._year

    def growth_since(self, year: int) -> str:
        """Growth from `year` to this one in words: 翻了一番 / doubled, 翻了两番 / quadrupled,
        增长了约 2 倍 / grew about 3-fold, 增长了 30.0% / grew by 30.0% (phrases.growth)."""
        then = self._at(int(year), True)._number()
        if then <= 0:
            raise PlaceholderProblem(f"{self._ind.id}.growth_since({year}): the value of {year} is "
                                     f"{plain(then)}; growth needs one above 0")
        return phrases.growth(self._number() / then, self._scope.lang)

    def rank_in(self, group):
        """This value's place in a group of data/groups.toml: `{{ univ_jiangsu.rank_in(univ_regions) }}`
        第二 / second; `.number` and `.tied` for `{% if %}`."""
        rank_of = getattr(group, "rank_of", None)
        if rank_of is None:
            raise PlaceholderProblem(f"{self._ind.id}.rank_in needs a group of data/groups.toml")
        return rank_of(self)


class _Dates:
    """Parts of a value of unit date: `{{ d }}` is 2020 年 3 月 15 日 / March 15, 2020."""
    _ind: Indicator
    _scope: Scope

    def _date_value(self, what: str) -> Decimal | None:
        if self._ind.unit != "date":
            raise PlaceholderProblem(f"{self._ind.id}.{what} is for values of unit date")
        return self._value()

    def _date(self, form: str) -> str:
        value = self._date_value(form)
        if value is None:
            return MISSING_MARK
        if form == "month_day" and date_parts(value)[2] is None:
            raise PlaceholderProblem(f"{self._ind.id} has no day (a YYYY-MM date)")
        return format_date(value, self._scope.lang, form)

    @property
    def month_year(self) -> str:
        """2020 年 3 月 / March 2020, even when the date has a day."""
        return self._date("month_year")

    @property
    def month(self) -> str:
        """3 月 / March, after a year said already: 同年 {{ d.month }}."""
        return self._date("month")

    @property
    def month_day(self) -> str:
        """3 月 15 日 / March 15."""
        return self._date("month_day")

    @property
    def calendar_year(self) -> int:
        """The date's year, a number: `{% if d.calendar_year == year %}同年{% endif %}`."""
        value = self._date_value("calendar_year")
        return self._year if value is None else date_parts(value)[0]


class Value(_Series, _Dates, Quantity):
    """One indicator in one year, printed for one language."""

    def __init__(self, indicator: Indicator, year: int, scope: Scope, fixed: bool = False):
        self._ind, self._year, self._scope, self._fixed = indicator, year, scope, fixed
        self._unit = indicator.unit

    def _name(self) -> str:
        return self._ind.id

    def _at(self, year: int, fixed: bool) -> Value:
        row = self._ind.fixed
        if row is not None:
            raise PlaceholderProblem(f"{self._ind.id} is a fact without a year ({row.file}:{row.line}): "
                                     "it has no other year (.prev, .at, .growth, .trend...)")
        return Value(self._ind, year, self._scope, fixed)

    def _use(self) -> Use:
        return Use(self._ind.id, self._year, self._scope.where(), self._fixed or self._ind.fixed is not None)

    def _value(self) -> Decimal | None:
        record = self._scope.record
        record.uses.add(self._use())
        value = self._ind.value(self._year)
        if value is None:
            if record.missing is None:
                raise MissingValue(self._ind.id, self._year)
            record.missing.append(self._use())
        return value

    def _number(self) -> Decimal:
        if self._ind.unit == "date":
            raise PlaceholderProblem(f"{self._ind.id} is a date: it cannot be used as a number "
                                     "(growth, change, share, comparison)")
        value = self._value()
        # Check mode only: any non-zero stand-in lets comparisons and divisions go on.
        return Decimal(1) if value is None else value

    def __str__(self) -> str:
        value = self._value()
        return MISSING_MARK if value is None else format_value(value, self._ind.unit, self._scope.lang)

    @property
    def prev(self) -> Value:
        """The same indicator a year earlier: `{{ conferences.prev }}`."""
        return self._at(self._year - 1, self._fixed)

    @property
    def year(self) -> int:
        return self._year

    @property
    def change(self) -> str:
        """Absolute change from the previous year, without sign: `新增 {{ parks.change }} 家`."""
        delta = abs(self._number() - self.prev._number())
        return format_value(delta, self._ind.unit, self._scope.lang)

    @property
    def rose(self) -> bool:
        return self._number() > self.prev._number()

    @property
    def points(self) -> str:
        """Change in percentage points between years, for shares."""
        return plain(abs(self._number() - self.prev._number()))

    @property
    def growth(self) -> str:
        """Percentage change from the previous year, without sign: `增长 {{ x.growth }}`
        ("10.4%"); the direction comes from `up_down`, `vs_prev` or `increase`."""
        before = self.prev._number()
        if before == 0:
            raise PlaceholderProblem(f"{self._ind.id}: no growth from 0 in {self._year - 1}")
        return f"{plain(abs(self._number() - before) * 100 / before, 1)}%"

    def _direction(self, key: str) -> str:
        now, before = self._number(), self.prev._number()
        rose, fell, same = CHANGE[key][self._scope.lang]
        return rose if now > before else fell if now < before else same

    @property
    def up_down(self) -> str:
        """增加/减少/持平 — up/down/unchanged: `{{ x.up_down }} {{ x.growth }}`."""
        return self._direction("up_down")

    @property
    def vs_prev(self) -> str:
        """高于/低于/等于 — up from/down from/unchanged from, before the previous value:
        zh `{{ x.vs_prev }} {{ prev_year }} 年的 {{ x.prev }} 场`,
        en `{{ x.vs_prev }} {{ x.prev }} in {{ prev_year }}`."""
        return self._direction("vs_prev")

    @property
    def increase(self) -> str:
        """增长/下降/持平 — an increase/a decrease/no change."""
        return self._direction("increase")

    def at(self, year: int) -> Value:
        """The value of a fixed year, for facts tied to a date: `{{ dl_startups.at(2015) }}`."""
        return self._at(int(year), True)

    @property
    def label(self) -> str:
        """The indicator's label in the year built (data may change it by year)."""
        return self._ind.label_in(self._scope.year, self._scope.lang)
