"""Draws charts with matplotlib, each figure laid out once and drawn once: straight into
PDF operators with its texts apart for the PDF (media.vector; the PDF sets those texts
in its own embedded fonts, so they can be searched and selected), and, when a DOCX asks
for it, what that drawing recorded drawn again as a 200 dpi PNG. Results are cached by
their exact input, so a chart whose data and definition did not change is never drawn
again.

Every chart is drawn at the size it is printed (one size per kind of chart, `print_size`),
so its text sizes are those printed: at least MIN_TEXT_PT.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

from builder.cache import cache_key
from builder.context import BuildContext
from builder.errors import ReportError
from builder.model import ChartSpec
from builder.timing import timed

MM = 72 / 25.4          # points per millimetre
WIDE_MM = 136           # bars, lines and comparisons: 0.85 of an A4 page's text width
PIE_MM = (110, 66)      # a pie and its labels
MIN_TEXT_PT = 8         # the smallest chart text, as printed (value labels, legends)
TEXT_PT = 9             # axis and tick labels
DPI = 200
PALETTE = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#4bacc6",
           "#7f7f7f", "#2c7f5f", "#b65f9e"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++", "**", "||"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
DASHES = ["-", "--", ":", "-."]
CLOSING = set("，。、；：！？）》」』】”’%％")   # a line does not start with these
OPENING = set("（《「『【“‘")                      # nor end with these
LINE_GREYS = ["#000000", "#555555", "#888888"]   # lines stay visible on white paper
RC = {"font.size": TEXT_PT, "legend.fontsize": MIN_TEXT_PT, "axes.spines.top": False,
      "axes.spines.right": False, "svg.fonttype": "none", "svg.hashsalt": "report",
      "axes.unicode_minus": False, "text.parse_math": False,   # "$" is text
      "text.hinting": "no_hinting"}   # a third faster to lay out, and the same at 200 dpi


def print_size(spec: ChartSpec) -> tuple[float, float]:
    """(width, height) in points at which the chart is printed: one width per kind."""
    if spec.kind == "pie":
        return PIE_MM[0] * MM, PIE_MM[1] * MM
    if spec.kind == "barh":
        return WIDE_MM * MM, max(50, 6.5 * len(spec.categories) * len(spec.series) ** 0.5 + 22) * MM
    return WIDE_MM * MM, 72 * MM


def chart_texts(spec: ChartSpec) -> list[str]:
    """Every text the chart may print (its ticks print digits, ".", "-" and "e")."""
    values = [spec.value_format.format(v) for _, series in spec.series for v in series if not math.isnan(v)]
    labels = [label for row in spec.value_labels or [] for label in row]
    return [*spec.categories, *(name for name, _ in spec.series), spec.axis_label, spec.category_label,
            *values, *labels, "0123456789.,-+e%"]


def _text_width(text: str) -> float:
    """How wide a tick label prints, in points: CJK a full em, the rest as in Times (whose
    widths Liberation Serif, the default Latin face, shares)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return wide * TEXT_PT + stringWidth("".join(c for c in text if unicodedata.east_asian_width(c) not in "WF"),
                                        "Times-Roman", TEXT_PT)


def _tick_labels(spec: ChartSpec) -> tuple[list[str], bool]:
    """The category labels under the bars, each line of them (a bilingual label has two)
    on up to three within its share of the width; (the labels as they are, True) to turn
    them where that is not enough."""
    room = 0.9 * print_size(spec)[0] * 0.85 / len(spec.categories)
    wrapped = [[line for part in label.split("\n") for line in _wrap(part, room)] for label in spec.categories]
    if all(len(lines) <= 3 + label.count("\n") and max(map(_text_width, lines)) <= room
           for label, lines in zip(spec.categories, wrapped)):
        return ["\n".join(lines) for lines in wrapped], False
    return spec.categories, True


def _wrap(text: str, room: float) -> list[str]:
    """Lines of `text` about `room` points wide: broken between words, or between CJK
    characters (not before closing punctuation nor after opening)."""
    tokens: list[str] = []
    for token in re.findall(r"[^\s\u2e80-\uffef]+\s*|\S\s*", text):   # a word, or one CJK character
        if tokens and (token[0] in CLOSING or tokens[-1][-1] in OPENING):
            tokens[-1] += token
        else:
            tokens.append(token)
    lines = [""]
    for token in tokens:
        if lines[-1] and _text_width((lines[-1] + token).rstrip()) > room:
            lines.append("")
        lines[-1] += token
    return [line.rstrip() for line in lines]


