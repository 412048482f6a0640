"""The bilingual edition as one book: its chapters, read and numbered zh then en chapter by
chapter, rearranged for the body's layout (model.LAYOUTS).

- sequential: every Chinese chapter, then every English one; the first of each language
  opens its part (Chapter.part: the writers print a title page before it).
- parallel: one chapter per pair of chapters, the zh chapter with its en partner beside
  it, row by row (Chapter.rows): each row a zh block and the en block it translates, as
  analysis/pairs.py pairs the source texts, here on the numbered model. A figure whose
  two charts show the same values is drawn once across both columns, with bilingual
  labels (Pair.chart), unless those labels would be too long to read; then the two
  versions stand side by side.

Numbers, anchors and cross-references are those of the edition as read (the single-
language editions' numbers); only the order and grouping of the chapters change, so an
extract cut from the book has the same chapters as one cut from the spliced edition.
"""
from __future__ import annotations

import dataclasses
import math
from difflib import SequenceMatcher

from builder.model import LAYOUTS, ChartSpec, Chapter, Figure, Heading, Pair, Paragraph, Report, Table
from builder.words import BILINGUAL_SEP, EXTRACT

MAX_LABEL = {"barh": 28, "pie": 24}   # characters of an English category label drawn with its Chinese one
ROW_BUDGET = 72                        # bar, compare, years: characters of all English labels side by side
MAX_LEGEND = 48


def make_book(report: Report, layout: str) -> Report:
    """`report` (a bilingual edition, finished) as one book in `layout`; any other edition
    as it is."""
    if report.edition != "bilingual" or set(report.langs) != {"zh", "en"}:
        return report
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    zh = [c for c in report.chapters if c.lang == "zh"]
    en = {c.id: c for c in report.chapters if c.lang == "en"}
    if layout == "sequential":
        chapters = [dataclasses.replace(c) for c in zh] + [dataclasses.replace(en[c.id]) for c in zh if c.id in en]
        for lang in ("zh", "en"):
            first = next((c for c in chapters if c.lang == lang), None)
            if first is not None:
                first.part = EXTRACT[lang]["editions"][lang]
        titles = dict(report.running_titles)
    else:
        chapters = [side_by_side(c, en[c.id]) if c.id in en else c for c in zh]
        titles = {lang: joined(report.running_titles.get("zh", ""), report.running_titles.get("en", ""))
                  for lang in report.langs}
    return dataclasses.replace(report, chapters=chapters, running_titles=titles, layout=layout)


def joined(zh: str, en: str) -> str:
    """A zh text and its en partner on one line ("一、企业 · I. Enterprises")."""
    return BILINGUAL_SEP.join(t for t in dict.fromkeys((zh, en)) if t)


def side_by_side(zh: Chapter, en: Chapter) -> Chapter:
    """The zh chapter carrying its en partner and their rows. Its blocks are those of both
    (for whatever reads the content: characters, charts, cross-reference targets)."""
    return dataclasses.replace(zh, blocks=zh.blocks + en.blocks, partner=dataclasses.replace(en, blocks=[]),
                               rows=pair_rows(zh.blocks, en.blocks))


def shape(block) -> tuple:
    """What must agree for two blocks to be partners."""
    if isinstance(block, Heading):
        return ("heading", block.level)
    if isinstance(block, Paragraph):
        return ("paragraph", block.style, len(block.footnotes))
    if isinstance(block, (Figure, Table)):
        return (type(block).__name__, block.id)
    return (type(block).__name__,)


def pair_rows(zh: list, en: list) -> list[Pair]:
    """Rows of partner blocks, in the order of the texts: runs of blocks of the same shape
    are paired one to one; where the texts differ, blocks of the same kind are paired in
    order, and the rest stand alone (a block in one language only: `report check` warns)."""
    rows: list[Pair] = []
    matcher = SequenceMatcher(None, [shape(b) for b in zh], [shape(b) for b in en], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = zh[i1:i2], en[j1:j2]
        same = 0
        while same < min(len(a), len(b)) and shape(a[same])[0] == shape(b[same])[0]:
            same += 1
        rows += [pair(x, y) for x, y in zip(a[:same], b[:same])]
        rows += [Pair(x, None) for x in a[same:]] + [Pair(None, y) for y in b[same:]]
    return rows


def pair(zh, en) -> Pair:
    chart = bilingual_chart(zh.chart, en.chart) if isinstance(zh, Figure) and isinstance(en, Figure) else None
    return Pair(zh, en, chart)


def bilingual_chart(zh: ChartSpec, en: ChartSpec) -> ChartSpec | None:
    """One chart with the labels of both languages, when both show the same values and
    the labels stay short enough to read; else None."""
    if (zh.kind, len(zh.categories), len(zh.series)) != (en.kind, len(en.categories), len(en.series)):
        return None
    if not all(_same(a, b) for (_, a), (_, b) in zip(zh.series, en.series)):
        return None   # other units (亿元 / billion yuan): each language its own chart
    longest = max((len(c) for c in en.categories), default=0)
    if zh.kind in MAX_LABEL and longest > MAX_LABEL[zh.kind]:
        return None
    if zh.kind not in MAX_LABEL and longest * len(en.categories) > ROW_BUDGET and zh.categories != en.categories:
        return None
    legend = [joined(a, b) for (a, _), (b, _) in zip(zh.series, en.series)]
    if any(len(name) > MAX_LEGEND for name in legend):
        return None
    categories = [a if a == b else f"{a}\n{b}" for a, b in zip(zh.categories, en.categories)]
    return dataclasses.replace(
        zh, categories=categories, series=[(name, values) for name, (_, values) in zip(legend, zh.series)],
        axis_label=_label(zh.axis_label, en.axis_label), category_label=_label(zh.category_label, en.category_label))


def _label(zh: str, en: str) -> str:
    return zh if zh == en else f"{zh} / {en}" if zh and en else zh or en


def _same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b))
