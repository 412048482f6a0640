"""Placeholders: `{{ firms_cn }}` in content becomes that indicator's value, printed
the way the edition's language prints it.

Jinja2 runs sandboxed with StrictUndefined: an unknown name is an error, and templates
cannot reach Python internals. Every value used is recorded (indicator, year, where)
so `report check` can say where a missing figure is needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .data import Dataset, Indicator
from .errors import ContentError
from .numbers import format_value, plain


@dataclass(frozen=True)
class Use:
    indicator: str
    year: int
    where: str          # "content/chapters/03-enterprises/zh.md:12"


class MissingValue(Exception):
    def __init__(self, indicator: str, year: int):
        super().__init__(f"no value for {indicator} in {year}")
        self.indicator, self.year = indicator, year


class Value:
    """One indicator in one year, printed for one language."""

    def __init__(self, indicator: Indicator, year: int, lang: str, uses: set[Use] | None, where: str):
        self._ind, self._year, self._lang, self._uses, self._where = indicator, year, lang, uses, where

    def _number(self) -> Decimal:
        if self._uses is not None:
            self._uses.add(Use(self._ind.id, self._year, self._where))
        value = self._ind.value(self._year)
        if value is None:
            raise MissingValue(self._ind.id, self._year)
        return value

    def __str__(self) -> str:
        return format_value(self._number(), self._ind.unit, self._lang)

    def __html__(self) -> str:  # pragma: no cover - autoescape is off; Jinja checks for it
        return str(self)

    @property
    def prev(self) -> Value:
        """The same indicator a year earlier: `{{ conferences.prev }}`."""
        return Value(self._ind, self._year - 1, self._lang, self._uses, self._where)

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

    def at(self, year: int) -> Value:
        """The value of a fixed year, for facts tied to a date: `{{ dl_startups.at(2015) }}`."""
        return Value(self._ind, int(year), self._lang, self._uses, self._where)

    def share_of(self, total: Value, places: int = 1) -> str:
        """This value as a percentage of another: `{{ univ_beijing.share_of(ai_universities) }}`."""
        share = self._number() * 100 / total._number()
        return f"{plain(share, places)}%"

    @property
    def label(self) -> str:
        return self._ind.label[self._lang]


def make_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                keep_trailing_newline=True)


def template_names(env: SandboxedEnvironment, text: str) -> set[str]:
    """Names a template refers to (for zh/en consistency checks)."""
    from jinja2 import meta
    return meta.find_undeclared_variables(env.parse(text))


def render(env: SandboxedEnvironment, text: str, dataset: Dataset, year: int, lang: str,
           file: str, uses: set[Use] | None = None, extra: dict | None = None) -> str:
    """Fill the placeholders of one file; errors name the file and line."""
    _check_delimiters(text, file)
    context = {ident: Value(ind, year, lang, uses, file) for ident, ind in dataset.indicators.items()}
    context.update({"year": year, "prev_year": year - 1})
    context.update(extra or {})
    try:
        template = env.from_string(text)
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