# What each format prints of a chart, kept in the cache as a file of this suffix: the PDF
# its operators and texts (media.vector, as JSON), the DOCX a PNG at DPI.
FORMS = {"pdf": ".json", "docx": ".png"}


def chart_files(spec: ChartSpec, ctx: BuildContext) -> dict[str, Path]:
    """format -> where the chart is kept in the cache for it, drawn or not. The print
    options' grayscale and the chart fonts are part of its identity."""
    key = cache_key(spec, ctx.options.grayscale, ctx.fonts.chart_family)
    folder = ctx.cache.file("charts", "")
    if folder is None:
        raise ReportError("charts need a cache folder to be drawn into")
    return {fmt: folder / f"{key}{suffix}" for fmt, suffix in FORMS.items()}


def is_drawn(spec: ChartSpec, ctx: BuildContext, formats=tuple(FORMS)) -> bool:
    files = chart_files(spec, ctx)
    return all(ctx.cache.verified(files[fmt]) for fmt in formats)


def vector(spec: ChartSpec, ctx: BuildContext) -> tuple[float, float, tuple]:
    """(width, height, parts) of the chart as the PDF draws it (see media.vector), drawn
    first if not in the cache."""
    found = json.loads(draw(spec, ctx, ["pdf"])["pdf"].read_bytes())
    parts = tuple(part if isinstance(part, str) else tuple(part) for part in found["parts"])
    return float(found["width"]), float(found["height"]), parts


def image(spec: ChartSpec, ctx: BuildContext) -> Path:
    """The chart as a PNG at DPI (for the DOCX), drawn first if not in the cache."""
    return draw(spec, ctx, ["docx"])["docx"]


def draw(spec: ChartSpec, ctx: BuildContext, formats=tuple(FORMS)) -> dict[str, Path]:
    """Draw the chart into the cache for `formats` (those not there yet: all from one
    figure, laid out once); a build task. Returns chart_files."""
    files = chart_files(spec, ctx)
    todo = [fmt for fmt in formats if not ctx.cache.verified(files[fmt])]
    if not todo:
        return files
    with timed("charts: drawing (matplotlib)"), _style(ctx):
        fig = _figure(spec, ctx)
        from builder.media.vector import pdf_drawing
        width, height, parts = pdf_drawing(fig)
        if "pdf" in todo:   # as JSON: a format that runs nothing when read back
            ctx.cache.keep(files["pdf"], json.dumps({"width": width, "height": height, "parts": parts},
                                                    ensure_ascii=False, separators=(",", ":")).encode())
    if "docx" in todo:
        with timed("charts: PNG for the DOCX (matplotlib)"), _style(ctx):
            ctx.cache.keep(files["docx"], lambda tmp: _save_png(fig, tmp))
    return files


def _style(ctx: BuildContext):
    """The charts' matplotlib settings, while a chart is made and drawn."""
    import matplotlib
    matplotlib.use("Agg")
    from builder.fonts import register_chart_fonts
    register_chart_fonts()   # matplotlib is imported only here, when a chart is drawn
    return matplotlib.rc_context({**RC, "font.family": list(ctx.fonts.chart_family)})


def _figure(spec: ChartSpec, ctx: BuildContext):
    """The chart as a matplotlib Figure at 72 dpi, laid out (tight_layout) with the
    renderer that draws it for the PDF (media.vector.Canvas)."""
    from matplotlib.figure import Figure   # no pyplot: no figure manager, nothing to close

    from builder.media.vector import Canvas
    width, height = print_size(spec)
    fig = Figure(figsize=(width / 72, height / 72), dpi=72)
    Canvas(fig)
    _draw(fig.add_subplot(), spec, ctx.options.grayscale)
    fig.tight_layout(pad=0.6)
    return fig


def _save_png(fig, path: Path) -> None:
    """The chart at DPI as a PNG, drawn again from what its PDF drawing recorded."""
    from matplotlib.backends.backend_agg import RendererAgg

    from builder.media.vector import replay
    width, height = fig.get_size_inches() * DPI
    renderer = RendererAgg(int(width), int(height), DPI)
    replay(fig.canvas.get_renderer(), renderer, DPI / 72)
    path.write_bytes(_png(renderer.buffer_rgba(), renderer.width, renderer.height))


