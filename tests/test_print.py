"""Chapter extracts and print options (issue: chapter extracts for print), on the mini
project, the sample model and, once, the real report."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from builder.build import build as run_build
from builder.cli import main
from builder.media.charts import vector
from builder.model import ChartSpec, PrintOptions
from tests.reading import context, read_edition

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def build(project, editions=(), formats=(), chapters=(), output=None, options=PrintOptions(), jobs=2,
          each_chapter=False):
    """`report build` on `project`, as the CLI calls it."""
    ctx = dataclasses.replace(context(project, options=options, jobs=jobs), output=output or project / "output")
    return run_build(ctx, editions, formats, chapters, each_chapter=each_chapter)


@pytest.fixture(scope="module")
def project(rebuilt_root):
    """The mini root, built (see conftest.rebuilt_root), for all tests of this module."""
    return rebuilt_root("mini")


def pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [re.sub(r"\s+", "", p) for p in out.split("\f")[:-1]]


def body_pages(pdf: Path) -> dict[str, str]:
    """Printed page number -> text, for the numbered (arabic) pages."""
    labels = PdfReader(pdf).page_labels
    return {label: text for label, text in zip(labels, pages_text(pdf)) if label.isdigit()}


def assert_extract_matches(full: Path, extract: Path) -> dict[str, str]:
    """Every numbered page of the extract is the page of the full report with that number."""
    whole, part = body_pages(full), body_pages(extract)
    assert part
    for label, text in part.items():
        assert text == whole[label], f"page {label} differs"
    return part


def outline_pages(pdf: Path) -> list[tuple[str, int, str]]:
    """(title, 1-based physical page, page label) of the top-level outline entries."""
    reader = PdfReader(pdf)
    return [(item.title, reader.get_destination_page_number(item) + 1,
             reader.page_labels[reader.get_destination_page_number(item)])
            for item in reader.outline if not isinstance(item, list)]


def test_extract_keeps_pages_figures_and_notes(project, tmp_path):
    full = build(project, ["zh"], ["pdf"], output=tmp_path / "full")[0].path
    ext = build(project, ["zh"], ["pdf"], ["2"], output=tmp_path / "ext")[0].path
    assert ext.name == "report-2019-zh-ch02.pdf"
    part = assert_extract_matches(full, ext)
    assert "图2-1" in "".join(part.values())
    one = build(project, ["en"], ["pdf"], ["alpha"], output=tmp_path / "one")[0].path
    full_en = build(project, ["en"], ["pdf"], output=tmp_path / "full")[0].path
    text = "".join(assert_extract_matches(full_en, one).values())
    assert "Figure1-1" in text and "Table1-1" in text
    assert re.search(r"yearbefore\.1They", text) and "1Enterprisesareselected" in text  # note 1, as in full
    first = pages_text(one)[0]   # title block: report, year, edition, chapter; its contents
    for words in ("ExtractfromthereportMiniReport2020", "I.Enterprises", "2019data·Englishedition",
                  "Contents", "1.1Numbers"):
        assert words in first
    assert "Universities" not in first and "Acknowledgement" not in "".join(pages_text(one))


def test_extract_has_only_its_own_bookmarks_and_no_dangling_links(project, tmp_path):
    pdf = build(project, ["bilingual"], ["pdf"], ["1"], output=tmp_path)[0].path
    reader = PdfReader(pdf)
    assert [t for t, _, _ in outline_pages(pdf)] == ["目录 / Contents", "一、企业 · I. Enterprises"]
    # reportlab writes link targets as explicit destinations: each must be a page of this file.
    pages = {page.indirect_reference.idnum for page in reader.pages}
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    links = [a for a in links if a.get("/Subtype") == "/Link"]
    assert len(links) >= 4   # the contents' entries
    for link in links:
        dest = link["/Dest"] if "/Dest" in link else link["/A"]["/D"]
        assert not isinstance(dest, str) and dest[0].idnum in pages, dest
    assert not any("beta" in n for n in reader.named_destinations)


def test_restart_pages(project, tmp_path):
    pdf = build(project, ["zh"], ["pdf"], ["2"], output=tmp_path,
                options=PrintOptions(restart_pages=True))[0].path
    assert PdfReader(pdf).page_labels[1] == "1"
    assert "页码与报告全文一致" not in pages_text(pdf)[0]


def test_duplex_starts_every_chapter_on_a_right_hand_page(project, tmp_path):
    options = PrintOptions(duplex=True)
    full = build(project, ["bilingual"], ["pdf"], output=tmp_path / "full", options=options)[0].path
    entries = outline_pages(full)
    chapters = [e for e in entries if e[2].isdigit()]
    assert [t for t, _, _ in chapters][:3] == ["一、企业 · I. Enterprises", "二、高校 · II. Universities",
                                              "结束语 · Conclusion"]   # the parallel layout
    for title, page, label in entries:
        assert page % 2 == 1, (title, page)
    for title, page, label in chapters:
        assert int(label) % 2 == 1, (title, label)
    texts = pages_text(full)
    assert any(t == "" for t in texts)   # blank left-hand pages: no header, no number
    ext = build(project, ["bilingual"], ["pdf"], ["2"], output=tmp_path / "ext", options=options)[0].path
    assert [(t, p % 2) for t, p, _ in outline_pages(ext)][1:] == [("二、高校 · II. Universities", 1)]
    assert_extract_matches(full, ext)


def chart_operators(spec: ChartSpec, ctx) -> str:
    return "".join(p for p in vector(spec, ctx)[2] if isinstance(p, str))


def hatched(operators: str) -> bool:
    """Whether a chart's operators draw hatching (its tiles: q 1 0 0 1 x y cm ...)."""
    return re.search(r"^q 1 0 0 1 \S+ \S+ cm ", operators, re.M) is not None


