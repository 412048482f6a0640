"""Builds the real report in every edition and format (once per session, on a copy: the
`default_report` fixture) and checks the files with the clients a reader would use:
pdffonts, pdftotext, qpdf, LibreOffice and python-docx."""
import functools
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from builder.model import Figure, Table
from tests.reading import context, read_edition

EDITIONS = ("zh", "en", "bilingual")
needs = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "qpdf", "soffice")),
                           reason="poppler-utils, qpdf and LibreOffice are installed by `make test`")


@pytest.fixture(scope="module")
def built(default_report):
    """(output folder, what `report build` printed) of the session's build of the real report."""
    return default_report.output, default_report.log


@pytest.fixture(scope="module")
def models(default_report, tmp_path_factory):
    """The real report's model per edition, read from the built copy (cache: a new folder)."""
    ctx = context(default_report.project, tmp_path_factory.mktemp("cache"))
    reports = {e: read_edition(default_report.project, e, ctx=ctx) for e in EDITIONS}
    return reports, reports["zh"].year


def squash(text: str) -> str:
    """pdftotext breaks lines and justification adds spaces: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@functools.cache   # each PDF is read by several tests
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def docx_text(path: Path) -> str:
    """All text of a DOCX including footnotes, headers and tables."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = "".join(z.read(n).decode("utf-8") for n in parts)
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def test_summary_lists_six_files(built):
    out, output = built
    names = sorted(p.name for p in out.iterdir())
    year = names[0].split("-")[1]
    assert names == sorted(f"report-{year}-{e}.{f}" for e in EDITIONS for f in ("pdf", "docx"))
    assert re.search(r"report-\d{4}-zh\.pdf  \d+ pages, \d+ (KB|MB)", output)


@needs
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_fonts_embedded_and_file_clean(built, edition):
    pdf = next(built[0].glob(f"*-{edition}.pdf"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    # The chapters are laid out apart and share their fonts: each subset is in the file once.
    names = [row.split()[0] for row in rows]
    assert len(names) == len(set(names)), fonts
    assert ("CJK" in fonts) == (edition != "en"), fonts   # no font the English text does not use
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0


@needs
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_heading_caption_and_bound_number_is_printed(built, models, edition):
    reports, year = models
    report = reports[edition]
    pdf = squash(pdf_text(next(built[0].glob(f"*-{edition}.pdf"))))
    docx = squash(docx_text(next(built[0].glob(f"*-{edition}.docx"))))
    for chapter in report.chapters:
        expected = [chapter.heading.full_text]
        expected += [f"{b.label}{b.caption}" for b in chapter.blocks if isinstance(b, (Figure, Table))]
        for text in expected:
            assert squash(text) in pdf, f"{edition} PDF lacks {text!r}"
            assert squash(text) in docx, f"{edition} DOCX lacks {text!r}"
    samples = {"zh": ["15298.06亿元", "797家", "14.80%"], "en": ["1.53trillionyuan", "797Chinese", "5,386"]}
    for lang in report.langs:
        for sample in samples[lang]:
            assert sample in pdf and sample in docx, (edition, sample)


@needs
@pytest.mark.parametrize("edition", EDITIONS)
def test_docx_opens_in_libreoffice_with_structure(built, edition, libreoffice):
    import docx

    path = next(built[0].glob(f"*-{edition}.docx"))
    document = docx.Document(str(path))
    tables = list(document.tables)
    for table in tables:   # and the tables in their cells (the bilingual edition's parallel layout)
        tables += [inner for row in table.rows for cell in row.cells for inner in cell.tables]
    cells = [p for t in tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    styles = [p.style.name for p in document.paragraphs + cells]
    assert styles.count("Heading 1") >= 2 and "Heading 2" in styles and "Caption" in styles
    assert len(tables) >= 2
    with zipfile.ZipFile(path) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert notes.count("<w:footnote ") >= 4 and "w:footnoteReference" in body
    # Converted with the other editions as soon as they were built; the PDF must exist
    # (asserted by the fixture).
    converted = libreoffice({f"default-{p.stem}": p for p in built[0].glob("*.docx")})
    text = squash(pdf_text(converted[f"default-{path.stem}"]))
    if edition != "en":
        assert "前言和梗概" in text
    if edition != "zh":
        assert "IntroductionandSummary" in text


@needs
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_blank_pages(built, edition):
    """Without --duplex every page has content besides its page number."""
    pages = pdf_text(next(built[0].glob(f"*-{edition}.pdf"))).split("\f")[:-1]
    blank = [n for n, text in enumerate(pages, 1) if not re.sub(r"\s|^[ivxlc\d]+$", "", text.strip())]
    assert not blank, f"blank pages: {blank}"
