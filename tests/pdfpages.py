"""Where things landed on a built PDF's pages, for layout tests: words (pdftotext -bbox),
drawn shapes (the page's content stream, read with pypdf), the chapters' first pages (the
outline). Coordinates are points from the top of the page."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

MARGIN = 25 * 72 / 25.4   # the default margins, as the build used them


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def size(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    number: int             # 1-based index in the file
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    pdf_page: object = field(default=None, repr=False)   # pypdf's page, for the shapes

    @cached_property
    def shapes(self) -> list[tuple[float, float]]:
        """(top, bottom) of each path drawn (read when first asked: pypdf parses slowly)."""
        return shapes(self.pdf_page, self.height) if self.pdf_page is not None else []

    @property
    def frame(self) -> tuple[float, float]:
        return MARGIN, self.height - MARGIN

    def body_words(self) -> list[Word]:
        """Words inside the text frame (not the running header or the page number)."""
        top, bottom = self.frame
        return [w for w in self.words if w.y0 >= top - 2 and w.y1 <= bottom + 2]

    def largest_gap(self, drawn: bool = True) -> float:
        """The tallest stretch of the frame with nothing drawn or written across it (or, not
        `drawn`, nothing written: never smaller)."""
        top, bottom = self.frame
        spans = sorted([(w.y0, w.y1) for w in self.body_words()] +
                       [(max(a, top), min(b, bottom)) for a, b in (self.shapes if drawn else ())
                        if b > top and a < bottom])
        gap, y = 0.0, top
        for a, b in spans:
            gap = max(gap, a - y)
            y = max(y, b)
        return max(gap, bottom - y)

    def lines(self) -> list[list[Word]]:
        """Body words grouped into lines by their top, top to bottom."""
        out: list[list[Word]] = []
        for w in sorted(self.body_words(), key=lambda w: (w.y0 + w.y1) / 2):
            if out and abs((out[-1][0].y0 + out[-1][0].y1) / 2 - (w.y0 + w.y1) / 2) < 3:
                out[-1].append(w)
            else:
                out.append([w])
        # Each line's words left to right, its tallest word first in y (the line's y).
        return [sorted(line, key=lambda w: w.x0) for line in out]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        page = Page(len(pages) + 1, float(match[1]), float(match[2]))
        for w in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             match[3]):
            page.words.append(Word(*map(float, w.groups()[:4]), unescape(w[5])))
        pages.append(page)
    reader = PdfReader(str(pdf))
    for page, pdf_page in zip(pages, reader.pages):
        page.pdf_page = pdf_page
    return pages


def shapes(pdf_page, height: float) -> list[tuple[float, float]]:
    """(top, bottom) of each path painted on the page, transformations applied."""
    ops = ContentStream(pdf_page.get_contents(), pdf_page.pdf).operations
    ctm, stack, path, out = (1, 0, 0, 1, 0, 0), [], [], []

    def point(x, y):
        a, b, c, d, e, f = ctm
        return height - (b * x + d * y + f)

    for operands, op in ops:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else ctm
        elif op == b"cm":
            a, b, c, d, e, f = map(float, operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif op in (b"m", b"l", b"c", b"v", b"y"):
            nums = list(map(float, operands))
            path += [point(nums[i], nums[i + 1]) for i in range(0, len(nums), 2)]
        elif op == b"re":
            x, y, w, h = map(float, operands)
            path += [point(x, y), point(x, y + h)]
        elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            if path:
                out.append((min(path), max(path)))
            path = []
        elif op == b"n":
            path = []
    return out


def chapter_starts(pdf: Path) -> set[int]:
    """1-based numbers of the pages where a top-level outline entry (a chapter, the
    contents) points."""
    reader = PdfReader(str(pdf))
    return {reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)}
