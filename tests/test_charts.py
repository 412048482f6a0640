"""Chart text in the PDF: real text in the PDF's embedded fonts (found by pdftotext, in
the chart's language), at least 8 pt as printed, each kind of chart at one width."""
import math
import re
import subprocess

import pytest
from pypdf import PdfReader

from builder.media.charts import DPI, MIN_TEXT_PT, chart_texts, draw, image, is_drawn, print_size, vector
from builder.model import ChartSpec, Figure, PrintOptions
from tests.reading import context, read_edition

LANGS = {"zh": "en", "en": "zh"}   # a language and the other


def figures_of(root) -> dict[str, list[Figure]]:
    return {lang: [b for ch in read_edition(root, lang).chapters for b in ch.blocks if isinstance(b, Figure)]
            for lang in LANGS}


@pytest.fixture(scope="module")
def mini(make_project):
    """A copy of the mini root with the session build's charts, and its two editions' figures."""
    root = make_project("mini", warm=True)
    return root, figures_of(root)


# (marked: tests that need the real report's build run last, see conftest)
@pytest.fixture(scope="module", params=["mini", pytest.param("default", marks=pytest.mark.default_report)])
def built(request, make_project):
    """(the session build's outputs, the two editions' figures) of the mini root and of
    the repository's own report."""
    built = request.getfixturevalue(f"{request.param}_report")
    return built.output, figures_of(make_project(request.param, warm=True))


