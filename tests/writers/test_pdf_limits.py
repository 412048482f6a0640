"""Layout never fails on size: tall rows split, too-wide tables are refused clearly,
tall figures are scaled to the page."""
import dataclasses
import subprocess

import pytest

from builder.errors import ReportError
from builder.model import ChartSpec, Table
from builder.writers.pdf import write as write_pdf
from tests.reading import context
from tests.sample_model import sample_report


def render(report, tmp_path, font_cache):
    pdf = tmp_path / "r.pdf"
    pages = write_pdf(report, pdf, context(tmp_path, font_cache))
    return pdf, pages


def test_row_taller_than_a_page_splits(tmp_path, font_cache):
    report = sample_report(tmp_path, "en")
    text = " ".join(f"word{i}" for i in range(3000))
    report.chapters[0].blocks.append(Table("Table 1-2", "Tall", ["A", "B"], [[text, "1"]], ["left", "right"],
                                           "Source: x.", "en"))
    pdf, pages = render(report, tmp_path, font_cache)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "word0" in out and "word2999" in out and pages > 6


def test_table_wider_than_the_page_is_refused(tmp_path, font_cache):
    report = sample_report(tmp_path, "en")
    header = [f"Column{i}" for i in range(25)]
    report.chapters[0].blocks.append(Table("Table 1-2", "Wide", header, [[f"value{i}" * 3 for i in range(25)]],
                                           ["left"] * 25, "Source: x.", "en"))
    with pytest.raises(ReportError, match=r"^Table 1-2 is too wide for the page: its 25 columns need \d+ mm"):
        render(report, tmp_path, font_cache)


def test_tall_figure_is_scaled_to_the_page(tmp_path, font_cache):
    report = sample_report(tmp_path, "en")
    figure = report.chapters[0].blocks[3]
    # 90 bars: about five times taller than wide, taller than the text block
    figure.chart = ChartSpec("barh", [f"c{i}" for i in range(90)], [("2019", [float(i) for i in range(90)])],
                             "", "{:.0f}", "en")
    pdf, _ = render(report, tmp_path, font_cache)
    assert "Figure 1-1" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_a_chapter_ending_with_figures_in_a_row_places_them_all_in_order(tmp_path, font_cache):
    """The first ones wait for the next page while the last is tried here: once they are
    placed before it there, it must not count as having failed an empty page."""
    report = sample_report(tmp_path, "en")
    blocks = report.chapters[0].blocks
    figure = blocks[3]
    blocks += [dataclasses.replace(figure, label=f"Figure 1-{n}", anchor=f"fig-1-{n}") for n in (7, 8, 9)]
    pdf, _ = render(report, tmp_path, font_cache)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert [text.index(f"Figure 1-{n}") for n in (1, 7, 8, 9)] == sorted(text.index(f"Figure 1-{n}") for n in (1, 7, 8, 9))


def test_a_figure_taller_than_a_page_with_its_note_is_named_by_its_label(tmp_path, font_cache):
    report = sample_report(tmp_path, "en")
    figure = report.chapters[0].blocks[3]
    report.chapters[0].blocks[3] = dataclasses.replace(figure, note="Note: " + "a long note " * 900)
    with pytest.raises(ReportError, match=r": Figure 1-1 with its caption, note and source is taller than a page: shorten its note$"):
        render(report, tmp_path, font_cache)
