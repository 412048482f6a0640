"""Layout never fails on size: tall rows split, too-wide tables are refused clearly,
tall figures are scaled to the page."""
import subprocess

import pytest

from builder.context import BuildContext
from builder.errors import ReportError
from builder.model import Table
from builder.writers.pdf import write as write_pdf
from tests.sample_model import sample_report


def render(report, tmp_path):
    pdf = tmp_path / "r.pdf"
    pages = write_pdf(report, pdf, BuildContext.for_folder(tmp_path))
    return pdf, pages


def test_row_taller_than_a_page_splits(tmp_path):
    report = sample_report(tmp_path, "en")
    text = " ".join(f"word{i}" for i in range(3000))
    report.chapters[0].blocks.append(Table("Table 1-2", "Tall", ["A", "B"], [[text, "1"]], ["left", "right"],
                                           "Source: x.", "en"))
    pdf, pages = render(report, tmp_path)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "word0" in out and "word2999" in out and pages > 6


def test_table_wider_than_the_page_is_refused(tmp_path):
    report = sample_report(tmp_path, "en")
    header = [f"Column{i}" for i in range(25)]
    report.chapters[0].blocks.append(Table("Table 1-2", "Wide", header, [[f"value{i}" * 3 for i in range(25)]],
                                           ["left"] * 25, "Source: x.", "en"))
    with pytest.raises(ReportError, match=r"^Table 1-2 is too wide for the page: its 25 columns need \d+ mm"):
        render(report, tmp_path)


def test_tall_figure_is_scaled_to_the_page(tmp_path):
    report = sample_report(tmp_path, "en")
    figure = report.chapters[0].blocks[3]
    figure.aspect = 5.0   # five times taller than wide: taller than the text block
    pdf, _ = render(report, tmp_path)
    assert "Figure 1-1" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
