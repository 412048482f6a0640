"""Every DOCX of the real report as LibreOffice lays it out (the session's conversion, see
conftest.py), against the PDF of the same build: the page count within 5%, the pages
numbered i, ii... then 1 from chapter I, the contents printing the PDF's page numbers
(each heading found within a few pages of its number), and every heading and caption
there, with the PDF's numbers. Issue 15, points 1-3 and 9."""
from __future__ import annotations

import re
import subprocess

import docx
import pypdf
import pytest

from builder.model import EDITIONS

ENTRY = re.compile(r"^\s*(?P<title>\S.*?)\s*(?:\. ?){3,}\s*(?P<page>\d+)\s*$")   # "一、前言和梗概 ......... 1"
# On a contents page, a title that nearly fills the line keeps one dot of its leader
# ("...cooperation.29"), and a wrapped one may leave the leader alone on its last line.
CONTENTS_LINE = re.compile(r"^\s*(?P<title>.*?)\s*(?:(?:\. ?){3,}|\.(?=\d+\s*$))\s*(?P<page>\d+)\s*$")
SPACES = re.compile(r"\s+")
KEPT = ("Heading 1", "Heading 2", "Heading 3", "Front Heading", "Caption")


def squeeze(text: str) -> str:
    return SPACES.sub("", text)


def squeeze_words(text: str) -> str:
    """Without spaces and hyphens: a word LibreOffice hyphenated at a line end reads whole."""
    return squeeze(text).replace("-", "")


def pages_text(pdf) -> list[str]:
    """The text of each page (pdftotext -layout)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def columns_pages(pdf) -> list[str]:
    """Each page's text, then the text of its left and of its right half: the pairs of the
    bilingual book sit side by side, and lines across the page would interleave them."""
    width = int(float(pypdf.PdfReader(str(pdf)).pages[0].mediabox.width))
    crops = [[], ["-x", "0", "-y", "0", "-W", str(width // 2), "-H", "2000"],
             ["-x", str(width // 2), "-y", "0", "-W", str(width - width // 2), "-H", "2000"]]
    texts = [subprocess.run(["pdftotext", *crop, str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout.split("\f")[:-1] for crop in crops]
    return ["\n".join(page) for page in zip(*texts)]


def footer(page: str) -> str:
    """A page's number as printed: its last line."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.fixture(scope="module")
def rendered(default_report, libreoffice) -> dict[str, dict]:
    """edition -> the PDF, the DOCX and LibreOffice's PDF of the DOCX."""
    docs = {e: next(default_report.output.glob(f"report-*-{e}.docx")) for e in EDITIONS}
    pdfs = libreoffice({f"default-{path.stem}": path for path in docs.values()})
    return {e: {"pdf": docs[e].with_suffix(".pdf"), "docx": docs[e], "office": pdfs[f"default-{docs[e].stem}"]}
            for e in EDITIONS}


def all_paragraphs(doc) -> list:
    """The body's paragraphs, those in table cells (the bilingual book's pairs) in place."""
    out = []
    for element in doc.element.body.iter(docx.oxml.ns.qn("w:p")):
        out.append(docx.text.paragraph.Paragraph(element, doc))
    return out


def outline_pages(pdf) -> dict[str, str]:
    """Each bookmark of the PDF's outline -> the label of the page it points to."""
    reader = pypdf.PdfReader(str(pdf))
    labels, pages = reader.page_labels, {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[squeeze(item.title)] = labels[reader.get_destination_page_number(item)]
    walk(reader.outline)
    return pages


def contents_entries(pages: list[str]) -> tuple[list[tuple[str, int]], int]:
    """(title, page number) of each line of the contents, and the index of its last page."""
    entries, last, pending = [], 0, ""
    for i, page in enumerate(pages[:12]):
        if sum(1 for line in page.splitlines() if ENTRY.match(line)) < 3:
            continue   # not a contents page
        for line in page.splitlines():
            match = CONTENTS_LINE.match(line)
            if match:   # a title that wrapped: the line before is its start
                entries.append((pending + squeeze(match["title"]), int(match["page"])))
                last, pending = i, ""
            else:
                pending = squeeze(line) if entries and i == last else ""
    return entries, last


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_count_within_five_percent_of_the_pdf(rendered, edition):
    files = rendered[edition]
    pdf, office = len(pypdf.PdfReader(str(files["pdf"])).pages), len(pypdf.PdfReader(str(files["office"])).pages)
    assert abs(office - pdf) <= 0.05 * pdf, f"{edition}: the PDF has {pdf} pages, LibreOffice lays the DOCX out on {office}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_print_the_pdf_page_numbers(rendered, edition):
    files = rendered[edition]
    pages = pages_text(files["office"])
    entries, last = contents_entries(pages)
    toc = [p for p in docx.Document(str(files["docx"])).paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    assert len(entries) == len(toc) > 10, [e for e, _ in entries]
    # the numbers are the PDF's: the page labels its outline points to
    pdf_pages = outline_pages(files["pdf"])
    assert [(title, str(page)) for title, page in entries] == [(title, pdf_pages.get(title)) for title, _ in entries]
    # front matter in roman numbers, chapter I on page 1
    assert all(re.fullmatch(r"[ivxl]+", footer(page)) for page in pages[last - 1:last + 1])
    # The word processor lays the DOCX out: LibreOffice's rows of the bilingual book's pairs
    # run a little longer than the PDF's, up to 4 pages by the end of its 66.
    tolerance = max(2, round(0.07 * len(pages)))
    found, columns = last, [squeeze(page) for page in columns_pages(files["office"])]
    for title, number in entries:   # each heading where its entry says, give or take a few pages
        # (a paired line of the bilingual book: its zh heading, beside the en one in its row)
        found = next(i for i in range(found, len(pages)) if title.split("·")[0] in columns[i])
        assert abs(int(footer(pages[found])) - number) <= tolerance, (edition, title, number, footer(pages[found]))
        if number == 1:
            assert footer(pages[found]) == "1"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_heading_and_caption_survives_with_the_pdf_numbers(rendered, edition):
    files = rendered[edition]
    office = squeeze_words("".join(columns_pages(files["office"])))
    pdf = squeeze_words("".join(columns_pages(files["pdf"])))
    kept = [p.text for p in all_paragraphs(docx.Document(str(files["docx"]))) if p.style.name in KEPT]
    captions = [t for t in kept if re.match(r"(图|表|Figure|Table) \d+-\d+ ", t)]
    assert len(captions) >= 20
    missing = [t for t in kept if squeeze_words(t) not in office]
    assert not missing, f"{edition}: not in LibreOffice's pages: {missing}"
    assert not [t for t in captions if squeeze_words(t) not in pdf], "a caption the PDF numbers otherwise"
