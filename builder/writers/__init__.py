"""Writers: one per format, each a package of this folder offering

    write(report, path, ctx, chars=None, full=None) -> int | None
        the file at `path` (pages, where the format has them); `chars`: the characters
        its fonts cover (default: the report's); `full`: the report an extract is cut from

Each writer dispatches blocks through a table (`handler`): a block type a writer does
not know is an error, never silently dropped."""
from __future__ import annotations

import importlib
from typing import Callable

from builder.errors import ReportError

FORMATS = ("pdf", "docx")


def writer(fmt: str):
    """The writer module of a format, imported when first needed (python-docx and
    reportlab cost a tenth of a second each)."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"builder.writers.{fmt}")


def handler(table: dict[type, Callable], item, fmt: str) -> Callable:
    """The function of `table` for `item`'s type."""
    try:
        return table[type(item)]
    except KeyError:
        raise ReportError(f"the {fmt} writer has no rule for a {type(item).__name__} block") from None
