"""Chinese line breaking for the PDF's paragraphs (text.TextParagraph): lines broken
between any two CJK characters, Latin words kept whole, the kinsoku rules (no closing
punctuation at a line's start, no opening punctuation at its end), and justification by
character spacing that leaves the letters of a Latin word together.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.paragraph import FragLine, ParaLines, cjkU, imgNormV, imgVRange, sameFrag
from reportlab.rl_config import _FUZZ

from builder.fonts import is_cjk

# reportlab's lists are Japanese-centred and miss most full-width Chinese punctuation
# (，；：！？》…), so a Chinese line could start with a comma. Ours are a superset.
CANNOT_START = set(ALL_CANNOT_START) | set("。，、；：！？）」』】》〉〕〗”’…—％‰℃·,.;:!?)]}%")
CANNOT_END = set(ALL_CANNOT_END) | set("（「『【《〈〔〖“‘([{")


def _is_word_char(ch: str) -> bool:
    # Latin letters, digits and signs hold together ("14.80%", "2019"); CJK does not.
    return not ch.isspace() and not is_cjk(ch) and ord(ch) >= 0x21


def _is_mark(u) -> bool:
    return getattr(u.frag, "rise", 0) > 0 or getattr(u.frag, "super", 0)


def _can_break_before(U, b: int) -> bool:
    """May a line end between U[b-1] and U[b]?"""
    prev, cur = U[b - 1], U[b]
    if cur.isspace():
        return prev not in CANNOT_END
    if prev.isspace():
        return cur not in CANNOT_START and not _is_mark(cur)
    if cur in CANNOT_START or prev in CANNOT_END or _is_mark(cur):
        return False
    return not (_is_word_char(prev) and _is_word_char(cur))


def _joined(a, b) -> bool:
    """Are glyphs a and b letters of one Latin word (in one run of text)?"""
    if not (len(a) == len(b) == 1 and _is_word_char(a) and _is_word_char(b)):
        return False
    f, g = a.frag, b.frag
    return sameFrag(f, g) if f is not g else _same_as_itself(f)


def _same_as_itself(frag) -> bool:
    """sameFrag(frag, frag), known without comparing its attributes."""
    return "cbDefn" not in frag.__dict__ and "lineBreak" not in frag.__dict__


def _para_line(U: list, max_width: float, width_used: float, extra_space: float, line_break: bool,
               calc_bounds: bool):
    """makeCJKParaLine(U, ...), the same line, taking each run of glyphs of one fragment
    at once (it compared and measured every glyph: most of laying out Chinese text)."""
    words, glyphs, word_frag = [], [], FragLine()
    max_size = max_ascent = min_descent = 0
    i, n = 0, len(U)
    while i < n:
        frag, j = U[i].frag, i + 1
        while j < n and U[j].frag is frag:
            j += 1
        size = frag.fontSize
        image = getattr(frag, "cbDefn", None) if calc_bounds else None
        if getattr(image, "width", 0):
            descent, ascent = imgVRange(imgNormV(image.height, size), image.valign, size)
        else:
            ascent, descent = getAscentDescent(frag.fontName, size)
        max_size, max_ascent, min_descent = max(max_size, size), max(max_ascent, ascent), min(min_descent, descent)
        # A new word where makeCJKParaLine's sameFrag(word's fragment, glyph's) fails:
        # at a run's first glyph, or at each glyph of a fragment unlike itself.
        alike = sameFrag(word_frag, frag)
        for k in range(i, j):
            if k > i and (alike or _same_as_itself(frag)):
                glyphs.extend(U[k:j])
                break
            if k > i or not alike:
                words.append(_word(word_frag, glyphs))
                glyphs, word_frag = [], frag
            glyphs.append(U[k])
        i = j
    if glyphs:
        words.append(_word(word_frag, glyphs))
    return FragLine(kind=1, extraSpace=extra_space, wordCount=1, words=words[1:], fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=width_used,
                    lineBreak=line_break)


def _word(frag, glyphs: list):
    word = frag.clone()
    word.text = "".join(glyphs)
    return word


@functools.lru_cache(maxsize=1 << 16)
def _char_width(ch: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(ch, font, size)


def forget_widths() -> None:
    """The widths measured so far no longer hold: another font is registered under a name."""
    _char_width.cache_clear()


def _glyph(ch: str, frag, width: float) -> cjkU:
    """cjkU(ch, frag, "utf8") with its width given: measuring each glyph of every
    paragraph was a third of laying out Chinese text."""
    glyph = str.__new__(cjkU, ch)
    glyph._frag, glyph._width = frag, width
    return glyph


@dataclass
class Glyphs:
    """A paragraph's glyphs, as cjk_lines breaks them: kept for the next wrap of the
    paragraph (it is wrapped again and again: to measure a page, a parallel row, a split)."""
    glyphs: list            # cjkU, one per character
    widths: list[float]
    spaces: list[bool]
    breaks: list[bool]      # a line break after it
    joined: list[bool]      # it and the next are letters of one Latin word

    @classmethod
    def of(cls, frags) -> Glyphs:
        U = []
        for f in frags:
            text = f.text
            U.extend([cjkU(t, f, "utf8") for t in text] if not text or hasattr(f, "cbDefn") else
                     [_glyph(t, f, _char_width(t, f.fontName, f.fontSize)) for t in text])
        return cls(U, [u.width for u in U], [u.isspace() for u in U], [hasattr(u.frag, "lineBreak") for u in U],
                   [_joined(a, b) for a, b in zip(U, U[1:])])


def cjk_lines(glyphs: Glyphs, max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Break a paragraph's glyphs (Glyphs.of its frags) into lines between any two CJK
    characters, keeping Latin words whole, never starting a line with closing punctuation
    or a note mark, never ending one with opening punctuation (the break moves back
    instead: no hanging punctuation). Justification adds no space inside a Latin word
    (CJKText)."""
    U, widths, spaces = glyphs.glyphs, glyphs.widths, glyphs.spaces
    lines = []
    n = len(U)
    start = 0
    while start < n:
        if lines:  # a line never starts with the space it was broken at
            while start < n and spaces[start]:
                start += 1
            if start >= n:
                break
        max_w = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        line_break = False
        while i < n and (used + widths[i] <= max_w + _FUZZ or i == start):
            used += widths[i]
            i += 1
            if glyphs.breaks[i - 1]:
                line_break = True
                break
        if i < n and not line_break:
            b = i
            while b > start + 1 and not _can_break_before(U, b):
                b -= 1
            if b == start + 1 and not _can_break_before(U, b):
                b = i  # nothing allowed: an over-long word is cut where it overflows
            i = b
        end = i
        while end > start + 1 and spaces[end - 1]:  # trailing spaces take no room
            end -= 1
        used = sum(widths[start:end])
        line = _para_line(U[start:end], max_w, used, max_w - used, line_break, calc_bounds)
        # Justification spreads extraSpace over wordCount-1 gaps; CJKText turns that word
        # space into character space, so every gap between glyphs counts but those inside
        # a Latin word.
        nbsp = U[start:end].count("\xa0")
        gaps = glyphs.joined[start:end - 1].count(False)
        line.wordCount = max(1, gaps + 1 - nbsp)
        lines.append(line)
        start = i
    return ParaLines(kind=1, lines=lines)


class CJKText(PDFTextObject):
    """Text object that justifies Chinese lines by character spacing (Tc) instead of word
    spacing (Tw), which only widens ASCII spaces: between CJK characters and around
    words, none between the letters of a Latin word (a narrow justified column would
    spread them: "P o c k e t F l o w")."""

    def setWordSpace(self, wordSpace):
        self.setCharSpace(wordSpace)

    def _textOut(self, text, TStar=0):
        space = getattr(self, "_charSpace", 0)
        inside = [i + 1 < len(text) and _is_word_char(text[i]) and _is_word_char(text[i + 1])
                  for i in range(len(text))]
        if not space or not any(inside):
            return super()._textOut(text, TStar)
        code, start = [], 0
        # Runs of glyphs with the same space after them; the last run (never inside a word)
        # leaves the line's spacing set.
        for i in range(1, len(text) + 1):
            if i == len(text) or inside[i] != inside[start]:
                code.append(f"{fp_str(0 if inside[start] else space)} Tc {self._formatText(text[start:i])}")
                start = i
        self._code.append(" ".join(code) + (" T*" if TStar else ""))
