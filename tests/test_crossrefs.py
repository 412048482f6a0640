"""Cross-references ({numref}`id`), footnotes cited by name ([^name], defined anywhere
in the file, cited more than once), a "%" typed after a percentage placeholder, and
typed numbers report check misses no more: in the model, in the PDF and DOCX the
session builds of tests/roots/mini (its 02-beta chapter refers to figure 1-1 and chapter
I and cites one note twice), and as one-line errors of `report check` and `report build`."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from builder.analysis.typed import scan_line
from builder.errors import ContentError
from builder.model import Figure
from builder.readers.markdown import parse_chapter
from builder.transforms.extract import make_extract
from tests.background import REPORT
from tests.reading import read_edition
from tests.projects import edit as edit_file

ZH = "content/chapters/02-beta/zh.md"
EN = "content/chapters/02-beta/en.md"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory):
    from tests.projects import copy_root
    return read_edition(copy_root("mini", tmp_path_factory.mktemp("refs") / "p"), "bilingual")


def chapter(report, ident, lang):
    return next(c for c in report.chapters if c.id == ident and c.lang == lang)


# --- the model ----------------------------------------------------------------------

def test_a_reference_prints_its_target_number_and_anchor(bilingual):
    for lang, texts in (("zh", ["图 1-1", "第一章"]), ("en", ["Figure 1-1", "Chapter I"])):
        refs = chapter(bilingual, "02-beta", lang).references
        assert [r.text for r in refs] == texts
        alpha = chapter(bilingual, "01-alpha", lang)
        figure = next(b for b in alpha.blocks if isinstance(b, Figure))
        assert [r.ref.anchor for r in refs] == [figure.anchor, alpha.heading.anchor]
        assert figure.label == texts[0] and alpha.heading.number in ("一、", "I.")


def test_an_extract_keeps_the_full_reports_numbers(bilingual):
    extract = make_extract(bilingual, ["02-beta"])
    assert [r.text for c in extract.chapters for r in c.references] == \
        ["图 1-1", "第一章", "Figure 1-1", "Chapter I"]


def test_a_note_cited_twice_is_one_note(bilingual):
    for lang in ("zh", "en"):
        beta = chapter(bilingual, "02-beta", lang)
        marks = [r for b in beta.blocks for r in getattr(b, "runs", []) if r.footnote]
        assert [(m.footnote.number, m.again) for m in marks] == [(1, False), (1, True)]
        assert marks[0].footnote is marks[1].footnote and len(beta.footnotes) == 1


def test_inline_and_named_notes_are_numbered_in_citation_order():
    text = "# T\n\nA^[inline] b[^x] c[^y] d[^x].\n\n[^y]: Y.\n\n[^x]: X **bold**.\n"
    runs = parse_chapter(text, "en", "c.md").blocks[0].runs
    notes = [(r.footnote.number, "".join(n.text for n in r.footnote.runs), r.again) for r in runs if r.footnote]
    assert notes == [(1, "inline", False), (2, "X bold.", False), (3, "Y.", False), (2, "X bold.", True)]


@pytest.mark.parametrize("text, message", [
    ("# T\n\nSee[^nope].\n", "c.md:3: footnote [^nope] has no text"),
    ("# T\n\nA[^a].\n\n[^a]: one\n\n[^b]: unused\n", "c.md:7: footnote [^b] is never cited"),
    ("# T\n\nA[^a].\n\n[^a]: one\n[^a]: two\n", "c.md:6: footnote [^a] is defined twice (first on line 5)"),
    ("# T\n\n## See {numref}`x`\n", "c.md:3: a heading holds neither footnotes nor {numref}"),
    ("# T\n\nA\nB ^[a note^[inside]].\n", "c.md:4: a footnote cannot cite another footnote"),
])
def test_footnote_and_reference_mistakes_name_file_and_line(text, message):
    with pytest.raises(ContentError) as info:
        parse_chapter(text, "en", "c.md")
    assert str(info.value).startswith(message), str(info.value)


# --- report check and report build ------------------------------------------------------

def report(*args):
    """`report` in a subprocess, stderr in stdout."""
    result = subprocess.run([REPORT, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=120)
    assert "Traceback" not in result.stdout
    return result


def edit(project, rel, old, new):
    edit_file(project / rel, old, new)


def test_an_unknown_id_stops_check_and_build_at_its_line(make_project):
    project = make_project("mini")
    edit(project, EN, "{numref}`firms_years`", "{numref}`firms_yaers`")
    expected = (f"error: {EN}:3: {{numref}}`firms_yaers`: no figure, table or chapter has this id "
                "(a figure or table id of a figures.toml, or a chapter id of content/report.toml)")
    check = report("check", "--project", project)
    assert check.returncode == 1 and expected in check.stdout.splitlines(), check.stdout
    build = report("build", "--project", project, "-e", "en", "-f", "docx")
    assert build.returncode == 1 and build.stdout.strip().splitlines()[-1] == expected, build.stdout
    assert not (project / "output" / "report-2019-en.docx").exists()


def test_unused_notes_and_a_percent_after_a_percentage_are_errors_of_check(make_project):
    project = make_project("mini")
    edit(project, ZH, "[^univ]: 高校按教育部名单统计。", "[^univ]: 高校按教育部名单统计。\n\n[^old]: 旧注。")
    edit(project, "content/chapters/01-alpha/zh.md", "北京占 {{ share_bj }}，", "北京占 {{ share_bj }}%，")
    edit(project, "content/chapters/01-alpha/en.md", "Shanghai {{ share_sh }}.", "Shanghai {{ share_sh }} %.")
    result = report("check", "--project", project)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error: ")]
    assert f"error: {ZH}:10: footnote [^old] is never cited: cite it as [^old] or remove it" in errors
    percent = '"%" typed after a placeholder that prints its own (a percentage): remove the "%"'
    assert "error: content/chapters/01-alpha/zh.md:12: " + percent in errors
    assert "error: content/chapters/01-alpha/en.md:12: " + percent in errors
    assert len(errors) == 3, result.stdout


def test_zh_and_en_refer_to_the_same_targets(make_project):
    from builder.analysis.check import check_project
    project = make_project("mini")
    edit(project, EN, " ({numref}`01-alpha`)", "")
    errors, _ = check_project(project)
    assert errors == ["content/chapters/02-beta: references differ: zh.md has {numref}`01-alpha`, "
                      "{numref}`firms_years`, en.md has {numref}`firms_years`"]


# --- the files -----------------------------------------------------------------------

def pdf_pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")]


@pytest.mark.parametrize("lang, says, note", [
    ("zh", "企业数量见图1-1（第一章）", "1高校按教育部名单统计。"),
    ("en", "forenterprisesseeFigure1-1(ChapterI)", "1UniversitiesaslistedbytheMinistryofEducation."),
])
def test_the_pdf_prints_and_links_references_and_one_note(mini_report, lang, says, note):
    pdf = mini_report.output / f"report-2019-{lang}.pdf"
    pages = pdf_pages(pdf)
    here = next(i for i, page in enumerate(pages) if says in page)
    assert pages[here].count(note) == 1 and sum(p.count(note) for p in pages) == 1
    figure = next(i for i, page in enumerate(pages) if ("图1-1企业数量" if lang == "zh" else "Figure1-1Numberof") in page)
    reader = PdfReader(pdf)
    targets = [reader.get_page_number(link.get_object()["/Dest"][0].get_object())
               for link in reader.pages[here].get("/Annots", [])]
    assert targets.count(figure) == 2   # the figure and its chapter start on the same page


@pytest.mark.parametrize("lang, says", [("zh", "企业数量见图 1-1（第一章）"), ("en", "see Figure 1-1 (Chapter I)")])
def test_the_docx_prints_references_as_links_and_a_repeated_note_once(mini_report, lang, says):
    with zipfile.ZipFile(mini_report.output / f"report-2019-{lang}.docx") as docx:
        body = docx.read("word/document.xml").decode()
        notes = docx.read("word/footnotes.xml").decode()
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert says in text
    links = re.findall(r'<w:hyperlink w:anchor="(\w+)"[^>]*>.*?<w:t(?: [^>]*)?>([^<]*)</w:t>', body)
    figure = next(name for name, shown in links if shown.endswith(" 1-1"))
    assert f'w:name="{figure}"' in body   # the bookmark on the figure's caption
    assert notes.count("教育部名单" if lang == "zh" else "Ministry of Education") == 1
    assert len(re.findall(r'<w:footnoteReference [^>]*w:id="\d+"/><w:t>1</w:t>', body)) == 2   # one per chapter
    assert body.count('<w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>1</w:t>') == 1   # the later citation


def test_an_extract_prints_a_reference_to_a_chapter_it_leaves_out_unlinked(make_project):
    project = make_project("mini")
    build = report("build", "--project", project, "-e", "en", "-c", "2", "--restart-pages", "-j", "1")
    assert build.returncode == 0, build.stdout
    pdf = next((project / "output").glob("*.pdf"))
    pages = pdf_pages(pdf)
    here = next(i for i, page in enumerate(pages) if "forenterprisesseeFigure1-1(ChapterI)" in page)
    assert "/Annots" not in PdfReader(pdf).pages[here]
    with zipfile.ZipFile(next((project / "output").glob("*.docx"))) as docx:
        body = docx.read("word/document.xml").decode()
    assert "see Figure 1-1 (Chapter I)" in "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert "_Ref" not in body


# --- typed numbers -------------------------------------------------------------------

@pytest.mark.parametrize("line, lang, finding", [
    ("企业达1011家。", "zh", "1011 is typed in the text, glued to Chinese (达1011家)"),
    ("1011家企业。", "zh", "1011 is typed in the text, glued to Chinese (1011家)"),
    ("企业达**1011**家。", "zh", "1011 is typed in the text, glued to Chinese (达**1011**家)"),
    ("共有 1,011 家。", "zh", "1,011 is typed in the text with a thousands separator"),
    ("共有1，011家。", "zh", "1，011 is typed in the text with a thousands separator"),
    ("1,011.5 billion yuan", "en", "1,011.5 is typed in the text with a thousands separator"),
    ("见图 1-1。", "zh", 'typed reference "图 1-1": {numref}`id` prints its number'),
    ("see Table 2-1", "en", 'typed reference "Table 2-1": {numref}`id` prints its number'),
])
def test_typed_numbers_are_found(line, lang, finding):
    found = scan_line(line, lang, 2019, {})
    assert len(found) == 1 and found[0].startswith(finding), found


def test_references_and_bound_numbers_are_quiet():
    assert scan_line("见{numref}`firms_years`（{numref}`01-alpha`），共 {{ firms }} 家[^a]。", "zh", 2019, {}) == []
