"""Transforms: model -> model steps between reading and writing. A full edition is
read, then `finish`ed (appendix, numbering); extracts are cut from a finished edition
(extract.py); every report is checked character by character before any writer sees it
(textcheck.py). Per-language typography and bilingual pairing belong here too."""
from __future__ import annotations

from builder.model import Report
from builder.transforms.appendix import add_sources
from builder.transforms.crossrefs import resolve_references
from builder.transforms.numbering import number_report
from builder.transforms.typography import apply_typography


def finish(report: Report, sources: list[dict[str, str]]) -> Report:
    """A read edition made ready to write: the sources appendix, every number, then the
    cross-references, which print those numbers; last, each language's typography."""
    return apply_typography(resolve_references(number_report(add_sources(report, sources))))
