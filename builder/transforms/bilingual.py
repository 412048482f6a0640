"""The bilingual edition as one book: its chapters, read and numbered zh then en chapter by
chapter, rearranged for the body's layout (model.LAYOUTS).

- sequential: every Chinese chapter, then every English one; the first of each language
  opens its part (Chapter.part: the writers print a title page before it).
- parallel: one chapter per pair of chapters, the zh chapter with its en partner beside
  it, row by row (Chapter.rows): each row a zh block and the en block it translates, as
  analysis/pairs.py pairs the source texts, here on the numbered model. A figure whose
  two charts show the same values is drawn once across both columns, with bilingual
  labels (Pair.chart), unless those labels would be too crowded to read; then the
  writers set the two versions one above the other, each across the page.

Numbers, anchors and cross-references are those of the edition as read (the single-
language editions' numbers); only the order and grouping of the chapters change, so an
extract cut from the book has the same chapters as one cut from the spliced edition.
"""
from __future__ import annotations

import dataclasses
import math

from builder.model import LAYOUTS, ChartSpec, Chapter, Figure, Heading, Pair, Paragraph, Report, Table
from builder.words import BILINGUAL_SEP, EXTRACT

ACROSS = ("bar", "compare", "years")   # kinds whose category labels stand side by side under the chart
ROW_BUDGET = 160                       # ... at most this many characters of English labels in all
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
    else:
        chapters = [side_by_side(c, en[c.id]) if c.id in en else c for c in zh]
    return dataclasses.replace(report, chapters=chapters, layout=layout)


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
    """Rows of partner blocks, in the order of the texts: the pairing that matches the most
    (headings, figures and tables first, then paragraphs of the same style and notes,
    then blocks of the same kind); a block without a partner stands alone (`report check`
    warns of it). As there, a paragraph missing in a run of paragraphs is missing where
    the run ends."""
    best = [[0] * (len(en) + 1) for _ in range(len(zh) + 1)]
    for i in range(len(zh)):
        for j in range(len(en)):
            best[i + 1][j + 1] = max(best[i][j + 1], best[i + 1][j], best[i][j] + _weight(zh[i], en[j]))
    rows: list[Pair] = []
    i, j = len(zh), len(en)
    while i or j:   # back from the end: a gap before a pair when both score the same
        if i and best[i][j] == best[i - 1][j]:
            rows.append(Pair(zh[i - 1], None))
            i -= 1
        elif j and best[i][j] == best[i][j - 1]:
            rows.append(Pair(None, en[j - 1]))
            j -= 1
        else:
            rows.append(pair(zh[i - 1], en[j - 1]))
            i, j = i - 1, j - 1
    return rows[::-1]


def _weight(a, b) -> int:
    """How well two blocks match: 0 not at all (another kind)."""
    x, y = shape(a), shape(b)
    if x[0] != y[0]:
        return 0
    if x == y:
        return 3 if x[0] != "paragraph" else 2
    return 1


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
    if zh.kind in ACROSS and longest * len(en.categories) > ROW_BUDGET and zh.categories != en.categories:
        return None   # side by side under the bars, two lines each: too crowded to read
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