def test_grayscale_charts_differ_in_more_than_colour(tmp_path):
    grey = context(tmp_path, options=PrintOptions(grayscale=True))

    def drawn(kind, series, categories=("A", "B", "C"), ctx=grey):
        return chart_operators(ChartSpec(kind, list(categories), series, "axis", "{:.1f}", "en"), ctx)
    lines = drawn("years", [("a", [1, 2, 3]), ("b", [2, 3, 1]), ("c", [3, 1, 2])], ["2017", "2018", "2019"])
    assert len(set(re.findall(r"^\[([\d. ]+)\] \S+ d$", lines, re.M))) >= 2   # dash patterns
    shapes = {tuple(re.findall(r"(?:^| )([mlch])$", shape, re.M)) for shape in lines.split("Q\n")
              if shape.rstrip().endswith("B")}   # filled and outlined: the markers (and the ticks)
    assert len([s for s in shapes if len(s) > 2]) >= 3   # three marker shapes
    assert hatched(drawn("pie", [("2019", [50, 30, 20])]))
    assert hatched(drawn("bar", [("2018", [1, 2, 3]), ("2019", [2, 3, 4])]))
    assert not hatched(drawn("bar", [("x", [1.0])], ["A"], ctx=context(tmp_path)))


def test_grayscale_reaches_the_report_charts(project, tmp_path):
    grey = context(project, tmp_path, options=PrintOptions(grayscale=True))
    report = read_edition(project, "en", ctx=grey)
    figure = next(b for c in report.chapters for b in c.blocks if hasattr(b, "chart") and "Regions" in b.caption)
    operators = chart_operators(figure.chart, grey)
    assert not hatched(operators)   # one series: nothing to tell apart
    assert "0.478 0.478 0.478 rg" in operators and "0.122 0.306 0.475 rg" not in operators   # #7a7a7a, not #1f4e79


def test_letter_paper_margins_and_crop_marks(project, tmp_path):
    pdf = build(project, ["en"], ["pdf"], ["1"], output=tmp_path / "letter",
                options=PrintOptions(paper="Letter", margins=20))[0].path
    for page in PdfReader(pdf).pages:
        assert [float(v) for v in page.mediabox] == [0, 0, 612, 792]
    pdf = build(project, ["en"], ["pdf"], output=tmp_path / "crop", options=PrintOptions(crop_marks=True))[0].path
    for page in PdfReader(pdf).pages:
        media, trim, bleed = ([float(v) for v in box] for box in (page.mediabox, page.trimbox, page.bleedbox))
        assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
        assert trim[2] - trim[0] == pytest.approx(595.28, abs=0.01)
        assert bleed[0] == pytest.approx(trim[0] - 3 * 72 / 25.4, abs=0.01)


