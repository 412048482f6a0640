"""Placeholders: `{{ firms_cn }}` in content becomes that indicator's value, printed
the way the edition's language prints it (readers.values); a group of data/groups.toml
is used the same way (readers.group_values), and `each(a, b, unit=...)` says one number
for several things.

Jinja2 runs sandboxed with StrictUndefined: an unknown name is an error, and templates
cannot reach Python internals. Every value used is recorded (indicator, year, where)
so `report check` can say where a missing figure is needed. In check mode (a Recorder
with a `missing` list) a missing value is recorded and printed as a marker instead of stopping
the render, so one run lists every gap of a half-filled year.
"""
from __future__ import annotations

import re

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from builder.readers.data import Dataset
from builder.errors import ContentError
from builder.readers.group_values import GroupValue, each
from builder.readers.quantities import (MISSING_MARK, MissingValue, PlaceholderProblem, Recorder, Scope,
                                        Use)
from builder.readers.values import Value

__all__ = ["MISSING_MARK", "Recorder", "Use", "Value", "render", "template_names"]


PERCENT_END = "\x1f"   # after a placeholder that printed its own "%"; no text holds a control character
TYPED_PERCENT = re.compile(PERCENT_END + r"\s*[%％]")
PLACEHOLDER_PERCENT = re.compile(r"\}\}\s*[%％]")


def _finalize(value) -> str:
    """Every `{{ }}`'s output: one that ends with "%" is marked, so that a "%" typed after
    it ("{{ share }}%" -> 95%%) is found after rendering (see _typed_percent)."""
    text = str(value)
    return text + PERCENT_END if text.endswith(("%", "％")) else text


ENVIRONMENT = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                   keep_trailing_newline=True, finalize=_finalize)
# `{{ fixed("2019 年 6 月") }}`: a historical fact typed on purpose, printed unchanged;
# being inside a placeholder, it is not flagged by `report check` as a typed figure.
ENVIRONMENT.globals["fixed"] = str
ENVIRONMENT.globals["each"] = each


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
    scope = Scope(dataset, year, lang, record, file)
    context = {ident: Value(ind, year, scope) for ident, ind in dataset.indicators.items()}
    context.update({name: GroupValue(group, scope) for name, group in dataset.groups.items()})
    context.update({"year": year, "prev_year": year - 1})
    context.update(extra or {})
    try:
        template = _compiled(text)
        template.name = file
        template.filename = file
        return _typed_percent(template.render(context), text, file)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(f"placeholder syntax: {exc.message}", file, exc.lineno)
    except jinja2.UndefinedError as exc:
        raise ContentError(f"unknown placeholder: {exc.message} (not an indicator in data/)",
                           file, _template_line(exc, file))
    except (MissingValue, PlaceholderProblem) as exc:
        raise ContentError(str(exc), file, _template_line(exc, file))
    except jinja2.TemplateError as exc:
        raise ContentError(f"placeholder error: {exc}", file, _template_line(exc, file))
    except (TypeError, ValueError, ArithmeticError) as exc:   # `x.at("2015")`, `x.number + "a"`
        raise ContentError(f"placeholder error: {exc}", file, _template_line(exc, file))


def _typed_percent(out: str, text: str, file: str) -> str:
    """The rendered text without the marks of _finalize; a "%" after a value that printed
    its own is an error at the line of the source that has a "%" after a placeholder
    (the nearest to where it printed, should a loop have repeated lines)."""
    m = TYPED_PERCENT.search(out)
    if m:
        printed = out.count("\n", 0, m.start()) + 1
        lines = [n for n, line in enumerate(text.splitlines(), 1) if PLACEHOLDER_PERCENT.search(line)]
        line = min(lines, key=lambda n: abs(n - printed), default=printed)
        raise ContentError('"%" typed after a placeholder that prints its own (a percentage): '
                           'remove the "%"', file, line)
    return out.replace(PERCENT_END, "")


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
