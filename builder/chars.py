"""Characters: those no report may contain, whichever file they come from, and every
character of (part of) a report model."""
from __future__ import annotations

import dataclasses
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


def strings(obj):
    """Every string in (part of) the model: dataclass fields (bar those marked not printed,
    the theme), list items, dict keys and values."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from strings(item)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from strings(key)
            yield from strings(value)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            if field.metadata.get("printed", True):
                yield from strings(getattr(obj, field.name))


def report_chars(obj) -> set[str]:
    """Every character in (part of) the model."""
    return set().union(*strings(obj))
