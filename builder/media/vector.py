"""A drawn chart's SVG as the PDF draws it: PDF operators for its shapes, with its texts
kept apart as ("text", x, y, anchor, size, string). The PDF writer sets those texts in its
own embedded fonts, where they can be searched and selected; they cannot be kept as
operators, since how a font encodes a character depends on the document.

Positions are in the operators' coordinates at the point each text is drawn (the SVG's
transforms, rotations included, are operators before it); the anchor is "start",
"middle" or "end" of the text's width in the fonts it is set in.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

_MARK = "%chart-text"   # where a text goes in the operators (a PDF comment)
_FONT_SELECTION = re.compile(r"BT /F\d+ \S+ Tf \S+ TL ET")


def pdf_drawing(svg: Path, families: tuple[str, ...]) -> tuple[float, float, tuple]:
    """(width, height, parts): parts are operator strings and text tuples in drawing
    order. `families`: the chart's font.family, mapped to a standard font that svglib
    needs to read the file (its texts are not drawn in it)."""
    from reportlab.graphics.renderPDF import _PDFRenderer, renderScaledDrawing
    from reportlab.pdfgen.canvas import Canvas
    from svglib.fonts import register_font
    from svglib.svglib import svg2rlg

    for family in families:   # else svglib asks fontconfig for each and loads the file
        register_font(family, rlgFontName="Times-Roman")
    drawing = svg2rlg(str(svg))
    if drawing is None:
        raise ValueError(f"{svg}: not a readable SVG")
    texts: list[tuple] = []

    class Recorder(_PDFRenderer):
        def drawString(self, string):
            if self._fill:
                state = self._tracker.getState()
                anchor = state["textAnchor"] if state["textAnchor"] in ("middle", "end") else "start"
                texts.append(("text", string.x, string.y, anchor, state["fontSize"], string.text))
                self._canvas._code.append(_MARK)

    canvas = Canvas(io.BytesIO(), invariant=1)
    start = len(canvas._code)
    Recorder().draw(renderScaledDrawing(drawing), canvas, 0, 0)
    return drawing.width, drawing.height, _split(canvas._code[start:], texts)


def _split(code: list[str], texts: list[tuple]) -> tuple:
    """The operators cut at each text's mark; the renderer's font selections (in a
    font nothing is drawn in) left out."""
    parts: list = []
    lines: list[str] = []
    found = iter(texts)
    for line in code:
        if line == _MARK:
            parts += ["\n".join(lines) + "\n"] if lines else []
            parts.append(next(found))
            lines = []
        elif not _FONT_SELECTION.fullmatch(line):
            lines.append(line)
    if lines:
        parts.append("\n".join(lines) + "\n")
    return tuple(parts)


def needs_resources(parts: tuple) -> bool:
    """Whether the operators name a resource (a pattern, an image): not self-contained."""
    return any(isinstance(part, str) and "/" in part for part in parts)
