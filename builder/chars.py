"""Characters: those no report may contain, whichever file they come from, and every
character of (part of) a report model."""
from __future__ import annotations

import dataclasses
import functools
import re


# Embeddings, overrides and isolates reorder the text around them: Word applies them,
# reportlab does not, so the PDF and the DOCX would read differently.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unprintable(ch: str) -> bool:
    """Control characters (bar newline and tab), direction controls, lone surrogates and
    non-characters."""
    return UNPRINTABLE.match(ch) is not None


# What unprintable() refuses, as one character class (Cc is U+0000-001F and U+007F-009F;
# Cs the surrogates; U+FFFE and U+FFFF of every plane are non-characters): a text is
# scanned at C speed (a placeholder may print millions of characters).
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                         + "".join(sorted(DIRECTION_CONTROLS))
                         + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")


def report_chars(obj) -> set[str]:
    """Every character in (part of) the model: of its strings in dataclass fields (bar
    those marked not printed, the theme), list items, dict keys and values."""
    strings: list[str] = []
    todo = [obj]
    while todo:   # (a loop, on exact types first: a rebuild walks every chapter twice)
        item = todo.pop()
        kind = type(item)
        if kind is str:
            strings.append(item)
        elif kind is list or kind is tuple:
            todo.extend(item)
        elif fields := _printed_fields(kind):
            todo.extend(getattr(item, name) for name in fields)
        elif isinstance(item, str):
            strings.append(item)
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item)
            todo.extend(item.values())
    return set().union(*strings)


@functools.cache
def _printed_fields(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass that are printed; () for any other type."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("printed", True))
