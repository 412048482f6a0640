"""A second report, tests/roots/survey, unlike the default in every optional choice: no
institute, no front matter and no date line, sans-serif fonts, other colours, Letter
paper, decimal chapter numbers (and none for English sections), a fact without a year, a
chart of two points from two years, cross-references and a note cited twice. Built once
in every edition and format (in the background), and read back with pdftotext, pdffonts,
pdfinfo and python-docx."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.reading import read_edition


def survey_build(background, folder: Path):
    """A job: the survey root built like any root (conftest.build_root)."""
    return background.root("survey")


BACKGROUND = [survey_build]


@pytest.fixture(scope="module")
def survey(background):
    return background(survey_build)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_edition_and_format_is_written(survey):
    assert sorted(p.name for p in survey.output.iterdir()) == sorted(
        f"report-2023-{e}.{f}" for e in ("zh", "en", "bilingual") for f in ("pdf", "docx"))


@pytest.mark.parametrize("lang, says, absent", [
    ("zh", ["1.分馆与读者", "1.1分馆", "2.借阅", "见图1-1", "图1-2比较首年与今年", "借阅情况见第2章",
            "中心馆建于1952年", "注：首年为调查开始的年份。", "资料来源："],
     ["一、", "（一）", "研究所", "致谢", "年月日"]),
    ("en", ["1.BranchesandReaders", "Figure1-1showsthenumber", "Figure1-2comparesthefirstyear",
            "Chapter2turnstolending", "centrallibraryopenedin1952", "Note:Thefirstyearistheyearthesurveybegan."],
     ["I.", "1.1Branches", "Institute", "Acknowledg"]),
])
def test_the_text_follows_the_theme_and_the_data(survey, lang, says, absent):
    text = squash(pdf_text(survey.output / f"report-2023-{lang}.pdf"))
    for phrase in says:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


@pytest.mark.parametrize("lang, note", [("zh", "分馆指有独立馆舍"), ("en", "Abranchisalibrary")])
def test_a_note_cited_twice_is_printed_once(survey, lang, note):
    assert squash(pdf_text(survey.output / f"report-2023-{lang}.pdf")).count(note) == 1
    with zipfile.ZipFile(survey.output / f"report-2023-{lang}.docx") as z:
        assert squash(re.sub(r"<[^>]+>", "", z.read("word/footnotes.xml").decode())).count(note) == 1


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_fonts_embedded_and_paper(survey, edition):
    pdf = survey.output / f"report-2023-{edition}.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts   # the "emb" column
    assert "LiberationSans" in fonts and "Serif" not in fonts, fonts
    assert ("NotoSansCJK" in fonts) == (edition != "en"), fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792" in info


@pytest.mark.parametrize("lang, heading, fonts", [("zh", "1. 分馆与读者", "SimHei"),
                                                  ("en", "1. Branches and Readers", "Arial")])
def test_the_docx_reads_back(survey, lang, heading, fonts):
    doc = docx.Document(str(survey.output / f"report-2023-{lang}.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heading in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "1952" in body and ("第 2 章" if lang == "zh" else "Chapter 2") in body
    names = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts in (names.get(qn("w:eastAsia")), names.get(qn("w:ascii")))


def test_the_two_year_chart_labels_each_point_with_its_year(survey, tmp_path):
    report = read_edition(shutil.copytree(survey.saved, tmp_path / "p"), "en", 2023)
    chart = next(b.chart for c in report.chapters for b in c.blocks if getattr(b, "id", "") == "branches_then_now")
    assert [float(v) for v in chart.series[0][1]] == [36.0, 41.0]
    assert "2021" in chart.categories[0] and "2021" not in chart.categories[1]
