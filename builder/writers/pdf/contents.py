"""The contents list of the PDF: reportlab's TableOfContents, filled with the entries the
chapter parts found, never leaving a chapter's entry alone at the foot of a page."""
from __future__ import annotations

import copy

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, FrameBreak, Spacer, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from builder.model import Heading, Report
from builder.writers.pdf.blocks import heading_flowable
from builder.writers.pdf.text import LATIN, LATIN_BOLD, SIZES


class ContentsList(TableOfContents):
    """A contents list that, where it goes over a page, carries a chapter's entry (level
    0) over with its first section rather than leave it last on the page."""

    def split(self, availWidth, availHeight):
        heights = self._table._rowHeights
        kinds = []   # per table row: the entry's level, or "space" for the space above one
        for level, *_ in self._lastEntries:
            if self.getLevelStyle(level).spaceBefore:
                kinds.append("space")
            kinds.append(level)
        fit, used = 0, 0.0
        while fit < len(heights) and used + heights[fit] <= availHeight + 1e-6:
            used += heights[fit]
            fit += 1
        cut = fit
        # Back over the space above an entry, and a chapter's entry whose sections follow.
        while 0 < cut < len(heights) and (kinds[cut - 1] == "space" or
                                          (kinds[cut - 1] == 0 and kinds[cut] not in (0, "space"))):
            cut -= 1
        if cut == 0:
            return []
        done = sum(1 for kind in kinds[:cut] if kind != "space")
        return [self._part(self._lastEntries[:done]), FrameBreak(), self._part(self._lastEntries[done:])]

    def _part(self, entries: list) -> ContentsList:
        part = copy.copy(self)
        part._lastEntries, part._table = entries, None
        return part


def contents_flowables(report: Report, styles, entries: list[tuple], formatter=str) -> list[Flowable]:
    """`entries`: (level, markup, page number, anchor), known before the contents are laid
    out since the chapters are laid out first; `formatter` prints a page number."""
    lang = report.langs[0]
    level = 2 if report.title_blocks else 1   # an extract's contents sit below its title block
    title = Heading(1, "", " / ".join(report.contents_titles), lang, "contents")
    toc = ContentsList(dotsMinLevel=0, tableStyle=TableStyle([
        ("FONT", (0, 0), (-1, -1), LATIN, 10),  # cell default is Helvetica, not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    toc._lastEntries = entries   # what a second multiBuild pass would draw
    base = styles["body", lang]
    toc.levelStyles = [
        base.clone("toc-1", fontName=LATIN_BOLD, fontSize=12, leading=20, firstLineIndent=0,
                   leftIndent=0, spaceBefore=6, alignment=0, wordWrap="CJK"),
        base.clone("toc-2", fontName=LATIN, fontSize=10.5, leading=17, firstLineIndent=0,
                   leftIndent=2 * SIZES.body_zh, alignment=0, wordWrap="CJK"),
    ]
    hang_long_lines(toc, formatter)
    heading = heading_flowable(title, None, styles, False, look=level)
    # Not kept with the contents list: a list longer than a page cannot be kept with
    # anything, and reportlab would push both to the next page, leaving a blank one.
    heading.keepWithNext = 0
    return [Spacer(1, 18 * mm if level == 1 else 6 * mm), heading, toc]


def hang_long_lines(toc: ContentsList, formatter) -> None:
    """Contents lines longer than the line (a long title, the bilingual book's paired
    lines: 一、企业 · I. Enterprises): an entry's text stops short of a column as wide as
    the widest page number (`formatter` prints them) and some leader dots, its later lines
    indented under the text after its number; the dots and the page number follow its
    last line, right-aligned (reportlab would shrink a number that has no room to nothing)."""
    toc.formatter = formatter
    styles = []
    for level, style in enumerate(toc.levelStyles):
        pages = [formatter(page) for entry_level, _, page, _ in toc._lastEntries if entry_level == level]
        dots = 2 * stringWidth(" . ", style.fontName, style.fontSize)
        widest = max((stringWidth(p, style.fontName, style.fontSize) for p in pages), default=0)
        hang = (2 if level == 0 else 3) * style.fontSize   # 一、 / （一）
        styles.append(style.clone(style.name + "-hang", rightIndent=widest + dots,
                                  leftIndent=style.leftIndent + hang, firstLineIndent=-hang))
    toc.levelStyles = styles
