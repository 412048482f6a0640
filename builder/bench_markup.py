"""The report as Markdown (for pandoc + xelatex) and as Typst markup: the same content, for
`python -m builder.bench` to time those tools on (headings, paragraphs with footnotes,
tables, the charts as the DOCX's PNGs)."""
from __future__ import annotations

import re


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$^~\"'@&%])", r"\\\1", text)


def to_markdown(report, ctx) -> str:
    """Headings, paragraphs with footnotes, pipe tables and the PNG charts."""
    from builder.media.charts import image
    from builder.model import Figure, Heading, Paragraph, Table
    out = []
    for chapter in report.front + report.chapters:
        out.append("# " + _md(chapter.heading.full_text))
        for block in chapter.blocks:
            if isinstance(block, Heading):
                out.append("#" * block.level + " " + _md(block.full_text))
            elif isinstance(block, Paragraph):
                text = "".join(_md(r.text) if r.footnote is None else
                               "^[" + "".join(_md(n.text) for n in r.footnote.runs) + "]" for r in block.runs)
                out.append((f"{_md(block.bullet)} " if block.bullet else "") + text)
            elif isinstance(block, Figure):
                out.append(f"![{_md(block.label + ' ' + block.caption)}]({image(block.chart, ctx)}){{width=90%}}\n\n"
                           + _md(block.source))
            elif isinstance(block, Table):
                rows = [block.header] + block.rows
                lines = ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
                lines.insert(1, "|" + "---|" * len(block.header))
                out.append(_md(block.label + " " + block.caption) + "\n\n" + "\n".join(lines) + "\n\n"
                           + _md(block.source))
    return "\n\n".join(out) + "\n"


def _ty(text: str) -> str:
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_typst(report, ctx) -> str:
    """The same as to_markdown, as Typst markup (text as string literals: no escaping)."""
    from builder.media.charts import image
    from builder.model import Figure, Heading, Paragraph, Table
    out = ['#set page(paper: "a4", margin: 25mm, numbering: "1")',
           '#set text(font: ("Liberation Serif", "Noto Serif CJK SC"), size: 10.5pt, lang: "zh")',
           '#set par(justify: true, first-line-indent: 2em)',
           "#outline()"]
    for chapter in report.front + report.chapters:
        out.append("#pagebreak()\n= " + _ty(chapter.heading.full_text))
        for block in chapter.blocks:
            if isinstance(block, Heading):
                out.append("=" * block.level + " " + _ty(block.full_text))
            elif isinstance(block, Paragraph):
                out.append("".join(_ty(r.text) if r.footnote is None else
                                   "#footnote[" + "".join(_ty(n.text) for n in r.footnote.runs) + "]"
                                   for r in block.runs))
            elif isinstance(block, Figure):
                out.append(f'#figure(image("{image(block.chart, ctx)}", width: 90%), caption: [{_ty(block.caption)}])\n'
                           + _ty(block.source))
            elif isinstance(block, Table):
                cells = ", ".join(f"[{_ty(c)}]" for row in [block.header] + block.rows for c in row)
                out.append(f"#figure(table(columns: {len(block.header)}, {cells}), "
                           f"caption: [{_ty(block.caption)}])\n" + _ty(block.source))
    return "\n\n".join(out) + "\n"
