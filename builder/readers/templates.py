"""Placeholders: `{{ firms_cn }}` in content becomes that indicator's value, printed
the way the edition's language prints it.

Jinja2 runs sandboxed with StrictUndefined: an unknown name is an error, and templates
cannot reach Python internals. Every value used is recorded (indicator, year, where)
so `report check` can say where a missing figure is needed. In check mode (a Recorder
with a `missing` list) a missing value is recorded and printed as a marker instead of stopping
the render, so one run lists every gap of a half-filled year.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from builder.words import CHANGE
from builder.readers.data import Dataset, Indicator
from builder.errors import ContentError
from builder.numbers import format_value, plain


@dataclass(frozen=True)
class Use:
    indicator: str
    year: int
    where: str          # "content/chapters/03-enterprises/zh.md:12"
    fixed: bool = False  # a fixed year (`x.at(2015)`): not asked of a new year's data


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


class Value:
    """One indicator in one year, printed for one language."""

    def __init__(self, indicator: Indicator, year: int, lang: str, record: Recorder, where: str,
                 fixed: bool = False):
        self._ind, self._year, self._lang, self._record, self._where = indicator, year, lang, record, where
        self._fixed = fixed

    def _at(self, year: int, fixed: bool) -> Value:
        return Value(self._ind, year, self._lang, self._record, self._where, fixed)

    def _use(self) -> Use:
        line = _current_line(self._where)
        return Use(self._ind.id, self._year, f"{self._where}:{line}" if line else self._where, self._fixed)

    def _value(self) -> Decimal | None:
        self._record.uses.add(self._use())
        value = self._ind.value(self._year)
        if value is None:
            if self._record.missing is None:
                raise MissingValue(self._ind.id, self._year)
            self._record.missing.append(self._use())
        return value

    def _number(self) -> Decimal:
        value = self._value()
        # Check mode only: any non-zero stand-in lets comparisons and divisions go on.
        return Decimal(1) if value is None else value

    def __str__(self) -> str:
        value = self._value()
        return MISSING_MARK if value is None else format_value(value, self._ind.unit, self._lang)

    def __html__(self) -> str:  # pragma: no cover - autoescape is off; Jinja checks for it
        return str(self)

    @property
    def prev(self) -> Value:
        """The same indicator a year earlier: `{{ conferences.prev }}`."""
        return self._at(self._year - 1, self._fixed)

    @property
    def year(self) -> int:
        return self._year

    @property
    def number(self) -> Decimal:
        """The raw number, for comparisons in templates: `{% if a.number > a.prev.number %}`."""
        return self._number()

    @property
    def change(self) -> str:
        """Absolute change from the previous year, without sign: `新增 {{ parks.change }} 家`."""
        delta = abs(self._number() - self.prev._number())
        return format_value(delta, self._ind.unit, self._lang)

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
            raise ContentError(f"{self._ind.id}: no growth from 0 in {self._year - 1}", self._where)
        return f"{plain(abs(self._number() - before) * 100 / before, 1)}%"

    def _direction(self, key: str) -> str:
        now, before = self._number(), self.prev._number()
        rose, fell, same = CHANGE[key][self._lang]
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

    def share_of(self, total: Value, places: int = 1) -> str:
        """This value as a percentage of another: `{{ univ_beijing.share_of(ai_universities) }}`."""
        share = self._number() * 100 / total._number()
        return f"{plain(share, places)}%"

    @property
    def label(self) -> str:
        return self._ind.label[self._lang]


def _current_line(file: str) -> int | None:
    """The template line being rendered: found on the stack, since a Value is read from
    inside the compiled template of `file`."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename == file:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


ENVIRONMENT = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                   keep_trailing_newline=True)
# `{{ fixed("2019 年 6 月") }}`: a historical fact typed on purpose, printed unchanged;
# being inside a placeholder, it is not flagged by `report check` as a typed figure.
ENVIRONMENT.globals["fixed"] = str


def template_names(text: str) -> set[str]:
    """Names a template refers to (for zh/en consistency checks)."""
    from jinja2 import meta
    return meta.find_undeclared_variables(ENVIRONMENT.parse(text))


_templates: dict[str, jinja2.Template] = {}


def _compiled(text: str) -> jinja2.Template:
    """Compiling is most of the cost of rendering, and a build renders each file once per
    edition and once more per year to find what the report prints."""
    if text not in _templates:
        if len(_templates) >= 1000:   # `report watch` compiles every edit: forget the oldest
            del _templates[next(iter(_templates))]
        _templates[text] = ENVIRONMENT.from_string(text)
    return _templates[text]


def render(text: str, dataset: Dataset, year: int, lang: str, file: str, record: Recorder | None = None,
           extra: dict | None = None) -> str:
    """Fill the placeholders of one file; errors name the file and line. Values used (and
    in check mode missing) are noted in `record`."""
    _check_delimiters(text, file)
    record = record or Recorder()
    context = {ident: Value(ind, year, lang, record, file)
               for ident, ind in dataset.indicators.items()}
    context.update({"year": year, "prev_year": year - 1})
    context.update(extra or {})
    try:
        template = _compiled(text)
        template.name = file
        template.filename = file
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(f"placeholder syntax: {exc.message}", file, exc.lineno)
    except jinja2.UndefinedError as exc:
        raise ContentError(f"unknown placeholder: {exc.message} (not an indicator in data/)",
                           file, _template_line(exc, file))
    except MissingValue as exc:
        raise ContentError(str(exc), file, _template_line(exc, file))
    except jinja2.TemplateError as exc:
        raise ContentError(f"placeholder error: {exc}", file, _template_line(exc, file))


def _check_delimiters(text: str, file: str) -> None:
    """Placeholders never span lines: an unclosed one is reported on its own line,
    not where Jinja happens to notice it."""
    for number, line in enumerate(text.splitlines(), 1):
        for start, end in (("{{", "}}"), ("{%", "%}")):
            if line.count(start) != line.count(end):
                raise ContentError(f"unclosed placeholder: {start} needs {end} on the same line",
                                   file, number)


def _template_line(exc: BaseException, file: str) -> int | None:
    """Jinja rewrites tracebacks so frames of the template carry its file and line."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == file:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
