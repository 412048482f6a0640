"""A matplotlib figure as the PDF draws it: PDF operators for its shapes, with its texts
kept apart as ("text", x, y, anchor, size, string). The PDF writer sets those texts in
its own embedded fonts, where they can be searched and selected; they cannot be kept as
operators, since how a font encodes a character depends on the document.

`Recorder` is a matplotlib renderer of its own (at 72 dpi: a unit is a point, y upwards
as in PDF) that writes the operators as the figure is drawn: no SVG in between. Every
shape is drawn between q and Q with its own clip, colours and line style, so the
operators need no resources (no patterns, no images, no graphic states). Positions of
texts are in the operators' coordinates at the point each is drawn (a rotation is a cm
before it); the anchor is "start", "middle" or "end" of the text's width in the fonts
it is set in.
"""
from __future__ import annotations

import math

from matplotlib import _path
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.transforms import Affine2D, TransformedBbox, TransformedPath

PATH_OPS = [b"m", b"l", b"", b"c", b"h"]   # (quadratic curves become cubic ones)
CAPS = {"butt": 0, "round": 1, "projecting": 2}
JOINS = {"miter": 0, "round": 1, "bevel": 2}
ANCHORS = {"left": "start", "center": "middle", "right": "end"}
HATCH_TILE = 72   # points: hatching tiled as matplotlib's SVG and PDF backends tile it


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _rgb(colour) -> str:
    return " ".join(_num(c) for c in colour[:3])


def _visible(colour) -> bool:
    # (the charts use no partial transparency: a colour is drawn or is "none")
    return colour is not None and (len(colour) < 4 or colour[3] > 0)


class Measurer(RendererBase):
    """Measures text as RendererBase does (at 72 dpi), with each font property's font
    looked up once (matplotlib looks it up for every text, and again for its line height)
    and each text measured once per process (tick labels repeat from chart to chart)."""

    _fonts: dict = {}     # hash of a FontProperties -> its font
    _heights: dict = {}   # ... -> its line metrics
    _sizes: dict = {}     # (text, hash) -> its size

    def _font(self, prop):
        key = hash(prop)   # (FontProperties hash their family, size, weight...)
        if key not in self._fonts:
            self._fonts[key] = get_font(fontManager._find_fonts_by_props(prop))
        return self._fonts[key]

    def get_text_width_height_descent(self, s, prop, ismath):
        key = (s, hash(prop))
        if key not in self._sizes:
            font = self._font(prop)
            font.set_size(prop.get_size_in_points(), 72)
            font.set_text(s, 0.0, flags=LoadFlags.NO_HINTING)
            (width, height), descent = font.get_width_height(), font.get_descent()
            if len(self._sizes) > 50000:   # (a bound for a long `report watch`)
                self._sizes.clear()
            self._sizes[key] = width / 64, height / 64, descent / 64
        return self._sizes[key]

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of a text's font as Text._get_layout reads them
        from its tables when a renderer does not give them."""
        key = hash(prop)
        if key not in self._heights:
            font = self._font(prop)
            scale = prop.get_size_in_points() / font.get_sfnt_table("head")["unitsPerEm"]
            table = font.get_sfnt_table("OS/2")
            self._heights[key] = (None, None, None) if table is None else (
                table["sTypoAscender"] * scale, -table["sTypoDescender"] * scale, table["sTypoLineGap"] * scale)
        return self._heights[key]


class Recorder(Measurer):
    """Records what a figure draws as (operator strings, text tuples): `parts`."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.parts: list = []
        self._ops: list[str] = []
        self.calls: list[tuple] = []   # what was drawn, to draw it again at another size (replay)

    def flipy(self):
        return False

    def get_canvas_width_height(self):
        return self.width, self.height

    def _path(self, path, transform, clip: bool = False) -> str:
        box = (0.0, 0.0, self.width, self.height) if clip else None
        return _path.convert_to_string(path, transform, box, clip and path.should_simplify, None, 3,
                                       PATH_OPS, True).decode("ascii")

    def _clip(self, gc) -> list[str]:
        ops = []
        rect = gc.get_clip_rectangle()
        if rect is not None:
            ops.append(" ".join(map(_num, rect.bounds)) + " re W n")
        path, transform = gc.get_clip_path()
        if path is not None:
            ops.append(self._path(path, transform) + " W n")
        return ops

    def draw_path(self, gc, path, transform, rgbFace=None):
        self.calls.append((_copy(gc), path, transform.frozen(), rgbFace))
        hatch = gc.get_hatch_path()
        fill = _visible(rgbFace)
        stroke = gc.get_linewidth() > 0 and _visible(gc.get_rgb())
        if not (fill or stroke or hatch):
            return
        shape = self._path(path, transform, clip=not fill and hatch is None)
        ops = ["q", *self._clip(gc)]
        if fill:
            ops.append(f"{_rgb(rgbFace)} rg")
        if stroke:
            ops += _stroke_style(gc)
        if hatch is not None:   # the fill, the hatching's lines clipped to it, the outline
            ops += [f"{shape} f"] * fill + ["q", f"{shape} W n", *self._hatching(gc, path, transform), "Q"]
            ops += [f"{shape} S"] * stroke
        else:
            ops.append(f"{shape} {'B' if fill and stroke else 'f' if fill else 'S'}")
        self._ops += [*ops, "Q"]

    def _hatching(self, gc, path, transform) -> list[str]:
        """The hatch pattern's lines on the tiles that cover the shape; the tiles start at
        the figure's top left corner, as in matplotlib's SVG."""
        colour, size = gc.get_hatch_color(), HATCH_TILE
        lines = self._path(gc.get_hatch_path(), Affine2D().scale(size))
        box = path.get_extents(transform)
        top = self.height % size
        ops = [f"{_rgb(colour)} RG {_rgb(colour)} rg {_num(gc.get_hatch_linewidth())} w 0 J 0 j"]
        for i in range(math.floor(box.x0 / size), math.ceil(box.x1 / size)):
            for j in range(math.floor((box.y0 - top) / size), math.ceil((box.y1 - top) / size)):
                ops.append(f"q 1 0 0 1 {_num(i * size)} {_num(top + j * size)} cm {lines} B Q")
        return ops

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """As matplotlib's SVG places text as text: a single line unrotated (or rotated
        about its anchor) at its anchor and aligned on it, other lines from their start."""
        self.calls.append((_copy(gc), x, y, s, prop.copy(), angle))
        anchor = "start"
        if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
            up = (-math.sin(math.radians(angle)), math.cos(math.radians(angle)))
            offset = up[0] * (x - ax) + up[1] * (y - ay)   # the anchor moved onto the baseline
            x, y, anchor = ax + offset * up[0], ay + offset * up[1], ANCHORS[mtext.get_ha()]
        self._ops += ["q", *self._clip(gc), f"{_rgb(gc.get_rgb())} rg"]
        if angle:
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            self._ops.append(" ".join(map(_num, (cos, sin, -sin, cos, x, y))) + " cm")
            x = y = 0.0
        self._flush()
        self.parts.append(("text", round(x, 3), round(y, 3), anchor, prop.get_size_in_points(), s))
        self._ops.append("Q")

    def _flush(self) -> None:
        if self._ops:
            self.parts.append("\n".join(self._ops) + "\n")
            self._ops = []

    def finish(self) -> tuple:
        self._flush()
        return tuple(self.parts)


