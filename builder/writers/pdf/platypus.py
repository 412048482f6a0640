"""Imported first by the PDF writer: imports reportlab.platypus without compiling
reportlab.platypus.paragraph.uri_pat, a URL pattern compiled when the module is imported
(30 ms, a tenth of a warm build's start). reportlab uses it only to split an over-long
URL across lines; then it is compiled."""
from __future__ import annotations

import re

_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class _LazyPattern:
    def __init__(self, pattern: str, flags: int):
        self._args, self._compiled = (pattern, flags), None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def _import_platypus() -> None:
    compile_ = re.compile

    def compile_lazily(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
            return _LazyPattern(pattern, flags)
        return compile_(pattern, flags)

    re.compile = compile_lazily
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_


_import_platypus()
