"""The bilingual edition as one book (issue 14, points 3-6): one bilingual cover, front
page and contents of paired lines; the body side by side (parallel) or zh then en
(sequential), in the PDF and the DOCX, full and as extracts with the print options,
numbered as the single-language editions."""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.errors import ContentError
from builder.model import ChartSpec, Figure, Heading, Paragraph, Run
from builder.readers.manifest import read_manifest
from builder.transforms.bilingual import bilingual_chart, make_book, pair_rows
from builder.words import BILINGUAL_SEP as SEP
from tests.background import REPORT, warm_up
from tests.pdfpages import MARGIN, read_pages
from tests.projects import copy_root, edit
from tests.reading import read_edition

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
LAYOUTS = ("parallel", "sequential")
# A section whose paired contents line is longer than a line, and Latin words in Chinese
# text (the real report's), which a narrow justified column could letter-space.
LONG = ("地区分布：各省市企业数量、融资规模与产业集聚程度的比较",
        "Regions: enterprises, funding and the clustering of the industry compared across provinces")
LATIN = "此后腾讯开源了 ncnn 和 PocketFlow，阿里巴巴推出了 X-DeepLearning。"


def book_builds(background, folder: Path) -> dict[str, Path]:
    """A job: the mini root's bilingual edition in each layout (PDF, DOCX), and its
    chapter II extract printed both sides, in grey, with crop marks; the DOCX as
    LibreOffice prints them, and as it prints them once it has updated their contents
    (where LibreOffice's Python is found). name -> file."""
    root = copy_root("mini", folder / "p")
    warm_up(background.root("mini"), root)
    chapter = root / "content" / "chapters" / "01-alpha"
    edit(chapter / "zh.md", "## 地区", f"## {LONG[0]}")
    edit(chapter / "en.md", "## Regions", f"## {LONG[1]}")
    edit(chapter / "zh.md", "北京占", LATIN + "北京占")
    files = {}
    for layout in LAYOUTS:
        for name, extra in ((layout, []), (f"{layout}-extract", ["-c", "2", "--duplex", "--grayscale",
                                                                  "--crop-marks"])):
            out = folder / name
            result = background.run([REPORT, "build", "--project", str(root), "-e", "bilingual", "--layout", layout,
                                     "-o", str(out), "-j", "1", *extra])
            assert result.returncode == 0, result.stdout
            for path in out.iterdir():
                files[f"{name}.{path.suffix[1:]}"] = path
    if background.libreoffice:
        converted = background.libreoffice.convert({f"book-{l}": files[f"{l}.docx"] for l in LAYOUTS})
        files.update({f"{l}.docx.pdf": converted[f"book-{l}"] for l in LAYOUTS})
    if UNO_PYTHON:
        updated = {layout: folder / f"{layout}-updated.pdf" for layout in LAYOUTS}
        pairs = [str(path) for layout in LAYOUTS for path in (files[f"{layout}.docx"], updated[layout])]
        result = background.run([UNO_PYTHON, "-c", UPDATE_CONTENTS, str(folder / "lo"), *pairs])
        for layout, out in updated.items():
            assert out.exists(), result.stdout
            files[f"{layout}.docx.updated.pdf"] = out
    return files


def _uno_python() -> str | None:
    """A Python that imports LibreOffice's UNO bridge (Debian: python3-uno), or None."""
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


UNO_PYTHON = _uno_python() if shutil.which("soffice") else None
# argv: a folder for soffice's profile, then docx, pdf, docx, pdf... Opens each DOCX in one
# LibreOffice (starting one costs seconds), updates its contents (as Word's Update Field
# would), prints it.
UPDATE_CONTENTS = """
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
profile, *files = sys.argv[1:]
def prop(name, value):
    p = PropertyValue(); p.Name, p.Value = name, value; return p
pipe = "book" + str(os.getpid())
office = subprocess.Popen(["soffice", "--headless", "--norestore", "-env:UserInstallation=file://" + profile,
                           "--accept=pipe,name=" + pipe + ";urp;"])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for attempt in range(120):
        try:
            remote = resolver.resolve("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
    for docx, pdf in zip(files[::2], files[1::2]):
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, (prop("Hidden", True),))
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass   # the bridge closes as LibreOffice quits
finally:
    try:
        office.wait(timeout=60)
    except subprocess.TimeoutExpired:
        office.kill()
"""


