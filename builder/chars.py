"""Characters: those no report may contain, whichever file they come from, and every
character of (part of) a report model."""
from __future__ import annotations

import dataclasses
import unicodedata


# Embeddings, overrides and isolates reorder the text around them: Word applies them,
# reportlab does not, so the PDF and the DOCX would read differently.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unprintable(ch: str) -> bool:
    """Control characters (bar newline and tab), direction controls, lone surrogates and
    non-characters."""
    code = ord(ch)
    if ch in "\n\t":
        return False
    return (unicodedata.category(ch) in ("Cc", "Cs") or ch in DIRECTION_CONTROLS or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE)


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