def labels(chart: ChartSpec) -> list[str]:
    """What the chart prints in words: categories, axis titles, legend, value labels."""
    legend = [name for name, _ in chart.series] if len(chart.series) > 1 else []
    if chart.value_labels:
        values = [label for row in chart.value_labels for label in row]
    elif chart.kind == "pie":   # its wedges print their share of the whole
        values = []
    else:
        values = [chart.value_format.format(v) for _, series in chart.series for v in series if not math.isnan(v)]
    return [t for t in [*chart.categories, chart.axis_label, chart.category_label, *legend,
                        *(values if chart.labelled else [])] if t]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    return squash(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def test_pdftotext_finds_every_chart_label_in_its_language(built):
    output, figures = built
    texts = {edition: pdf_text(output / f"report-2019-{edition}.pdf")
             for edition in ("zh", "en", "bilingual")}
    for lang, other in LANGS.items():
        words = [squash(t) for f in figures[lang] for t in labels(f.chart) if not t.isdigit()]
        assert len(words) >= 8, words
        for word in words:
            assert word in texts[lang] and word in texts["bilingual"], (lang, word)
        mine = {squash(t) for f in figures[lang] for t in [f.chart.axis_label, f.chart.category_label] if t}
        theirs = {squash(t) for f in figures[other] for t in [f.chart.axis_label, f.chart.category_label] if t}
        for word in mine - theirs:
            assert word not in texts[other], (word, other)


def shown(path, figures: list[Figure]) -> list[tuple[list[tuple[str, float]], dict[str, list[int]]]]:
    """Per page that prints a figure's label (pdftotext is quick to tell), each text shown
    and its size as printed (font size times the scale of the text and graphics matrices),
    and where the shows beginning with each character are."""
    labels = {squash(figure.label) for figure in figures}
    plain = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    reader, pages = PdfReader(path), []
    for n in [n for n, page in enumerate(plain.split("\f")) if any(label in squash(page) for label in labels)]:
        page = reader.pages[n]
        shows = []

        def visit(text, cm, tm, font, size):
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            if squash(text):
                shows.append((squash(text), size * math.sqrt(abs(a * d - b * c))))
        page.extract_text(visitor_text=visit)
        starts: dict[str, list[int]] = {}
        for i, (piece, _) in enumerate(shows):
            starts.setdefault(piece[0], []).append(i)
        pages.append((shows, starts))
    return pages


def printed_sizes(pages, word: str) -> list[float]:
    """The sizes of every run of shows that spells `word` exactly."""
    found = []
    for shows, starts in pages:
        for i in starts.get(word[0], ()):   # a run begins with the word's first character
            text, sizes = "", []
            for piece, size in shows[i:]:
                text += piece
                sizes.append(size)
                if not word.startswith(text) or text == word:
                    break
            if text == word:
                found += sizes
    return found


def test_chart_text_is_at_least_8_pt_as_printed(built):
    output, figures = built
    for lang in LANGS:
        pages = shown(output / f"report-2019-{lang}.pdf", figures[lang])
        for figure in figures[lang]:
            # (not a number of one or two digits: a footnote's mark spells it too)
            for word in [w for w in map(squash, labels(figure.chart)) if not (w.isdigit() and len(w) < 3)]:
                sizes = printed_sizes(pages, word)
                assert sizes, (lang, word)   # drawn as text, not as outlines
                assert min(sizes) >= MIN_TEXT_PT - 0.01, (lang, word, sizes)


def test_every_chart_text_is_drawn_at_least_8_pt(mini):
    """Ticks included: every text of every chart, at the scale 1 the A4 page places it at."""
    root, figures = mini
    ctx = context(root)
    for figure in figures["zh"] + figures["en"]:
        width, height, parts = vector(figure.chart, ctx)
        assert (width, height) == pytest.approx(print_size(figure.chart), abs=0.01)
        sizes = [part[4] for part in parts if not isinstance(part, str)]
        assert sizes and min(sizes) >= MIN_TEXT_PT
        assert not any(isinstance(part, str) and (" Tj" in part or "/" in part) for part in parts)   # no text
        # as operators, no resource (a pattern, an image) named


def test_one_width_per_kind_of_chart():
    def spec(kind, n):
        return ChartSpec(kind, [f"c{i}" for i in range(n)], [("2019", [1.0] * n)], "", "{:.0f}", "en")
    widths = {kind: {print_size(spec(kind, n))[0] for n in (2, 5, 9)} for kind in ("bar", "barh", "years", "pie")}
    assert all(len(w) == 1 for w in widths.values()), widths
    assert widths["bar"] == widths["barh"] == widths["years"]
    assert set(chart_texts(spec("bar", 2))) >= {"c0", "c1", "1"}


def test_grayscale_hatching_reaches_the_pdf(tmp_path):
    """A hatched bar is its grey, the hatching's lines clipped to it, its outline: no
    pattern (a resource the chart's operators cannot name)."""
    def operators(grayscale):
        ctx = context(tmp_path, options=PrintOptions(grayscale=grayscale))
        spec = ChartSpec("bar", ["A", "B"], [("2018", [1.0, 2.0]), ("2019", [2.0, 3.0])], "axis", "{:.1f}", "en")
        return "".join(p for p in vector(spec, ctx)[2] if isinstance(p, str))
    grey, colour = operators(True), operators(False)
    assert "0.784 0.784 0.784 rg" in grey   # the second series' grey, under its hatching
    assert grey.count(" l") > colour.count(" l") + 50   # the hatching's lines


def test_the_png_is_drawn_when_a_docx_asks_for_it(tmp_path):
    """The PDF's drawing alone for a PDF; the PNG (at DPI, drawn again from that drawing)
    once the DOCX asks for it."""
    from PIL import Image
    ctx = context(tmp_path)
    spec = ChartSpec("bar", ["A", "B"], [("2019", [1.0, 2.0])], "axis", "{:.1f}", "en")
    files = draw(spec, ctx, ["pdf"])
    assert is_drawn(spec, ctx, ["pdf"]) and not files["docx"].exists() and not is_drawn(spec, ctx)
    assert image(spec, ctx) == files["docx"] and is_drawn(spec, ctx)
    with Image.open(files["docx"]) as png:
        width, height = print_size(spec)
        assert png.size == (int(width / 72 * DPI), int(height / 72 * DPI)) and png.mode == "RGB"
        assert png.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
        assert png.getpixel((0, 0)) == (255, 255, 255) and len(png.getcolors(1 << 16)) > 10
