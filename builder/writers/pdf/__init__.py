"""The PDF writer (reportlab): lays out a Report in parts, assembled here.

Covers, front matter (roman page numbers), the contents, then the chapters (arabic numbers
from 1) with running headers, footnotes at the foot of their page, bookmarks and document
metadata. Each chapter is laid out on its own and cached (a part); then the front part,
whose contents list the page numbers the chapter parts found; assemble.py joins the parts
and draws the chapter pages' numbers (so a chapter's layout does not depend on where it
starts). An extract has a title block and its own contents instead of covers and front
matter, and its chapters keep the page numbers they have in the full report
(Chapter.first_page). Print options set the paper, margins, blank pages for duplex
printing, and a bleed with crop marks.

    document.py  the document template and the pages' decoration
    story.py     what a part is laid out from: chapters block by block, the front
    blocks.py    flowables of headings, paragraphs, figures, tables
    text.py      fonts, inline markup, styles, the paragraphs
    linebreak.py Chinese line breaking
    platypus.py  reportlab.platypus imported without a pattern it compiles in vain
    notes.py     footnotes at the foot of their page
    parts.py     laying out and caching the parts
    glyphs.py    the file's fonts: its parts' characters, encoded once
    assemble.py  one PDF of the parts
"""
from __future__ import annotations

from pathlib import Path

import builder.writers.pdf.platypus  # noqa: F401  (first: it imports reportlab.platypus)
from builder.context import BuildContext
from builder.fonts import choose, prepare_pdf_fonts, theme_faces
from builder.model import PdfPages, Report
from builder.writers.pdf.assemble import assemble
from builder.chars import report_chars
from builder.writers.pdf.glyphs import pdf_characters
from builder.writers.pdf.parts import Parts, contents_entries
from builder.timing import timed

__all__ = ["page_numbers", "pdf_characters", "write"]


def write(report: Report, path: Path, ctx: BuildContext, chars: set[str] | None = None,
          full: Report | None = None) -> int:
    """Write the report as PDF to `path`; return the page count. `chars`: what the font
    subsets cover (default: the report's characters). `full`: the full report an extract
    is cut from (its chapters are laid out as the full report's, so they are reused).

    The chapters are laid out first, then the front with the contents, whose page
    numbers are then known."""
    parts = _parts(report, ctx, chars)
    chapters = parts.chapters()
    front = parts.front(contents_entries(chapters))
    with timed("PDF assembly"):
        return assemble(report, [front, *(part for _, part in chapters)], [None, *(first for first, _ in chapters)],
                        path, parts.fonts, ctx.cache)


def page_numbers(report: Report, ctx: BuildContext, chars: set[str], count: bool = False) -> tuple[dict, PdfPages]:
    """The chapters of the PDF laid out (or taken from the cache, where write then finds
    them): (chapter id, lang) -> printed number of its first page, and the page of every
    heading, figure and table; `count`: the front laid out too, for the page count and
    the page of each front matter heading (which parts share a page)."""
    parts = _parts(report, ctx, chars)
    chapters = parts.chapters()
    starts = {(chapter.id, chapter.lang): first for chapter, (first, _) in zip(report.chapters, chapters)}
    headings = {m.anchor: first + m.page for first, part in chapters for m in part.marks}
    if not count:
        return starts, PdfPages(headings)
    front = parts.front(contents_entries(chapters))
    front_pages = {m.anchor: m.page for m in front.marks}
    return starts, PdfPages(headings, front.pages + sum(part.pages for _, part in chapters), front_pages)


def _parts(report: Report, ctx: BuildContext, chars: set[str] | None) -> Parts:
    choose(theme_faces(report.theme))
    fonts = prepare_pdf_fonts(chars or report_chars(report), ctx.cache)
    return Parts(report, ctx, fonts)
