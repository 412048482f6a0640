"""The DOCX's fields and numbering, on the hand-built sample model: contents filled with
the PDF's page numbers (TOC, PAGEREF), captions as SEQ fields, references to them as REF
fields, the chapter title in the header as a STYLEREF field, pages numbered i, ii... then
1 from chapter I, and what Word reads of the document (outline levels, compatibility
mode, fonts, statistics). Issue 15, points 1-5."""
from __future__ import annotations

import dataclasses
import re
import zipfile

import docx
import pytest

from builder.model import PdfPages, Ref, Run, Theme
from builder.writers.docx import write
from tests.reading import context
from tests.sample_model import sample_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """The bilingual sample with page numbers as a PDF layout gives them, a reference from
    the text to the figure, and its own DOCX fonts: (report, path, python-docx Document)."""
    folder = tmp_path_factory.mktemp("fields")
    report = sample_report(folder, "bilingual")
    report.theme = dataclasses.replace(report.theme, docx_latin_font="Georgia", docx_cjk_font="Songti SC")
    headings = {}
    for n, chapter in enumerate(report.chapters):
        headings[chapter.heading.anchor] = 1 + 10 * n
        for block in chapter.blocks:
            if hasattr(block, "anchor") and block.anchor:
                headings[block.anchor] = 2 + 10 * n
    report.pages = PdfPages(headings, count=27)
    for chapter in report.chapters:
        figure = next(b for b in chapter.blocks if hasattr(b, "chart"))
        figure.anchor, figure.id = f"{chapter.lang}-fig", "fig"
        label = figure.label
        chapter.blocks[1].runs.append(Run(label, ref=Ref("fig", "x.md", 1, figure.anchor)))
    path = folder / "report.docx"
    write(report, path, context(folder))
    return report, path, docx.Document(str(path))