def _png(rgba, width: int, height: int) -> bytes:
    """RGB pixels as a PNG (a chart on white needs no alpha), compressed at zlib's level 3:
    a few percent larger than the default level, in about half the time."""
    import io

    from PIL import Image
    out = io.BytesIO()
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    image.save(out, format="png", dpi=(DPI, DPI), compress_level=3)
    return out.getvalue()


def _colours(n: int, grayscale: bool) -> list[dict]:
    if grayscale:
        greys = ["#7a7a7a", "#c8c8c8", "#a0a0a0", "#e6e6e6", "#5a5a5a"]   # black labels stay legible
        return [{"color": greys[i % len(greys)], "hatch": HATCHES[i % len(HATCHES)],
                 "edgecolor": "black"} for i in range(n)]
    return [{"color": PALETTE[i % len(PALETTE)]} for i in range(n)]


def _draw(ax, spec: ChartSpec, grayscale: bool) -> None:
    if spec.kind == "pie":
        _draw_pie(ax, spec, grayscale)
    elif spec.kind == "years":
        _draw_years(ax, spec, grayscale)
    else:
        _draw_bars(ax, spec, grayscale)


def _draw_pie(ax, spec: ChartSpec, grayscale: bool) -> None:
    _, values = spec.series[0]
    styles = _colours(len(values), grayscale)
    wedges, _, *shares = ax.pie(
        values, labels=spec.categories, autopct=(lambda p: spec.value_format.format(p)) if spec.labelled else None,
        startangle=90, counterclock=False, colors=[s["color"] for s in styles],
        wedgeprops={"linewidth": 0.8, "edgecolor": "white" if not grayscale else "black"},
        textprops={"fontsize": TEXT_PT})
    for wedge, style in zip(wedges, styles):
        wedge.set_hatch(style.get("hatch", ""))
    for share in shares[0] if shares and grayscale else []:   # legible over hatching
        share.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.axis("equal")


def _draw_years(ax, spec: ChartSpec, grayscale: bool) -> None:
    """Lines over the years; a year without a value (NaN) is a gap, not joined over."""
    for i, (name, values) in enumerate(spec.series):   # each its own marker and dashes
        colour = LINE_GREYS[i % len(LINE_GREYS)] if grayscale else PALETTE[i % len(PALETTE)]
        ax.plot(spec.categories, values, marker=MARKERS[i % len(MARKERS)],
                linestyle=DASHES[i % len(DASHES)], color=colour, label=name)
        for x, v in zip(spec.categories, values):
            if spec.labelled and not math.isnan(v):
                ax.annotate(spec.value_format.format(v), (x, v), textcoords="offset points", xytext=(0, 5),
                            ha="center", fontsize=MIN_TEXT_PT)
    ax.set_ylabel(spec.axis_label)
    ax.set_xlabel(spec.category_label)
    ax.margins(y=0.2)
    if len(spec.series) > 1:
        ax.legend(frameon=False)


def _draw_bars(ax, spec: ChartSpec, grayscale: bool) -> None:
    n_series = len(spec.series)
    width = 0.8 / n_series
    positions = range(len(spec.categories))
    styles = _colours(n_series, grayscale)
    for i, (name, values) in enumerate(spec.series):
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        draw = ax.barh if spec.kind == "barh" else ax.bar
        bars = draw(offsets, values, width * 0.9, label=name, **styles[i])
        if spec.labelled:
            labels = spec.value_labels[i] if spec.value_labels else [spec.value_format.format(v) for v in values]
            ax.bar_label(bars, labels=labels, padding=2, fontsize=MIN_TEXT_PT)
    if spec.kind == "barh":
        ax.set_yticks(list(positions), spec.categories)
        ax.invert_yaxis()
        ax.set_xlabel(spec.axis_label)
        ax.set_ylabel(spec.category_label)
        ax.margins(x=0.15)
    else:
        labels, rotate = _tick_labels(spec)
        ax.set_xticks(list(positions), labels, rotation=30 if rotate else 0, ha="right" if rotate else "center")
        ax.set_ylabel(spec.axis_label)
        ax.set_xlabel(spec.category_label)
        ax.margins(y=0.15)
    if n_series > 1:
        ax.legend(frameon=False)
