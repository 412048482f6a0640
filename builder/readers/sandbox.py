"""The sandbox placeholders run in: Jinja's, which keeps templates from Python's internals,
with limits on what one file's placeholders may make. Content may come from anyone, and a
loop, a power, a padding or a replacement can otherwise run for hours or fill the memory:
anything that would grow past a limit is refused before it is made (TooMuch, an error at
the placeholder's line)."""
from __future__ import annotations

import contextvars
import functools
import re
import types

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, safe_range

MAX_STEPS = 1_000_000     # items all the file's range() loops give together
MAX_LENGTH = 100_000      # of a string or list made with *
MAX_BITS = 10_000         # of a number made with ** or *
MAX_OUTPUT = 10_000_000   # characters a file renders to; and the largest text or list made any other way
steps = contextvars.ContextVar("steps", default=0)   # range() items given so far

# Filters and methods whose result can be much larger than what they are given.
GROWING_FILTERS = ("center", "indent", "replace", "join", "format", "wordwrap", "list", "batch")
_WIDTH = re.compile(r"(?:%|\{[^{}]*:)[^a-zA-Z%{}]*?(\d+)")   # widths and precisions of % and {:} formats


class TooMuch(jinja2.TemplateRuntimeError):
    pass


def _size(value) -> int:
    """How much `value` weighs in the product that bounds a result: texts and lists
    their length, whole numbers themselves."""
    if isinstance(value, (str, list, tuple, dict, set)):
        return len(value) + 1
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) + 1
    return 1


def check_growth(what: str, args, kwargs) -> None:
    """Refuse a call whose result could pass MAX_OUTPUT: bounded by the product of the
    sizes of what it is given (a padding's width, a replacement's lengths, a join's
    items and separator), and by the widths a format string asks for."""
    bound = 1
    for value in (*args, *kwargs.values()):
        bound *= _size(value)
        if isinstance(value, str) and any(int(w) > MAX_LENGTH for w in _WIDTH.findall(value)):
            raise TooMuch(f"{what}: a format wider than {MAX_LENGTH:,} characters")
        if bound > MAX_OUTPUT:
            raise TooMuch(f"{what} would make a text or list of more than {MAX_OUTPUT:,} items")


def _limited_filter(name: str, function):
    @functools.wraps(function)   # (keeps Jinja's pass_context/pass_eval_context marks)
    def limited(*args, **kwargs):
        args = [list(a) if isinstance(a, (types.GeneratorType, range)) else a for a in args]   # sized
        check_growth(f"|{name}", args, kwargs)
        return function(*args, **kwargs)
    return limited


class _Generator(CodeGenerator):
    """`a ~ b` joins through the environment, which limits the length."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the limits above on *, **, +, %, ~, the growing filters and
    the methods of texts and lists."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def __init__(self, **options):
        super().__init__(**options)
        self.globals.pop("lipsum", None)   # paragraphs of Latin, as many as asked for
        self.globals["range"] = _range
        for name in GROWING_FILTERS:
            self.filters[name] = _limited_filter(name, self.filters[name])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                and right * abs(left).bit_length() > MAX_BITS:
            raise TooMuch(f"{left} ** {right} is too large a number")
        if operator == "*" and isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() + right.bit_length() > MAX_BITS:
            raise TooMuch(f"a product of more than {MAX_BITS:,} bits is too large a number")
        if operator == "*":
            for items, times in ((left, right), (right, left)):
                if isinstance(items, (str, list, tuple)) and isinstance(times, int) \
                        and len(items) * times > MAX_LENGTH:
                    raise TooMuch(f"repeats text or a list more than {MAX_LENGTH:,} times its length")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                and len(left) + len(right) > MAX_OUTPUT:
            raise TooMuch(f"adds up to a text or list of more than {MAX_OUTPUT:,} items")
        if operator == "%" and isinstance(left, str):
            check_growth("%", [left], {})
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):   # (Jinja's own names: any keyword may be passed)
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)   # (str.format is wrapped)
        if isinstance(owner, (str, list, tuple, dict, set)):   # "x".center(10**9), l.extend(l)...
            check_growth(f".{getattr(__obj, '__name__', 'call')}()", [owner, *args], kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def joined(self, items) -> str:
        texts = [str(item) for item in items]
        if sum(map(len, texts)) > MAX_OUTPUT:
            raise TooMuch(f"joins a text of more than {MAX_OUTPUT:,} characters")
        return "".join(texts)


def _range(*args):
    """range(), counted against the file's MAX_STEPS."""
    for number in safe_range(*args):
        count = steps.get() + 1
        if count > MAX_STEPS:
            raise TooMuch(f"loops run more than {MAX_STEPS:,} steps")
        steps.set(count)
        yield number
