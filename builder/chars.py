"""Characters no report may contain, whichever file they come from."""
from __future__ import annotations

import unicodedata


def unprintable(ch: str) -> bool:
    """Control characters (bar newline and tab), lone surrogates and non-characters."""
    code = ord(ch)
    if ch in "\n\t":
        return False
    return (unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE)