def test_contents_carry_the_pdf_page_numbers_with_leaders(laid_out):
    report, path, document = laid_out
    entries = [p for p in document.paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    assert [p.text for p in entries] == ["一、前言和梗概\t1", "（一）新挑战\t2",
                                         "I. Introduction and Summary\t11", "1.1 New challenges\t12"]
    body = _part(path, "word/document.xml")
    assert len(re.findall(r"PAGEREF _Toc\d+ \\h", body)) == 4
    styles = _part(path, "word/styles.xml")
    toc = re.search(r'<w:style w:type="paragraph" w:styleId="TOC1">.*?</w:style>', styles, re.S)[0]
    assert re.search(r'<w:tab w:pos="\d+" w:val="right" w:leader="dot"/>', toc)   # built-in, not custom
    assert "updateFields" not in _part(path, "word/settings.xml")


def test_pages_numbered_roman_then_from_one_at_chapter_one(laid_out):
    _, _, document = laid_out
    numbering = [s._sectPr.find(f"{W}pgNumType") for s in document.sections]
    kinds = [(n.get(f"{W}fmt"), n.get(f"{W}start")) if n is not None else None for n in numbering]
    # covers; the zh and en front matter and the contents; then the chapters
    assert kinds == [None, ("lowerRoman", "1"), ("lowerRoman", None), ("lowerRoman", None),
                     (None, "1"), None]   # arabic: the default


def test_captions_are_seq_fields_and_references_ref_fields(laid_out):
    _, path, document = laid_out
    body = _part(path, "word/document.xml")
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == ["图 1-1 企业地区分布", "表 1-1 主要指标",
                                          "Figure 1-1 Enterprises by region", "Table 1-1 Key indicators"]
    for name in ("图", "表", "Figure", "Table"):   # the chapter's first restarts (LibreOffice ignores \s)
        assert f"SEQ {name} \\* ARABIC \\s 1 \\r 1 " in body
    refs = re.findall(r"REF (_Ref\d+) \\h", body)
    assert len(refs) == 2
    for ref in refs:   # the bookmark holds the label and number only, as Word's captions do
        marked = re.search(rf'<w:bookmarkStart w:id="\d+" w:name="{ref}"/>(.*?)<w:bookmarkEnd', body)[1]
        assert re.sub(r"<[^>]+>", "", marked).replace(" SEQ ", "").startswith(("图 1-", "Figure 1-"))
    paragraph = next(p for p in document.paragraphs if "SEQ" not in p._p.xml and "Figure 1-1" in p.text)
    assert paragraph.text.endswith("Figure 1-1")   # the REF field's result


def test_running_header_chapter_title_is_a_styleref_field(laid_out):
    report, _, document = laid_out
    for section, chapter in zip(document.sections[-2:], report.chapters):
        header = section.header.paragraphs[0]
        assert "STYLEREF 1" in header._p.xml
        assert header.text == f"{report.running_titles[chapter.lang]}\t{chapter.heading.full_text}"


def test_front_headings_in_the_navigation_pane_not_in_the_contents(laid_out):
    _, path, document = laid_out
    for name in ("Front Heading", "TOC Heading"):
        level = document.styles[name].element.pPr.find(f"{W}outlineLvl")
        assert level.get(f"{W}val") == "0"
    body = _part(path, "word/document.xml")
    start = body.index('w:name="_Chapters"')   # the contents' \b bookmark: from chapter I on
    paragraph = body[body.rindex("<w:p>", 0, start):start]
    assert '<w:pStyle w:val="Heading1"/>' in paragraph and "<w:pStyle w:val=\"Heading1\"/>" not in body[:body.index(paragraph)]
    assert "致谢" not in body[start:] and "Acknowledgement" not in body[start:]


def test_word_settings_fonts_and_statistics(laid_out):
    _, path, _ = laid_out
    settings = _part(path, "word/settings.xml")
    assert re.search(r'w:name="compatibilityMode" [^>]*w:val="15"', settings)
    styles = _part(path, "word/styles.xml")
    assert 'w:ascii="Georgia"' in styles and 'w:eastAsia="Songti SC"' in styles
    fonts = _part(path, "word/fontTable.xml")
    assert re.search(r'<w:font w:name="Songti SC"><w:charset w:val="86"/>', fonts)
    assert '<w:font w:name="Georgia">' in fonts
    app = _part(path, "docProps/app.xml")
    assert "<Pages>27</Pages>" in app and "<Application>report</Application>" in app
    assert int(re.search(r"<Words>(\d+)</Words>", app)[1]) > 200


def test_default_fonts_are_on_windows_and_macos(tmp_path):
    """Times New Roman and SimSun (宋体) by default; the font table names SimSun's Chinese name
    and charset, so Word for Mac draws a Song face where SimSun is missing."""
    assert (Theme().docx_latin_font, Theme().docx_cjk_font) == ("Times New Roman", "SimSun")
    path = tmp_path / "zh.docx"
    write(sample_report(tmp_path, "zh"), path, context(tmp_path))
    fonts = _part(path, "word/fontTable.xml")
    assert '<w:font w:name="SimSun"><w:altName w:val="宋体"/><w:charset w:val="86"/>' in fonts
    styles = _part(path, "word/styles.xml")
    assert 'w:ascii="Times New Roman" w:hAnsi="Times New Roman"' in styles and 'w:eastAsia="SimSun"' in styles


def test_docx_fonts_are_theme_keys(tmp_path):
    """Any family name (the reader's machine has it, not necessarily this one); not empty."""
    from builder.errors import ReportError
    from builder.readers.theme import read_theme
    text = '[theme]\ndocx_latin_font = "Calibri"\ndocx_cjk_font = "DengXian"\n'
    theme = read_theme({"docx_latin_font": "Calibri", "docx_cjk_font": "DengXian"}, text, tmp_path)
    assert (theme.docx_latin_font, theme.docx_cjk_font) == ("Calibri", "DengXian")
    with pytest.raises(ReportError, match="theme docx_cjk_font: must name a font family"):
        read_theme({"docx_cjk_font": " "}, '[theme]\ndocx_cjk_font = " "\n', tmp_path)


def test_front_parts_share_a_page_where_the_pdf_prints_them_so(tmp_path):
    """The front matter's parts (acknowledgement, writers...) follow the PDF: a part the PDF
    prints on the page of the one before is a continuous section."""
    report = sample_report(tmp_path, "bilingual")
    anchors = [c.heading.anchor for c in report.front]
    path = tmp_path / "shared.docx"
    for pages, kinds in (({anchors[0]: 0, anchors[1]: 0}, ["continuous"]), ({anchors[0]: 0, anchors[1]: 1}, [None])):
        report.pages = PdfPages({}, front=pages)
        write(report, path, context(tmp_path))
        sections = docx.Document(str(path)).sections
        second = sections[2]._sectPr.find(f"{W}type")   # the second part's section
        assert [second.get(f"{W}val") if second is not None else None] == kinds
