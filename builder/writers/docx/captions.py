"""Captions as Word writes them: the label's number a SEQ field ("图 1-{SEQ 图 \\s 1}"),
its result filled in, so that Word can list the figures and tables and number them
again; the label and number bookmarked for the REF fields of cross-references. And the
alt text of a chart: its caption and the values it shows."""
from __future__ import annotations

import math
import re

from builder.model import ChartSpec, Figure
from builder.writers.docx.runs import add_text, loose_run
from builder.writers.docx.wml import field, wml

# "图 1-1", "Figure 1-1", "表 10-2": the sequence's name, the text before the number, the number
LABEL = re.compile(r"(?P<name>[^\W\d_]+)(?P<between>.*?)(?P<number>\d+)")


def add_caption(doc, label: str, text: str, lang: str, bookmark: str | None, seen: set[str]):
    """A caption paragraph: `label` ("图 1-1") with its number a SEQ field restarting at each
    chapter, then `text`; `bookmark`: the name that marks its label and number, for
    cross-references; `seen`: the sequences ("图", "Table") the chapter has numbered so far.
    Returns the paragraph."""
    caption = doc.add_paragraph(style="Caption")
    caption.paragraph_format.keep_with_next = True
    match = LABEL.fullmatch(label)
    if match is None:   # a label of another form: plain text
        add_text(caption, f"{label} {text}", lang)
        return caption
    first = len(caption._p)
    add_text(caption, match["name"] + match["between"], lang)
    # Word restarts at each chapter (\s 1: each Heading 1); LibreOffice ignores \s and
    # counts on through the document, unless the chapter's first caption restarts it (\r).
    restart = "" if match["name"] in seen else f" \\r {match['number']}"
    seen.add(match["name"])
    instruction = f"SEQ {match['name']} \\* ARABIC \\s 1{restart}"
    for element in field(instruction, [loose_run(match["number"], lang, caption)]):
        caption._p.append(element)
    if bookmark:
        number = int(bookmark[4:])
        caption._p.insert(first, wml(f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>'))
        caption._p.append(wml(f'<w:bookmarkEnd w:id="{number}"/>'))
    add_text(caption, f" {text}", lang)
    return caption


def alt_text(figure: Figure) -> str:
    """What the chart says, for screen readers and Word's accessibility check: its label and
    title, the values it shows (per series, each category's value as printed), its note."""
    parts = [f"{figure.label} {figure.caption}", chart_values(figure.chart)]
    if figure.note:
        parts.append(figure.note)
    stop = "。" if figure.lang == "zh" else ". "
    return stop.join(p.rstrip("。.") for p in parts if p) + ("。" if figure.lang == "zh" else ".")


def chart_values(chart: ChartSpec) -> str:
    """"category: value, ..." of each series, as the chart prints them; with more than one
    series, each in brackets after its name (zh: full-width marks)."""
    zh = chart.lang == "zh"
    colon, comma, semi, brackets = ("：", "，", "；", "（）") if zh else (": ", ", ", "; ", "()")
    described = []
    for s, (name, values) in enumerate(chart.series):
        shown = [f"{category}{colon}{_value(chart, s, c, value)}"
                 for c, (category, value) in enumerate(zip(chart.categories, values))
                 if not (value is None or (isinstance(value, float) and math.isnan(value)))]
        if shown and len(chart.series) > 1:
            described.append(f"{name}{' ' if not zh else ''}{brackets[0]}{comma.join(shown)}{brackets[1]}")
        elif shown:
            described.append(comma.join(shown))
    return semi.join(described)


def _value(chart: ChartSpec, series: int, category: int, value: float) -> str:
    """A value as the chart prints it: as the data writes it, or in the chart's format."""
    labels = chart.value_labels
    if labels and series < len(labels) and category < len(labels[series]) and labels[series][category]:
        return labels[series][category]
    try:
        return chart.value_format.format(value)
    except (ValueError, IndexError, KeyError):
        return f"{value:g}"