BACKGROUND = [book_builds]


@pytest.fixture(scope="module")
def books(background) -> dict[str, Path]:
    return background(book_builds)


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f")[:-1]]


def outline(pdf: Path) -> list[str]:
    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]
    return list(walk(PdfReader(pdf).outline))


# ---- the model ------------------------------------------------------------------------

def para(text: str, lang: str) -> Paragraph:
    return Paragraph([Run(text)], lang)


def test_pairs_follow_the_texts_and_a_block_in_one_language_stands_alone():
    """As `report check` finds it: a paragraph missing in a run of paragraphs is missing
    where the run ends."""
    zh = [Heading(2, "", "甲", "zh", "a"), para("一", "zh"), para("二", "zh"), Heading(2, "", "乙", "zh", "b"),
          para("三", "zh")]
    en = [Heading(2, "", "A", "en", "a"), para("one", "en"), Heading(2, "", "B", "en", "b"), para("three", "en"),
          para("four", "en")]
    rows = [tuple(None if b is None else b.text for b in (r.zh, r.en)) for r in pair_rows(zh, en)]
    assert rows == [("甲", "A"), ("一", "one"), ("二", None), ("乙", "B"), ("三", "three"), (None, "four")]


def spec(categories, values, lang, name="n", axis="a") -> ChartSpec:
    return ChartSpec("bar", categories, [(name, values)], axis, "{:.0f}", lang)


def test_a_chart_is_drawn_once_with_both_labels_when_it_shows_the_same_values():
    one = bilingual_chart(spec(["北京", "上海"], [1.0, math.nan], "zh", "企业", "家"),
                          spec(["Beijing", "Shanghai"], [1.0, math.nan], "en", "Firms", "Firms"))
    assert one.categories == ["北京\nBeijing", "上海\nShanghai"] and one.series[0][0] == "企业 · Firms"
    assert one.axis_label == "家 / Firms"
    # Other values (亿元 / billion yuan), or labels too long to read: each language its own chart.
    assert bilingual_chart(spec(["甲"], [15298.0], "zh"), spec(["A"], [1529.8], "en")) is None
    assert bilingual_chart(spec(list("甲乙丙丁戊己庚辛"), [1.0] * 8, "zh"),
                           spec(["a rather long English label"] * 8, [1.0] * 8, "en")) is None


def test_the_book_keeps_the_numbers_of_the_single_language_editions(make_project):
    root = make_project("mini")
    spliced = read_edition(root, "bilingual")
    singles = {lang: read_edition(root, lang) for lang in ("zh", "en")}
    parallel, sequential = make_book(spliced, "parallel"), make_book(spliced, "sequential")
    labels = {lang: [b.label for c in singles[lang].chapters for b in c.blocks if isinstance(b, Figure)]
              for lang in ("zh", "en")}
    for lang in ("zh", "en"):
        assert [b.label for c in sequential.chapters if c.lang == lang for b in c.blocks
                if isinstance(b, Figure)] == labels[lang]
        assert [row.zh.label if lang == "zh" else row.en.label for c in parallel.chapters for row in c.rows
                if isinstance(row.zh, Figure)] == labels[lang]
    assert [c.heading.full_text for c in parallel.chapters] == [c.heading.full_text for c in singles["zh"].chapters]
    assert [c.partner.heading.full_text for c in parallel.chapters] == [
        c.heading.full_text for c in singles["en"].chapters]
    assert [c.part for c in sequential.chapters if c.part] == ["中文版", "English edition"]


# ---- report.toml and the option ---------------------------------------------------------

