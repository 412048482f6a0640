"""Chapter extracts: some chapters of a full report, printed as a piece of it.

An extract is cut from the full report's model, so chapter, section, figure, table and
footnote numbers stay those of the full report; page numbers are set by build.py."""
from __future__ import annotations

import dataclasses
import re

from builder.model import Report, TitleBlock
from builder.words import EXTRACT


def make_extract(report: Report, chapter_ids: list[str], restart_pages: bool = False) -> Report:
    """The chapters `chapter_ids` of `report` (a full report), headed by a title block."""
    # Copies: build.py sets their first page numbers, the full report keeps its own.
    chapters = [dataclasses.replace(c) for c in report.chapters if c.id in chapter_ids]
    blocks = []
    for cover in report.covers:
        w = EXTRACT[cover.lang]
        mine = [c.heading.full_text for c in chapters if c.lang == cover.lang]
        note = ("" if restart_pages else w["pages"]) + w["note"] + w["other"]
        label = re.sub(r"\{\{\s*year\s*\}\}", str(report.year), report.theme.extract_label[cover.lang])
        edition = w["sep"].join(part for part in (label, w["editions"][report.edition], cover.date) if part)
        blocks.append(TitleBlock(w["kicker"], cover.title, mine, edition, note, cover.institute, cover.lang))
    return dataclasses.replace(report, front=[], chapters=chapters, title_blocks=blocks)
