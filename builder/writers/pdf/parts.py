"""The PDF in parts: each chapter laid out on its own, then the front (covers, front
matter, contents), each kept in the cache so that an edit lays out only what it changed.
Same inputs, same bytes, whether a part comes from the cache or not.

A part embeds no font: its text is encoded in subsets of its own characters, in the order
it first uses them, and assembling re-encodes it for the fonts of the whole file (see
glyphs.py). So a part's layout depends on the fonts' metrics only, not on which other
characters the file prints: a new character anywhere lays out only the part it is in."""
from __future__ import annotations

import dataclasses
import functools
import io
import re
from dataclasses import dataclass
from typing import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError

from builder.context import BuildContext
from builder.errors import ReportError
from builder.fonts import FontFiles, metrics_stamp
from builder.model import Report
from builder.writers.pdf.document import Mark, RectoPad, ReportDocTemplate
from builder.writers.pdf.book import book_front_story, chapter_story
from builder.writers.pdf.floats import FlushFloats
from builder.writers.pdf.story import front_story
from builder.writers.pdf.text import LATIN, make_styles, register_fonts, text_markup


RUNT = 0.12   # of a page's frame: a chapter's last page using less holds a line or two


@dataclass
class Part:
    """A laid-out piece of the PDF: the front or one chapter."""
    pdf: bytes
    pages: int
    marks: list[Mark]
    labels: list[tuple]     # (page index, style, start, prefix) where page labels change
    links: list[tuple]      # (page index, rectangle, anchor) of the contents' entries
    fonts: dict[str, tuple[str, list[str]]]   # "F3" -> (font name, its subsets: each
                                              # subset's characters by code, "\0": none)


class PartCanvas(Canvas):
    """Records, for assembling the parts: the contents' links to headings in other parts
    (reportlab refuses a link to a name it never saw), and the characters of each font
    subset the text is encoded in, instead of embedding the fonts."""

    def __init__(self, *args, links: list, fonts: dict, **kw):
        super().__init__(*args, **kw)
        self.links, self.fonts = links, fonts

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, **kw):
        self.links.append((self.getPageNumber() - 1, self._absRect(Rect, relative), destinationname))

    def save(self):
        # The fonts drawn with, in the order first used: embedded by the assembly. Their
        # state is dropped here, as embedding does (no weak reference is left to call back
        # when the document goes, where a Ctrl-C would print a traceback).
        for font in self._doc.delayedFonts:
            state = font.state.pop(self._doc)
            self.fonts[state.internalName] = (font.fontName, ["".join(map(chr, s)) for s in state.subsets])
        self._doc.delayedFonts = []
        super().save()


class Parts:
    """Lays out the parts of one PDF of `report`, or takes them from the cache."""

    def __init__(self, report: Report, ctx: BuildContext, fonts: FontFiles):
        self.report, self.ctx, self.fonts = report, ctx, fonts
        # How every part is printed, in each part's cache key (the charts are drawn with
        # the chart fonts; a draft's pages carry its stamp; the theme's colours).
        self.printing = (ctx.options, ctx.fonts.chart_family, metrics_stamp(), report.draft, report.theme)

    def chapters(self) -> list[tuple[int, Part]]:
        """(printed number of its first page, part) of each chapter, numbered from where the
        one before ends (or from Chapter.first_page in an extract). A chapter is laid out
        again only if it or how it is printed changed, not when it moves: its pages'
        numbers are drawn by the assembly."""
        report, duplex = self.report, self.ctx.options.duplex
        parts = []
        number = 1
        for i, chapter in enumerate(report.chapters):
            number = chapter.first_page or number
            pad = duplex and i < len(report.chapters) - 1   # next chapter on a right-hand page

            def story(doc, chapter=chapter, pad=pad):
                return chapter_story(chapter, doc, chapter.in_contents) + ([RectoPad(at_end=True)] if pad else [])
            key = ("chapter", dataclasses.replace(chapter, first_page=None), pad,
                   report.running_titles.get(chapter.lang, ""))
            part = self.cached(key, "main", story, f"content/chapters/{chapter.id}/{chapter.lang}.md")
            parts.append((number, part))
            number += part.pages
        return parts

    def front(self, entries: list[tuple]) -> Part:
        """Covers and front matter, or an extract's title block, and the contents listing
        `entries` (see contents_entries)."""
        report = self.report
        key = ("front", report.covers, report.front, report.title_blocks, report.contents_titles,
               report.langs, entries, report.layout)
        first = "title" if report.title_blocks else "cover" if report.covers else "front"
        story = book_front_story if report.layout else front_story   # the bilingual edition as one book
        return self.cached(key, first, lambda doc: story(report, doc, entries))

    def cached(self, key: tuple, first_template: str, make_story: Callable[[ReportDocTemplate], list],
               where: str = "content/report.toml") -> Part:
        """`where`: the file a layout error names."""
        return self.ctx.cache.memo("pdf-parts", (*key, *self.printing),
                                   lambda: self.lay_out(first_template, make_story, where))

    def lay_out(self, first_template: str, make_story: Callable[[ReportDocTemplate], list], where: str) -> Part:
        """A chapter whose last page holds only a line or two (less than RUNT of it) is laid
        out again with less space between paragraphs, kept if that saves the page."""
        part, used = self.lay_out_once(first_template, make_story, where)
        if first_template == "main" and part.pages > 1 and used < RUNT and not self.ctx.options.duplex:
            tighter, _ = self.lay_out_once(first_template, make_story, where, tight=True)
            if tighter.pages < part.pages:
                return tighter
        return part

    def lay_out_once(self, first_template: str, make_story: Callable[[ReportDocTemplate], list],
                     where: str, tight: bool = False) -> tuple[Part, float]:
        """The part, and how much of its last page's frame is used (0 to 1)."""
        register_fonts(self.fonts)
        out = io.BytesIO()
        doc = ReportDocTemplate(out, self.report, make_styles(self.report.theme, tight), self.ctx, first_template,
                                initialFontName=LATIN,   # else pages would name a non-embedded Helvetica
                                invariant=1, pageCompression=0)   # (re-encoded, then compressed, by the assembly)
        links: list = []
        fonts: dict = {}
        try:
            doc.build(make_story(doc) + [FlushFloats()], canvasmaker=functools.partial(PartCanvas, links=links, fonts=fonts))
        except LayoutError as exc:
            what = re.match(r"Flowable (.*?)\(?[\d.]+ x [\d.]+\)? too large on page (\d+)", str(exc), re.S)
            current = getattr(doc, "current", None)
            advice = getattr(current, "too_tall_advice", "shorten the notes or split the paragraph")
            raise ReportError(f"{what.group(1) if what else 'a block'} is taller than a page: {advice}",
                              where, getattr(current, "line", None)) from None
        frame = doc.frame
        used = (frame._y1 + frame._height - frame._y) / frame._height if frame else 1.0
        return Part(out.getvalue(), doc.page, doc.marks, doc.labels, links, fonts), used


def contents_entries(parts: list[tuple[int, Part]]) -> list[tuple]:
    """The contents' entries, (level, markup, page number, anchor), of the chapter parts."""
    return [(m.level - 1, text_markup(m.text, bold=m.level == 1), first + m.page, m.anchor)
            for first, part in parts for m in part.marks if m.in_contents]