def replay(recorder: Recorder, renderer, scale: float) -> None:
    """Draw what `recorder` recorded again onto `renderer` (matplotlib's Agg at another dpi),
    `scale` times the size: the figure is not laid out nor drawn a second time."""
    zoom = Affine2D().scale(scale)
    for gc, *call in recorder.calls:
        again = renderer.new_gc()
        again.copy_properties(gc)
        if gc.get_clip_rectangle() is not None:
            again.set_clip_rectangle(TransformedBbox(gc.get_clip_rectangle(), zoom))
        path, transform = gc.get_clip_path()
        if path is not None:
            again.set_clip_path(TransformedPath(path, transform + zoom))
        if len(call) == 3:
            path, transform, face = call
            renderer.draw_path(again, path, transform + zoom, face)
        else:   # a text: Agg's y goes downwards
            x, y, text, prop, angle = call
            renderer.draw_text(again, x * scale, renderer.height - y * scale, text, prop, angle)


def _copy(gc) -> GraphicsContextBase:
    copy = GraphicsContextBase()
    copy.copy_properties(gc)
    return copy


def _stroke_style(gc) -> list[str]:
    ops = [f"{_rgb(gc.get_rgb())} RG"]
    if gc.get_linewidth() != 1:
        ops.append(f"{_num(gc.get_linewidth())} w")
    if CAPS[gc.get_capstyle()]:
        ops.append(f"{CAPS[gc.get_capstyle()]} J")
    if JOINS[gc.get_joinstyle()]:
        ops.append(f"{JOINS[gc.get_joinstyle()]} j")
    offset, dashes = gc.get_dashes()
    if dashes is not None:
        ops.append(f"[{' '.join(map(_num, dashes))}] {_num(offset or 0)} d")
    return ops


class Canvas(FigureCanvasBase):
    """A figure's canvas whose renderer is a Recorder: the layout (tight_layout) measures
    the texts with the renderer that then draws them, and so measures each once."""

    def __init__(self, figure):
        super().__init__(figure)
        self.recorder = Recorder(*(figure.get_size_inches() * 72))

    def get_renderer(self):
        return self.recorder


def pdf_drawing(figure) -> tuple[float, float, tuple]:
    """(width, height, parts) of a figure at 72 dpi whose canvas is a Canvas: parts are
    operator strings and text tuples in drawing order."""
    recorder = figure.canvas.get_renderer()
    figure.draw(recorder)
    return recorder.width, recorder.height, recorder.finish()
