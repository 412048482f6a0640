"""Which characters the PDF's fonts carry.

Every PDF of an edition (the full report and its extracts) gives its fonts the same
characters, so that extracts reuse the full report's laid-out chapters; and every part
gives each character the same place in the same font subsets (see embed_glyphs), so that
assembling the parts keeps one copy of each font.
"""
from __future__ import annotations


from reportlab.pdfbase import pdfmetrics

from builder.chars import report_chars
from builder.fonts import is_cjk
from builder.media.charts import chart_texts
from builder.model import Figure, Heading, Paragraph, Report, Table
from builder.words import BILINGUAL_SEP, EXTRACT
from builder.writers import handler
from builder.writers.pdf.text import CJK, CJK_BOLD, LATIN, LATIN_BOLD


def _heading_texts(block: Heading) -> tuple[list[str], list[str]]:
    return [], [block.full_text]


def _paragraph_texts(block: Paragraph) -> tuple[list[str], list[str]]:
    runs = [*block.runs, *(r for n in block.footnotes for r in n.runs)]
    return [block.bullet, *(r.text for r in runs if not r.bold)], [r.text for r in runs if r.bold]


def _figure_texts(block: Figure) -> tuple[list[str], list[str]]:
    return [block.caption, block.note, block.source, *chart_texts(block.chart)], [block.label]


def _table_texts(block: Table) -> tuple[list[str], list[str]]:
    return [block.caption, block.source, *(c for row in block.rows for c in row)], [block.label, *block.header]


# block type -> (texts printed in regular, texts printed in bold) of such a block
BLOCK_TEXTS = {Heading: _heading_texts, Paragraph: _paragraph_texts, Figure: _figure_texts, Table: _table_texts}


def pdf_characters(report: Report) -> tuple[set[str], set[str]]:
    """The characters the PDF prints: (all of them, those printed in bold)."""
    texts = [*report.contents_titles, " / ", "0123456789ivxlcdm. "]
    texts += [report.running_titles.get(lang, "") for lang in report.langs] + [report.draft]
    bold = [*report.contents_titles, " / ", "0123456789. "]   # the contents' heading and chapter entries
    texts += [BILINGUAL_SEP] * bool(report.layout)   # the bilingual book's paired lines (bold: chapters)
    bold += [BILINGUAL_SEP] * bool(report.layout)
    for cover in report.covers:
        texts += [cover.subtitle, cover.date, cover.institute]   # (the institute is also in
        bold += [cover.title, cover.institute]                   # an extract's title block)
    for block in report.title_blocks:
        texts += [block.kicker, block.edition, block.institute, block.note]
        bold += [block.title, *block.chapters]
    for chapter in [*report.front, *report.chapters]:
        bold.append(chapter.heading.full_text)
        for block in chapter.blocks:
            regular, strong = handler(BLOCK_TEXTS, block, "pdf")(block)
            texts += regular
            bold += strong
    bold_chars = set("".join(bold))
    return set("".join(texts)) | bold_chars, bold_chars


def edition_glyphs(report: Report) -> tuple[str, str]:
    """(all characters, bold ones), sorted, that every PDF of the edition of `report` (a
    full report) gives its fonts: its own and those of an extract's title block."""
    regular, bold = pdf_characters(report)
    regular |= report_chars([(EXTRACT[lang], report.theme.extract_label[lang]) for lang in report.langs])
    return "".join(sorted(regular)), "".join(sorted(bold))


def embed_glyphs(canvas_doc, glyphs: tuple[str, str]) -> None:
    """Give every character of `glyphs` its place in the font subsets of the PDF being
    made, before anything is drawn. (The fonts are named in a fixed order too: reportlab
    names them F1, F2... as they are first used; a font never used is not embedded.)"""
    regular, bold = glyphs
    for name, chars in ((LATIN, regular), (LATIN_BOLD, bold), (CJK, regular), (CJK_BOLD, bold)):
        mine = "".join(c for c in chars if is_cjk(c) == name.startswith(CJK))
        if mine:
            font = pdfmetrics.getFont(name)
            font.splitString(mine, canvas_doc)
            font.getSubsetInternalName(0, canvas_doc)
