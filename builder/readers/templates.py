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

import contextvars
import re

import jinja2

from builder.chars import UNPRINTABLE
from builder.readers.data import Dataset
from builder.errors import ContentError, ReportError
from builder.readers.group_values import GroupValue, each
from builder.readers.sandbox import MAX_OUTPUT, Sandbox, TooMuch, steps as _steps
from builder.readers.quantities import (MISSING_MARK, MissingValue, PlaceholderProblem, Recorder, Scope,
                                        Use)
from builder.readers.values import Value

__all__ = ["MISSING_MARK", "Recorder", "Use", "Value", "render", "template_names"]


_printed = contextvars.ContextVar("printed", default=0)  # characters {{ }} printed so far


PERCENT_END = "\x1f"   # after a placeholder that printed its own "%"; no text holds a control character
TYPED_PERCENT = re.compile(PERCENT_END + r"\s*[%％]")
PLACEHOLDER_PERCENT = re.compile(r"\}\}\s*[%％]")


def _finalize(value) -> str:
    """Every {{ }} output, counted against MAX_OUTPUT where its line is known; one that
    ends with "%" is marked, so that a "%" typed after it ("{{ share }}%" -> 95%%) is
    found after rendering (see _typed_percent)."""
    text = str(value)
    odd = UNPRINTABLE.search(text)
    if odd is not None:   # {{ "\u202e" }}: what no text may hold, a placeholder may not print
        raise jinja2.TemplateRuntimeError(f"prints the control character U+{ord(odd[0]):04X}; remove it")
    printed = _printed.get() + len(text)
    if printed > MAX_OUTPUT:
        raise TooMuch(f"the file renders to more than {MAX_OUTPUT:,} characters")
    _printed.set(printed)
    return text + PERCENT_END if text.endswith(("%", "％")) else text


ENVIRONMENT = Sandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                      finalize=_finalize)
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
        try:
            _templates[text] = ENVIRONMENT.from_string(text)
        except (SyntaxError, RecursionError, MemoryError):   # Python's limits on the compiled code
            raise _TooDeep() from None
    return _templates[text]


class _TooDeep(Exception):
    pass


def _deepest(text: str) -> tuple[int, int | None]:
    """(depth, line) where blocks ({% if %}, {% for %}...) nest deepest."""
    depth, deepest = 0, (0, None)
    for number, line in enumerate(text.splitlines(), 1):
        for word in re.findall(r"{%-?\s*(\w+)", line):
            depth += word in ("if", "for", "macro", "call", "filter", "with", "block")
            depth -= word.startswith("end")
            deepest = max(deepest, (depth, number), key=lambda d: d[0])
    return deepest


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
    tokens = _steps.set(0), _printed.set(0)
    try:
        template = _compiled(text)
        template.name = file
        template.filename = file
        return _typed_percent(_limited(template.generate(context), text, file), text, file)
    except _TooDeep:
        depth, line = _deepest(text)
        raise ContentError(f"placeholders nest too deeply ({depth} blocks inside each other)", file, line) from None
    except RecursionError as exc:   # a macro calling itself
        raise ContentError("placeholders nest too deeply (a macro calling itself?)", file,
                           _template_line(exc, file)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(f"placeholder syntax: {exc.message}", file, exc.lineno)
    except jinja2.UndefinedError as exc:
        raise ContentError(f"unknown placeholder: {exc.message} (not an indicator in data/)",
                           file, _template_line(exc, file))
    except (MissingValue, PlaceholderProblem) as exc:
        raise ContentError(str(exc), file, _template_line(exc, file))
    except jinja2.TemplateError as exc:
        raise ContentError(f"placeholder error: {exc}", file, _template_line(exc, file))
    except ReportError:
        raise
    except MemoryError:
        raise ContentError("placeholder error: makes a value too large for the memory", file) from None
    except Exception as exc:   # `x.at("2015")`, `x.number + "a"`: whatever a placeholder raises
        raise ContentError(f"placeholder error: {exc or type(exc).__name__}", file, _template_line(exc, file))
    finally:
        _steps.reset(tokens[0])
        _printed.reset(tokens[1])


def _limited(chunks, text: str, file: str) -> str:
    """The rendered text, stopped at MAX_OUTPUT characters: text repeated by a loop, which
    _finalize does not see (named at the file's first loop)."""
    out, length = [], 0
    for chunk in chunks:
        length += len(chunk)
        if length > MAX_OUTPUT:
            loops = [n for n, line in enumerate(text.splitlines(), 1) if re.search(r"{%-?\s*for\b", line)]
            raise ContentError(f"placeholder error: the file renders to more than {MAX_OUTPUT:,} characters "
                               "(a loop repeating too much text?)", file, loops[0] if loops else None)
        out.append(chunk)
    return "".join(out)


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
