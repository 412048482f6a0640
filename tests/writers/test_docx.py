"""DOCX writer tests: write the hand-built sample model, read the file back, and convert it
with LibreOffice to check that it really renders."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from builder.model import EDITIONS
from builder.errors import ReportError
from builder.writers.docx import write
from tests.reading import context
from tests.sample_model import sample_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHAPTER_TITLES = {"zh": "一、前言和梗概", "en": "I. Introduction and Summary"}
SECTION_TITLES = {"zh": "（一）新挑战", "en": "1.1 New challenges"}
NOTE_TEXTS = {"zh": "数据中台把数据转化为服务业务的资产。",
              "en": "A data middle office turns data into assets that serve the business."}
LANGS = {"zh": ["zh"], "en": ["en"], "bilingual": ["zh", "en"]}


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module", params=EDITIONS)
def written(request, sample_docx):
    """(edition, DOCX file, report, python-docx Document) of the sample model, per edition."""
    out, report = sample_docx[request.param]
    return request.param, out, report, docx.Document(str(out))


def test_headings_captions_and_body(written):
    edition, _, report, doc = written
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    for lang in LANGS[edition]:
        assert CHAPTER_TITLES[lang] in by_style["Heading 1"]
        assert SECTION_TITLES[lang] in by_style["Heading 2"]
    captions = by_style["Caption"]
    if "zh" in LANGS[edition]:
        assert "图 1-1 企业地区分布" in captions and "表 1-1 主要指标" in captions
        assert any(t.startswith("截至 2019 年底") for t in by_style["Body Text First Indent"])
    if "en" in LANGS[edition]:
        assert "Figure 1-1 Enterprises by region" in captions
        # Markup-looking text is literal text, not formatting.
        assert any(t.endswith(" <b>&amp; literal</b>2") for t in by_style["Body Text"])  # 2: the note mark
    assert any(t.startswith("•\t") for t in by_style["List Paragraph"])
    # Front matter is not a Heading 1 (it stays out of the contents) but is present.
    assert report.front[0].heading.text in by_style["Front Heading"]
    assert " / ".join(report.contents_titles) in by_style["TOC Heading"]
    assert len(doc.inline_shapes) == len(LANGS[edition])


def test_tables(written):
    edition, _, _, doc = written
    assert len(doc.tables) == len(LANGS[edition])
    for table, lang in zip(doc.tables, LANGS[edition]):
        assert table.style.name == "Table Grid"
        assert [c.text for c in table.rows[0].cells] == (["指标", "数值"] if lang == "zh"
                                                          else ["Indicator", "Value"])
        assert table.rows[2].cells[1].text == "7"
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert table.rows[2].cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
        assert table.rows[2].cells[0].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT


def test_footnotes(written):
    edition, path, report, _ = written
    footnotes = _part(path, "word/footnotes.xml")
    types = _part(path, "[Content_Types].xml")
    rels = _part(path, "word/_rels/document.xml.rels")
    body = _part(path, "word/document.xml")
    assert "wordprocessingml.footnotes+xml" in types
    assert "relationships/footnotes" in rels
    assert 'w:type="separator" w:id="-1"' in footnotes
    assert 'w:type="continuationSeparator" w:id="0"' in footnotes
    ids = re.findall(r'<w:footnote w:id="(\d+)"', footnotes)
    expected = sum(len(c.footnotes) for c in report.chapters + report.front)
    assert len(ids) == len(set(ids)) == expected
    assert re.findall(r'<w:footnoteReference w:customMarkFollows="1" w:id="(\d+)"/>', body) == ids
    assert body.count('<w:rStyle w:val="FootnoteReference"/><') >= expected
    for lang in LANGS[edition]:
        assert NOTE_TEXTS[lang] in footnotes
    styles = _part(path, "word/styles.xml")
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles


def test_header_footer_toc_fonts_settings(written):
    edition, path, report, doc = written
    # Cover section: no header; later sections carry the running title and a PAGE field.
    assert doc.sections[0].header.is_linked_to_previous
    # (a chapter's title follows a tab: test_running_headers_carry_the_chapter_title)
    headers = {s.header.paragraphs[0].text.split("\t")[0] for s in doc.sections[1:]}
    assert headers == {report.running_titles[lang] for lang in LANGS[edition]}
    for section in doc.sections[1:]:
        assert "PAGE" in section.footer._element.xml
    body = _part(path, "word/document.xml")
    assert 'TOC \\o "1-2" \\h \\z \\b _Chapters' in body
    assert body.index('w:fldCharType="begin"') < body.index('w:fldCharType="separate"') \
        < body.index('w:fldCharType="end"')
    toc = [p.text for p in doc.paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    assert toc == [t for lang in LANGS[edition] for t in (CHAPTER_TITLES[lang], SECTION_TITLES[lang])]
    assert "updateFields" not in _part(path, "word/settings.xml")   # Word would ask on every open
    styles = _part(path, "word/styles.xml")
    assert 'w:eastAsia="SimSun"' in styles and 'w:ascii="Times New Roman"' in styles
    assert '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>' in styles
    if "zh" in LANGS[edition]:
        assert '<w:rFonts w:hint="eastAsia"/>' in body
    props = doc.core_properties
    assert props.title == report.title and props.author == report.author
    assert props.language == ("en-US" if edition == "en" else "zh-CN")
    assert props.created.year == report.year + 1


def test_output_is_reproducible(tmp_path, sample_docx):
    first, report = sample_docx["bilingual"]
    second = tmp_path / "second.docx"
    write(report, second, context(tmp_path))
    assert first.read_bytes() == second.read_bytes()


def test_unknown_block_is_an_error(tmp_path):
    """A block type the writer has no rule for stops it, never silently dropped."""
    class Sidebar:
        pass
    report = sample_report(tmp_path, "en")
    report.chapters[0].blocks.append(Sidebar())
    out = tmp_path / "report.docx"
    with pytest.raises(ReportError, match="docx writer has no rule for a Sidebar block"):
        write(report, out, context(tmp_path))
    assert not out.exists()


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                    reason="LibreOffice / poppler not installed")
@pytest.mark.parametrize("edition", EDITIONS)
def test_libreoffice_renders(edition, sample_pdfs):
    pdf = sample_pdfs[edition]   # the fixture asserts that LibreOffice wrote it
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    if "zh" in LANGS[edition]:
        assert "前言和梗概" in text and NOTE_TEXTS["zh"] in text
    if "en" in LANGS[edition]:
        assert "Introduction and Summary" in text and NOTE_TEXTS["en"] in text


def test_no_template_leftovers(written):
    """python-docx's template claims "Microsoft Macintosh Word", 1 page and 0 words, and brings
    a blank thumbnail, Word 2010's stylesWithEffects and a customXml item."""
    path = written[1]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n or n.startswith("customXml")], names
    app = _part(path, "docProps/app.xml")
    assert "<Application>report</Application>" in app and "Macintosh" not in app
    assert "<Pages>" not in app   # not laid out: the PDF's count is unknown (see tests/test_docx_fields.py)
    assert int(re.search(r"<Words>(\d+)</Words>", app)[1]) > 100


def test_running_headers_carry_the_chapter_title(written):
    """As in the PDF: the report's running title on the left, the chapter's on the right."""
    _, _, report, document = written
    headers = [s.header.paragraphs[0].text for s in document.sections]
    for chapter in report.chapters:
        if chapter.in_contents:
            assert any(h.endswith("\t" + chapter.heading.full_text) for h in headers), (chapter.heading.full_text, headers)


def test_every_chart_has_alt_text(written):
    _, _, report, document = written
    figures = [b for c in report.chapters for b in c.blocks if getattr(b, "chart", None) is not None]
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert figures and len(described) == len(figures)
    for text, figure in zip(described, figures):   # the caption, then the values shown
        assert text.startswith(f"{figure.label} {figure.caption}")
        colon = "：" if figure.lang == "zh" else ": "
        assert all(f"{category}{colon}{value:.1f}" in text
                   for category, value in zip(figure.chart.categories, figure.chart.series[0][1]))
