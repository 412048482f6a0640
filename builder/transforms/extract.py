"""Chapter extracts: some chapters of a full report, printed as a piece of it.

An extract is cut from the full report's model, so chapter, section, figure, table and
footnote numbers stay those of the full report; page numbers are set by build.py."""
from __future__ import annotations

import dataclasses

from builder.model import Report, TitleBlock

WORDS = {
    "zh": {"kicker": "报告节选", "data": "{year} 年数据", "sep": " · ",
           "editions": {"zh": "中文版", "en": "英文版", "bilingual": "中英双语版"},
           "note": "章节、图表和注释编号与报告全文一致。",
           "pages": "页码与报告全文一致；", "other": "文中提及的其他章节见报告全文。"},
    "en": {"kicker": "Extract from the report", "data": "{year} data", "sep": " · ",
           "editions": {"zh": "Chinese edition", "en": "English edition", "bilingual": "Bilingual edition"},
           "note": "Chapter, figure, table and note numbers are those of the full report.",
           "pages": "Page numbers are those of the full report. ",
           "other": " Other chapters referred to are in the full report."},
}


def make_extract(report: Report, chapter_ids: list[str], restart_pages: bool = False) -> Report:
    """The chapters `chapter_ids` of `report` (a full report), headed by a title block."""
    # Copies: build.py sets their first page numbers, the full report keeps its own.
    chapters = [dataclasses.replace(c) for c in report.chapters if c.id in chapter_ids]
    blocks = []
    for cover in report.covers:
        w = WORDS[cover.lang]
        mine = [c.heading.full_text for c in chapters if c.lang == cover.lang]
        note = ("" if restart_pages else w["pages"]) + w["note"] + w["other"]
        edition = w["sep"].join([w["data"].format(year=report.year), w["editions"][report.edition],
                                 cover.date])
        blocks.append(TitleBlock(w["kicker"], cover.title, mine, edition, note, cover.institute, cover.lang))
    return dataclasses.replace(report, front=[], chapters=chapters, title_blocks=blocks)
