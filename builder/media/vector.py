"""A drawn chart's SVG as the PDF draws it: PDF operators for its shapes, with its texts
kept apart as ("text", x, y, anchor, size, string). The PDF writer sets those texts in its
own embedded fonts, where they can be searched and selected; they cannot be kept as
operators, since how a font encodes a character depends on the document.

Positions are in the operators' coordinates at the point each text is drawn (the SVG's
transforms, rotations included, are operators before it); the anchor is "start",
"middle" or "end" of the text's width in the fonts it is set in.
"""
from __future__ import annotations

import copy
import io
import math
import re
from pathlib import Path

_MARK = "%chart-text"   # where a text goes in the operators (a PDF comment)
_FONT_SELECTION = re.compile(r"BT /F\d+ \S+ Tf \S+ TL ET")
_SVG = "{http://www.w3.org/2000/svg}"
_PATTERN_FILL = re.compile(r"fill: url\(#([^)]+)\)")


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
    data = svg.read_bytes()
    drawing = svg2rlg(io.BytesIO(_hatched(data)) if b"<pattern" in data else str(svg))
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


def _hatched(data: bytes) -> bytes:
    """The SVG with each hatched shape (--grayscale), which matplotlib fills with a
    pattern of its colour and lines that svglib leaves empty, drawn as svglib can: filled
    with the colour, the pattern's lines tiled over it and clipped to it, then outlined."""
    from lxml import etree
    root = etree.fromstring(data)
    patterns = {p.get("id"): p for p in root.iter(_SVG + "pattern")}
    defs = root.find(_SVG + "defs")
    for n, shape in enumerate(list(root.iter(_SVG + "path"))):
        found = _PATTERN_FILL.search(shape.get("style", ""))
        if not found or found[1] not in patterns:
            continue
        pattern, style = patterns[found[1]], shape.get("style")
        rect = pattern.find(_SVG + "rect")
        shape.set("style", style.replace(found[0], f"fill: {rect.get('fill') if rect is not None else 'none'}"))
        clip = etree.SubElement(defs, _SVG + "clipPath", id=f"hatched{n}")
        etree.SubElement(clip, _SVG + "path", d=shape.get("d"))
        lines = etree.Element(_SVG + "g", {"clip-path": f"url(#hatched{n})"})
        for x, y in _tiles(shape.get("d"), float(pattern.get("width"))):
            tile = etree.SubElement(lines, _SVG + "g", transform=f"translate({x} {y})")
            tile.extend(copy.deepcopy(line) for line in pattern.iterfind(_SVG + "path"))
        outline = copy.deepcopy(shape)
        outline.set("style", style.replace(found[0], "fill: none"))
        shape.addnext(lines)
        lines.addnext(outline)
    return etree.tostring(root)


def _tiles(d: str, size: float) -> list[tuple[float, float]]:
    """The corners of the pattern tiles that cover path `d` (absolute coordinates)."""
    numbers = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return [(i * size, j * size)
            for i in range(math.floor(min(xs) / size), math.ceil(max(xs) / size))
            for j in range(math.floor(min(ys) / size), math.ceil(max(ys) / size))]


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