def test_the_layout_is_read_from_report_toml_and_checked(make_project):
    root = make_project("mini")
    manifest = root / "content" / "report.toml"
    text = manifest.read_text(encoding="utf-8")
    assert read_manifest(root).layout == "parallel"   # the default
    manifest.write_text(text + '\n[bilingual]\nlayout = "sequential"\n', encoding="utf-8")
    assert read_manifest(root).layout == "sequential"
    for lines, message in (('layout = "paracol"', "bilingual layout 'paracol': choose 'parallel' or 'sequential'"),
                           ('columns = 2', "unknown key 'columns' in [bilingual]")):
        manifest.write_text(text + f"\n[bilingual]\n{lines}\n", encoding="utf-8")
        line = len(text.splitlines()) + 3
        with pytest.raises(ContentError) as err:
            read_manifest(root)
        assert str(err.value) == f"content/report.toml:{line}: {message}" + (
            " (known: layout)" if "unknown" in message else "")
    result = subprocess.run([REPORT, "build", "--project", str(root), "-e", "bilingual"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and result.stderr.strip().splitlines()[-1].startswith(
        "error: content/report.toml:") and "Traceback" not in result.stderr


# ---- the PDF ---------------------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_one_bilingual_cover_front_page_and_contents(books, layout):
    pdf = books[f"{layout}.pdf"]
    text = pages(pdf)
    reader = PdfReader(pdf)
    assert reader.page_labels[:3] == ["封面 Cover", "i", "ii"]
    assert "迷你报告 2020" in text[0] and "Mini Report 2020" in text[0] and "测试研究院" in text[0]
    assert sum("Test Institute" in page for page in text) == 1   # one cover
    assert "感谢测试" in text[1] and "Thanks to the tests" in text[1]   # one front page
    contents = text[2]
    assert "目录 / Contents" in contents and "一、企业 · I. Enterprises" in contents
    assert "（一）数量 · 1.1 Numbers" in contents
    assert "致谢 · Acknowledgement" in outline(pdf)


def test_parallel_sets_each_pair_side_by_side_with_both_notes_at_the_foot(books):
    pdf = books["parallel.pdf"]
    text = pages(pdf)
    first = next(page for page in text if "2019 年共有企业" in page)
    assert "In 2019 there were 797 enterprises" in first
    assert "企业按三条标准筛选" in first and "Enterprises are selected on three criteria" in first
    # Both columns start each pair at the same height: the two halves of a line.
    assert re.search(r"一、企业 +I\. Enterprises", first) and re.search(r"（一）数量 +1\.1 Numbers", first)
    assert "图 1-1 企业数量" in first and "Figure 1-1 Number of enterprises" in first
    assert "一、企业 · I. Enterprises" in outline(pdf) and "I. Enterprises" not in outline(pdf)
    assert len(text) < 12   # the spliced edition had twice the chapters


def test_sequential_has_the_whole_chinese_then_the_whole_english_text(books):
    pdf = books["sequential.pdf"]
    text = pages(pdf)
    zh_part = next(i for i, page in enumerate(text) if "中文版" in page)
    en_part = next(i for i, page in enumerate(text) if "English edition" in page)
    zh_at = next(i for i, page in enumerate(text) if "2019 年共有企业" in page)
    en_at = next(i for i, page in enumerate(text) if "In 2019 there were" in page)
    assert zh_part < zh_at < en_part < en_at
    assert not any("In 2019 there were" in page for page in text[:en_part])
    labels = PdfReader(pdf).page_labels
    assert re.search(rf"一、企业 · I\. Enterprises[ .]+{labels[zh_at]} · {labels[en_at]}", text[2])
    assert {"中文版", "English edition", "一、企业", "I. Enterprises"} <= set(outline(pdf))


def outline_pages(pdf: Path) -> dict[str, str]:
    """Each bookmark's title -> the label of the page it points to."""
    reader = PdfReader(pdf)

    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item]
    return {item.title: reader.page_labels[reader.get_destination_page_number(item)] for item in walk(reader.outline)}


CONTENTS = [("一、企业", "I. Enterprises"), ("（一）数量", "1.1 Numbers"), (f"（二）{LONG[0]}", f"1.2 {LONG[1]}"),
            ("二、高校", "II. Universities"), ("结束语", "Conclusion")]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_paired_contents_lines_wrap_inside_the_margin_each_with_its_pages(books, layout):
    pdf = books[f"{layout}.pdf"]
    page = read_pages(pdf)[2]
    assert max(w.x1 for w in page.words) <= page.width - MARGIN + 0.5
    assert min(w.size for w in page.body_words()) > 9   # no page number shrunk to fit
    contents, marks = re.sub(r"\s", "", pages(pdf)[2]), outline_pages(pdf)
    for zh, en in CONTENTS:
        listed = re.search(re.escape(re.sub(r"\s", "", zh + SEP + en)) + r"\.{2,}(\d+)(?:·(\d+))?", contents)
        assert listed, (zh, contents)
        real = [marks[zh + SEP + en]] if layout == "parallel" else [marks[zh], marks[en]]
        assert [n for n in listed.groups() if n] == list(dict.fromkeys(real)), zh
    # The long pair wraps, its second line under the text after its number (a hanging indent).
    lines = [" ".join(w.text for w in line) for line in page.lines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("（二）"))
    first, second = page.lines()[at], page.lines()[at + 1]
    assert second[0].x0 > first[0].x0 + 20 and re.search(r"\. \d+( · \d+)?$", lines[at + 1]), lines[at:at + 2]


def test_contents_lines_of_every_length_keep_their_page_number_inside_the_margin(tmp_path, font_cache):
    """Entries whose text ends anywhere on the line, on one line or two: each ends with
    leader dots and its page number, full size, right-aligned at the margin."""
    from types import SimpleNamespace

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from builder.cache import Cache
    from builder.fonts import prepare_pdf_fonts
    from builder.writers.pdf.book import PAGES, page_pair
    from builder.writers.pdf.contents import contents_flowables, hang_long_lines
    from builder.writers.pdf.text import make_styles, register_fonts, text_markup
    texts = [f"（一）产业{'集' * n} · 1.1 Clustering of the industry" for n in range(40)]
    register_fonts(prepare_pdf_fonts(set("".join(texts) + "目录 / Contents0123456789. ·"), Cache(font_cache)))
    entries = [(level, text_markup(text, bold=not level), 987 if n % 2 else 12 * PAGES + 345, None)
               for level in (0, 1) for n, text in enumerate(texts)]
    report = SimpleNamespace(langs=["zh", "en"], title_blocks=[], contents_titles=["目录", "Contents"])
    story = contents_flowables(report, make_styles(), entries)
    hang_long_lines(story[-1], page_pair)
    pdf = tmp_path / "contents.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                      bottomMargin=MARGIN).build(story)
    words = [w for page in read_pages(pdf) for w in page.words]
    right = A4[0] - MARGIN - 6   # the frame's padding
    assert max(w.x1 for w in words) <= right + 0.5
    numbers = [w for w in words if w.text in ("987", "345")]
    assert len(numbers) == len(entries) and all(w.x1 > right - 1 and w.size > 9 for w in numbers)


def test_a_narrow_justified_chinese_column_spaces_no_latin_word(books, tmp_path, font_cache):
    """In the parallel layout, and in a column of any width: the space a justified line
    spreads goes between Chinese characters and around words, not between letters."""
    book = " ".join(pages(books["parallel.pdf"]))
    assert "PocketFlow" in book and "X-DeepLearning" in book and "P o c" not in book
    from reportlab.pdfgen.canvas import Canvas

    from builder.cache import Cache
    from builder.fonts import prepare_pdf_fonts
    from builder.writers.pdf.text import TextParagraph, make_styles, register_fonts, text_markup
    register_fonts(prepare_pdf_fonts(set(LATIN), Cache(font_cache)))
    style = make_styles()["body", "zh"]
    pdf, left = tmp_path / "column.pdf", 72
    canvas = Canvas(str(pdf))
    for width in range(150, 260, 10):
        para = TextParagraph(text_markup(LATIN * 3), style)
        _, height = para.wrap(width, 1000)
        para.drawOn(canvas, left, 800 - height)
        canvas.showPage()
    canvas.save()
    for page, width in zip(read_pages(pdf), range(150, 260, 10)):
        text = page.text()
        assert text.count("PocketFlow") == 3 and text.count("X-DeepLearning") == 3, (width, text)
        lines = page.lines()
        assert all(abs(line[-1].x1 - (left + width)) < 1 for line in lines[:-1]), width   # still justified


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_extract_printed_both_sides_in_grey_with_crop_marks(books, layout):
    pdf = books[f"{layout}-extract.pdf"]
    text = pages(pdf)
    reader = PdfReader(pdf)
    assert "/TrimBox" in reader.pages[0] and not pages(pdf)[1].strip()   # duplex: the chapter on a right-hand page
    assert "二、高校" in text[0] and "II. Universities" in text[0] and "Test Institute" in text[0]
    body = " ".join(text[1:])
    assert "图 2-1 地区" in body and "Figure 2-1 Regions" in body   # the full report's numbers
    # Its contents give the pages the chapter has in the full report (printed both sides), as its labels do.
    listed = re.search(r"二、高校 · II\. Universities[ .]+(\d+)(?: · (\d+))?", text[0]).groups()
    starts = [reader.page_labels[i] for i, page in enumerate(text) if "共有高校" in page or "There are 109" in page]
    assert [n for n in listed if n] == list(dict.fromkeys(starts)) and "1" not in starts


# ---- the DOCX --------------------------------------------------------------------------

def test_the_parallel_docx_holds_the_pairs_as_table_rows(books):
    from docx import Document
    doc = Document(books["parallel.docx"])
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    assert ["一、企业", "I. Enterprises"] in rows and ["（一）数量", "1.1 Numbers"] in rows
    pair = next(row for row in rows if row[0].startswith("2019 年共有企业"))
    assert pair[1].startswith("In 2019 there were")
    assert not any("w:val=\"single\"" in table._tbl.xml.split("<w:tr")[0] for table in doc.tables[:1])
    with zipfile.ZipFile(books["parallel.docx"]) as z:
        notes = z.read("word/footnotes.xml").decode()
    assert "企业按三条标准筛选" in notes and "Enterprises are selected on three criteria" in notes
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("一、企业 · I. Enterprises\t") for t in texts)   # the contents' paired line, its page
    assert sum(t == "Mini Report 2020" for t in texts) == 1


