"""Draws charts with matplotlib: SVG with text as outlines for the PDF (vector, no font
needed) and a 200 dpi PNG for the DOCX. Results are cached by their exact input, so a
chart whose data and definition did not change is never drawn again.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = ("bar", "barh", "pie", "compare", "years")
WIDTH_IN = 6.4
DPI = 200
STYLE_VERSION = 4          # bump when the look changes, to invalidate cached charts
PALETTE = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#4bacc6",
           "#7f7f7f", "#2c7f5f", "#b65f9e"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++", "**", "||"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
DASHES = ["-", "--", ":", "-."]
LINE_GREYS = ["#000000", "#555555", "#888888"]   # lines stay visible on white paper


@dataclass(frozen=True)
class ChartSpec:
    kind: str                   # one of KINDS
    categories: list[str]       # x labels (bar, barh, compare, pie) or years (years)
    series: list[tuple[str, list[float]]]   # (legend name, values per category)
    axis_label: str
    value_format: str           # python format for value labels, e.g. "{:.1f}%"
    lang: str
    # For black-and-white printers: series told apart by hatching, markers and dashes.
    # (Before value_labels: figures.py passes it positionally.)
    grayscale: bool = False
    value_labels: list[list[str]] | None = None   # per series, as the data writes them

    def __post_init__(self):
        if not isinstance(self.grayscale, bool):
            raise TypeError("ChartSpec.grayscale must be a bool")


def chart_height(spec: ChartSpec) -> float:
    if spec.kind == "barh":
        return max(2.4, 0.38 * len(spec.categories) + 0.8)
    if spec.kind == "pie":
        return 3.6
    return 3.4


def chart_files(spec: ChartSpec, cache_dir: Path, font_family: list[str]) -> tuple[Path, Path, float]:
    """(svg, png, height/width) where the chart is cached, drawn or not."""
    key = hashlib.sha256(json.dumps([asdict(spec), font_family, STYLE_VERSION],
                                    ensure_ascii=False).encode()).hexdigest()[:20]
    return cache_dir / f"{key}.svg", cache_dir / f"{key}.png", chart_height(spec) / WIDTH_IN


def is_cached(spec: ChartSpec, cache_dir: Path, font_family: list[str]) -> bool:
    svg, png, _ = chart_files(spec, cache_dir, font_family)
    return svg.exists() and png.exists()


def render_chart(spec: ChartSpec, cache_dir: Path, font_family: list[str]) -> tuple[Path, Path, float]:
    """Return (svg, png, height/width), drawing only if not cached."""
    svg, png, aspect = chart_files(spec, cache_dir, font_family)
    if svg.exists() and png.exists():
        return svg, png, aspect
    cache_dir.mkdir(parents=True, exist_ok=True)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from builder.fonts import register_chart_fonts
    register_chart_fonts()   # matplotlib is imported only here, when a chart is drawn

    with matplotlib.rc_context({"font.family": font_family, "font.size": 9,
                                "axes.spines.top": False, "axes.spines.right": False,
                                "svg.fonttype": "path", "svg.hashsalt": "report",
                                "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, chart_height(spec)))
        _draw(ax, spec)
        fig.tight_layout()
        # Write under temporary names then rename: concurrent builds never see half a file.
        for path, kwargs in ((svg, {"format": "svg", "metadata": {"Date": None}}),
                             (png, {"format": "png", "dpi": DPI, "metadata": {"Software": None}})):
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fig.savefig(tmp, **kwargs)
            os.replace(tmp, path)
        plt.close(fig)
    return svg, png, aspect


def _colours(spec: ChartSpec, n: int) -> list[dict]:
    if spec.grayscale:
        greys = ["#7a7a7a", "#c8c8c8", "#a0a0a0", "#e6e6e6", "#5a5a5a"]   # black labels stay legible
        return [{"color": greys[i % len(greys)], "hatch": HATCHES[i % len(HATCHES)],
                 "edgecolor": "black"} for i in range(n)]
    return [{"color": PALETTE[i % len(PALETTE)]} for i in range(n)]


def _draw(ax, spec: ChartSpec) -> None:
    fmt = spec.value_format
    if spec.kind == "pie":
        _, values = spec.series[0]
        styles = _colours(spec, len(values))
        wedges, _texts, _autos = ax.pie(
            values, labels=spec.categories, autopct=lambda p: fmt.format(p), startangle=90,
            counterclock=False, colors=[s["color"] for s in styles],
            wedgeprops={"linewidth": 0.8, "edgecolor": "white" if not spec.grayscale else "black"},
            textprops={"fontsize": 8})
        for wedge, style in zip(wedges, styles):
            wedge.set_hatch(style.get("hatch", ""))
        ax.axis("equal")
        return
    if spec.kind == "years":
        # Every series has its own marker and dash pattern, in colour or not.
        for i, (name, values) in enumerate(spec.series):
            colour = LINE_GREYS[i % len(LINE_GREYS)] if spec.grayscale else PALETTE[i % len(PALETTE)]
            ax.plot(spec.categories, values, marker=MARKERS[i % len(MARKERS)],
                    linestyle=DASHES[i % len(DASHES)], color=colour, label=name)
            for x, v in zip(spec.categories, values):
                ax.annotate(fmt.format(v), (x, v), textcoords="offset points", xytext=(0, 5),
                            ha="center", fontsize=7)
        ax.set_ylabel(spec.axis_label)
        ax.margins(y=0.2)
        if len(spec.series) > 1:
            ax.legend(frameon=False, fontsize=8)
        return
    n_series = len(spec.series)
    width = 0.8 / n_series
    positions = range(len(spec.categories))
    styles = _colours(spec, n_series)
    for i, (name, values) in enumerate(spec.series):
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        draw = ax.barh if spec.kind == "barh" else ax.bar
        bars = draw(offsets, values, width * 0.9, label=name, **styles[i])
        labels = spec.value_labels[i] if spec.value_labels else [fmt.format(v) for v in values]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
    if spec.kind == "barh":
        ax.set_yticks(list(positions), spec.categories)
        ax.invert_yaxis()
        ax.set_xlabel(spec.axis_label)
        ax.margins(x=0.15)
    else:
        rotate = max(len(c) for c in spec.categories) > (4 if spec.lang == "zh" else 9)
        ax.set_xticks(list(positions), spec.categories, rotation=30 if rotate else 0,
                      ha="right" if rotate else "center")
        ax.set_ylabel(spec.axis_label)
        ax.margins(y=0.15)
    if n_series > 1:
        ax.legend(frameon=False, fontsize=8)