def test_each_chapter_in_parallel_equals_serial(project, tmp_path):
    args = dict(editions=["bilingual"], each_chapter=True)
    serial = build(project, output=tmp_path / "serial", jobs=1, **args)
    parallel = build(project, output=tmp_path / "parallel", jobs=2, **args)
    names = [w.path.name for w in parallel]
    assert names == [w.path.name for w in serial] == [
        f"report-2019-bilingual-ch0{n}.{f}" for n in (1, 2, 3) for f in ("pdf", "docx")]
    for a, b in zip(serial, parallel):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def _docx_xml(path: Path, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode()


def test_docx_extract_paper_pages_and_title_block(project, tmp_path):
    options = PrintOptions(paper="Letter", margins=20, duplex=True)
    docx = build(project, ["en"], ["docx"], ["2"], output=tmp_path, options=options)[0].path
    body = _docx_xml(docx)
    assert 'w:w="12240" w:h="15840"' in body                 # Letter, in twentieths of a point
    assert 'w:top="1134"' in body                           # 20 mm
    assert '<w:type w:val="oddPage"/>' in body
    pdf = build(project, ["en"], ["pdf"], output=tmp_path / "full", options=options)[0].path
    start = next(label for title, _, label in outline_pages(pdf) if title == "II. Universities")
    assert f'<w:pgNumType w:start="{start}"/>' in body
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert "Extract from the report" in text and "II. Universities" in text and "Acknowledgement" not in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_docx_footnotes_numbered_per_chapter_in_libreoffice(sample_pdfs):
    """Two chapters with notes 1 and 2 each: LibreOffice prints 1, 2, 1, 2, not 1-4."""
    text = subprocess.run(["pdftotext", "-layout", str(sample_pdfs["bilingual"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    notes = re.findall(r"^\s*(\d)\s*\n?\s*(数据中台|资料来源：中国|A data middle|Source: CAICT)", text, re.M)
    assert [n for n, _ in notes] == ["1", "2", "1", "2"], notes
    assert "14.80%。1（括号）「引号」。2" in text
    assert re.search(r"literal</b>2", text) and not re.search(r"literal</b>4", text)


def test_cli_print_options(project, tmp_path):
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "zh", "-f", "pdf", "-c", "1",
                                       "--paper", "letter", "--duplex", "--grayscale", "--crop-marks",
                                       "--margins", "20", "-o", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = PdfReader(tmp_path / "report-2019-zh-ch01.pdf").pages[0]
    assert float(page.trimbox[2]) - float(page.trimbox[0]) == pytest.approx(612)
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--margins", "5", "-o", str(tmp_path)])
    assert result.exit_code == 1 and result.output.strip().startswith("error: margins of 5 mm")


def test_real_report_chapter_8_extract_matches_full_report(default_report, make_project, tmp_path):
    project = make_project("default", warm=True)   # charts and fonts ready: only layout here
    # Both builds lay out in this process (jobs=1). Cache keys include code_version(), which
    # each process computes once: had pool workers (new processes) laid out the full report,
    # a builder/ file or an installed package changed on disk since this test process first
    # computed it (someone editing during a long session) would make every key of the
    # extract differ from the workers', and every chapter be laid out again.
    full = build(project, ["zh"], ["pdf"], output=tmp_path / "full", jobs=1)[0].path
    parts = set((project / ".cache" / "pdf-parts").iterdir())
    ext = build(project, ["zh"], ["pdf"], ["8"], output=tmp_path / "ext", jobs=1)[0].path
    # Only the title page and contents are laid out: the chapter is the full report's.
    assert len(set((project / ".cache" / "pdf-parts").iterdir()) - parts) == 1
    fonts = subprocess.run(["pdffonts", str(ext)], capture_output=True, text=True, check=True).stdout
    names = [row.split()[0] for row in fonts.splitlines()[2:]]
    assert len(names) == len(set(names)), fonts
    part = assert_extract_matches(full, ext)
    assert len(part) >= 3
    text = "".join(part.values())
    assert re.findall(r"图8-\d", text) and not re.findall(r"图[1-79]-\d", text)
    assert re.search(r"\D1这些高校", text)   # footnote 1 of chapter VIII, as in the full report
    assert outline_pages(ext)[1][0].startswith("八、")