def test_the_sequential_docx_has_two_parts(books):
    from docx import Document
    texts = [p.text for p in Document(books["sequential.docx"]).paragraphs]
    assert texts.index("中文版") < texts.index("一、企业") < texts.index("English edition") < texts.index("I. Enterprises")
    assert any(t.startswith("一、企业 · I. Enterprises\t") for t in texts)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_docx_contents_are_collected_from_paired_entries(books, layout):
    """Word's Update Field rebuilds the contents from the TOC field's sources: TC fields
    of the paired lines (one per pair, in the Chinese heading), not the headings."""
    from docx import Document
    doc = Document(books[f"{layout}.docx"])
    xml = doc.element.xml
    toc = re.search(r"<w:instrText[^>]*> (TOC [^<]*) </w:instrText>", xml)[1]
    assert "\\f C" in toc and "\\o" not in toc
    marked = re.findall(r'<w:instrText[^>]*> TC "(.*?)" \\f C \\l (\d) </w:instrText>', xml)
    listed = [(p.text.split("\t")[0], p.style.name[-1]) for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert marked == listed and (f"（二）{LONG[0]}{SEP}1.2 {LONG[1]}", "2") in marked
    from docx.oxml.ns import qn
    with_tc = ["".join(t.text for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
               if " TC " in "".join(t.text for t in p.iter(qn("w:instrText")))]
    assert with_tc == [text.split(SEP)[0] for text, _ in marked]   # in the Chinese heading of each pair
    # A wrapped line goes on under the text after the number, as in the PDF, also once updated.
    assert all(doc.styles[f"toc {level}"].paragraph_format.first_line_indent < 0 for level in (1, 2))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_docx_contents_keep_their_paired_lines_once_updated(books, layout):
    if f"{layout}.docx.updated.pdf" not in books:
        pytest.skip("needs LibreOffice and its Python bridge (python3-uno)")
    updated = pages(books[f"{layout}.docx.updated.pdf"])
    contents = next(page for page in updated if "目录 / Contents" in page)
    for zh, en in CONTENTS:
        assert re.sub(r"\s", "", zh + SEP + en) in re.sub(r"\s", "", contents), zh
    assert not re.search(r"(?<!· )I\. Enterprises", contents)   # no line of one language


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_docx_as_word_processors_print_it(books, layout):
    if f"{layout}.docx.pdf" not in books:
        pytest.skip("needs LibreOffice (`make test` installs it)")
    text = pages(books[f"{layout}.docx.pdf"])
    assert sum("Test Institute" in page for page in text) == 1
    same = [page for page in text if "2019 年共有企业" in page and "In 2019 there were" in page]
    assert bool(same) == (layout == "parallel")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_figures_tables_and_notes_numbered_as_in_the_single_language_editions(books, mini_report, layout):
    book = " ".join(pages(books[f"{layout}.pdf"]))
    for lang, pattern in (("zh", r"[图表] \d+-\d+"), ("en", r"(?:Figure|Table) \d+-\d+")):
        single = " ".join(pages(next(mini_report.output.glob(f"*-{lang}.pdf"))))
        assert set(re.findall(pattern, book)) == set(re.findall(pattern, single)) != set()
    notes = {"企业按三条标准筛选": "1", "Enterprises are selected on three criteria": "1",
             "高校按教育部名单统计": "1", "Universities as listed by the Ministry of Education": "1"}
    for note, number in notes.items():
        assert re.search(rf"(?<!\d){number} {note}", book), note


def test_an_unknown_layout_is_refused(make_project):
    from builder.build import build
    from builder.errors import ReportError
    from tests.reading import context
    with pytest.raises(ReportError, match="unknown layout 'paracol' \\(choose from parallel, sequential\\)"):
        build(context(make_project("mini")), ["bilingual"], ["pdf"], layout="paracol")


class _Rows:
    """A reportlab document of pairs (parallel.PairRow) with the float queue of the real
    one (floats.py), recording where each row's part landed: (name, page, lines per column)."""

    def __init__(self, rows):
        import io

        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        from builder.writers.pdf.floats import FloatQueue, FlushFloats, KeepWithStart
        from builder.writers.pdf.parallel import PairRow

        queue, placed = FloatQueue(), []

        class Doc(BaseDocTemplate):
            def filterFlowables(self, flowables):
                queue.filter(self, flowables)

            def afterFlowable(self, flowable):
                if isinstance(flowable, PairRow):
                    cells = [c.flowables[0] for c in flowable.cells if c.flowables]
                    name = getattr(cells[0], "name", "") or cells[0].style.name
                    lines = [len(f.blPara.lines) if hasattr(f, "blPara") else 0 for f in cells]
                    placed.append((name, self.page, lines, len(flowable.cells)))

        doc = Doc(io.BytesIO(), pagesize=(400, 400), keepTogetherClass=KeepWithStart)
        doc.addPageTemplates([PageTemplate("p", [Frame(0, 0, 400, 400, id="f")])])
        doc.build([*rows, FlushFloats()])
        self.placed = placed


class _NoNotes:
    def height_with(self, notes, width):
        return 0.0


def _text_row(name: str, zh_lines: int, en_lines: int):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph

    from builder.writers.pdf.parallel import Cell, PairRow
    style = ParagraphStyle(name, fontSize=10, leading=12, allowWidows=0, allowOrphans=0)
    cells = [Cell([RLParagraph(" ".join(["word"] * 6 * n), style)]) for n in (zh_lines, en_lines)]
    return PairRow(cells, _NoNotes(), page_h=400)


def test_parallel_a_figure_row_waits_while_the_text_rows_fill_the_page():
    from reportlab.platypus import Spacer

    from builder.writers.pdf.floats import mark_float
    from builder.writers.pdf.parallel import Cell, PairRow
    figure = Spacer(380, 300)
    figure.name = "figure"
    rows = [_text_row("first", 20, 18), mark_float(PairRow([Cell([figure])], _NoNotes(), page_h=400)),
            _text_row("after", 6, 5), _text_row("more", 4, 4)]
    pages = {}
    for name, page, _, _ in _Rows(rows).placed:
        pages.setdefault(name, page)
    assert pages == {"first": 1, "after": 1, "more": 1, "figure": 2}


@pytest.mark.parametrize("room", range(1, 9))
def test_parallel_a_row_split_over_the_page_leaves_no_line_of_a_column_alone(room):
    """With `room` lines left on the page, a row of 5 zh lines and 3 en lines: each column
    moves at least two lines, keeps at least two, and both columns start on one page."""
    from reportlab.platypus import Spacer
    filler = Spacer(10, 400 - room * 12 - 0.5)
    placed = _Rows([filler, _text_row("row", 5, 3), _text_row("next", 4, 2)]).placed
    row = [(page, lines) for name, page, lines, _ in placed if name == "row"]
    assert all(n >= 2 for _, lines in row for n in lines), row
    assert len(row[0][1]) == 2, row   # both columns begin on the row's first page
    assert sum(row[0][1]) + sum(n for _, lines in row[1:] for n in lines) == 8, row
