"""The [theme] table of content/report.toml: every key with its default, documented in the
README from the one schema (model.Theme), one-line errors naming the line, and a themed
build whose PDF and DOCX show each choice."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.errors import ContentError
from builder.model import Theme
from builder.readers.manifest import read_manifest
from builder.readers.theme import readme_table
from tests.background import REPORT, warm_up
from tests.projects import copy_root

README = Path(__file__).resolve().parent.parent / "README.md"
MANIFEST = "content/report.toml"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def set_theme(root: Path, lines: str) -> None:
    """Replace the [theme] table of the root's report.toml (before its [[chapters]])."""
    path = root / MANIFEST
    text = path.read_text(encoding="utf-8")
    start, end = text.index("[theme]"), text.index("[[chapters]]")
    path.write_text(text[:start] + "[theme]\n" + lines + "\n" + text[end:], encoding="utf-8")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'{k} = "{v}"' for k, v in value.items()) + " }"
    return f'"{value}"'


def test_every_key_read_with_its_default(make_project):
    root = make_project("mini")
    set_theme(root, "")
    assert read_manifest(root).theme == Theme()
    set_theme(root, "\n".join(f"{name} = {toml_value(default)}" for name, _, default, _ in Theme.keys()))
    assert read_manifest(root).theme == Theme()
    text = (root / MANIFEST).read_text(encoding="utf-8")
    (root / MANIFEST).write_text(re.sub(r"(?s)\n# How the report looks.*?(?=\[\[chapters\]\])", "\n", text))
    assert read_manifest(root).theme == Theme()


def test_readme_lists_every_key_from_the_schema():
    table = readme_table()
    assert all(f"`{name}`" in table for name, *_ in Theme.keys())
    assert table in README.read_text(encoding="utf-8"), "README's theme keys: paste builder.readers.theme.readme_table()"


@pytest.mark.parametrize("lines, message", [
    ('accent_color = "#112233"\npaper = 3', "theme paper: must be a string"),
    ('cover_bands = true\nchapter_numbering = "A."', "theme chapter_numbering: 'A.' is not a numbering"),
    ('accent_color = "navy"', "theme accent_color: 'navy' is not a colour"),
    ('latin_font = "../outside.ttf"', "theme latin_font: '../outside.ttf' is outside the report folder"),
    ('cjk_font = "No Such Family SC"', "theme cjk_font: no font family 'No Such Family SC'"),
    ('reference_docx = "styles.docx"', "theme reference_docx: no file 'styles.docx' in the report folder"),
    ('extract_label = { zh = "{{ edition }}", en = "x" }', "theme extract_label: the only placeholder"),
    (f'running_header = {{ zh = "页", en = "{"x" * 101}" }}', "theme running_header: 101 characters: at most 100"),
])
def test_wrong_values_name_their_line(make_project, lines, message):
    root = make_project("mini")
    set_theme(root, lines)
    with pytest.raises(ContentError) as err:
        read_manifest(root)
    line = (root / MANIFEST).read_text(encoding="utf-8").splitlines().index(lines.splitlines()[-1]) + 1
    assert str(err.value).startswith(f"{MANIFEST}:{line}: {message}"), str(err.value)


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([REPORT, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command, lines, line_text, message", [
    ("check", 'paper = "A4"\ncolour = "red"', 'colour = "red"', "unknown key 'colour' in [theme]"),
    ("build", 'cover_bands = "yes"', 'cover_bands = "yes"', "theme cover_bands: must be true or false"),
])
def test_unknown_key_and_wrong_type_are_one_line_errors(make_project, command, lines, line_text, message):
    root = make_project("mini")
    set_theme(root, lines)
    number = (root / MANIFEST).read_text(encoding="utf-8").splitlines().index(line_text) + 1
    extra = ["-e", "zh", "-f", "pdf", "-o", str(root / "out")] if command == "build" else []
    result = run(command, "--project", str(root), *extra)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {MANIFEST}:{number}: {message}"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def pdf_text(path: Path, first: int, last: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def themed_build(background, folder: Path) -> tuple[Path, Path]:
    """A job: the mini report in red, Letter, DejaVu Sans by file for Latin text, decimal
    numbering, no institute, front matter or date, Word styles from a reference docx:
    its Chinese PDF and DOCX, built once, in the background."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    root = copy_root("mini", folder / "p")
    warm_up(background.root("mini"), root)
    (root / "fonts").mkdir()
    shutil.copy(DEJAVU, root / "fonts")
    reference = Document()
    heading = reference.styles["Heading 1"]
    heading.font.size, heading.font.color.rgb = Pt(30), RGBColor(0x12, 0x34, 0x56)
    reference.save(root / "styles.docx")
    shutil.rmtree(root / "content" / "front")
    text = (root / MANIFEST).read_text(encoding="utf-8").replace('front = "front"\n', "")
    (root / MANIFEST).write_text(re.sub(r"(?s)\[institute\].*?\n\n", "", text), encoding="utf-8")
    set_theme(root, "\n".join([
        'paper = "Letter"', 'accent_color = "#aa0000"', 'cover_bands = true', 'band_color = "#cc0000"',
        'cover_date = false', 'latin_font = "fonts/DejaVuSans.ttf"', 'docx_latin_font = "DejaVu Sans"',
        'chapter_numbering = "1."',
        'section_numbering = { zh = "1.1", en = "（一）" }', 'reference_docx = "styles.docx"',
        'running_header = { zh = "页眉文字", en = "Header" }',
        'extract_label = { zh = "数据年份 {{ year }}", en = "Data of {{ year }}" }']))
    out = root / "out"
    result = background.run([REPORT, "build", "--project", str(root), "-e", "zh", "-o", str(out), "-j", "1"])
    assert result.returncode == 0, result.stdout
    return out / "report-2019-zh.pdf", out / "report-2019-zh.docx"


BACKGROUND = [themed_build]


@pytest.fixture(scope="module")
def themed(background) -> tuple[Path, Path]:
    return background(themed_build)


def test_themed_pdf(themed):
    pdf, _ = themed
    cover, contents = pdf_text(pdf, 1, 1), pdf_text(pdf, 2, 2)
    assert "迷你报告" in cover and "测试研究院" not in cover and "2020" not in cover.replace("迷你报告 2020", "")
    assert "致谢" not in contents and "1. 企业" in contents and "一、" not in contents
    chapter = pdf_text(pdf, 3, 3)
    assert "页眉文字" in chapter and "1.1 数量" in chapter
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and "LiberationSerif" not in fonts


def test_themed_cover_colours(themed, tmp_path):
    from PIL import Image
    pdf, _ = themed
    subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "c")], check=True)
    image = Image.open(next(tmp_path.glob("c*.png"))).convert("RGB")
    assert image.getpixel((image.width // 2, 3)) == (0xcc, 0, 0)   # the top band


def test_themed_docx(themed):
    from docx import Document
    from docx.shared import Pt
    from docx.oxml.ns import qn

    doc = Document(themed[1])
    heading = doc.styles["Heading 1"]
    assert heading.font.size == Pt(30) and str(heading.font.color.rgb) == "123456"   # the reference's
    assert doc.styles["Source"] is not None   # one the reference lacks: the builder's
    fonts = doc.styles["Source"].element.rPr.find(qn("w:rFonts"))   # the builder's, in the theme's font
    assert fonts.get(qn("w:ascii")) == "DejaVu Sans"
    texts = [p.text for p in doc.paragraphs]
    assert "测试研究院" not in texts and "1. 企业" in texts and "1.1 数量" in texts
    assert "页眉文字" in [p.text for s in doc.sections for p in s.header.paragraphs]


def test_extract_label_and_numbering_follow_the_theme(tmp_path):
    import dataclasses
    from builder.transforms.extract import make_extract
    from builder.transforms.numbering import number_report
    from tests.sample_model import sample_report

    report = sample_report(tmp_path, "bilingual")
    report.theme = Theme(extract_label={"zh": "数据 {{ year }}", "en": "Data of {{year}}"},
                         chapter_numbering={"zh": "I.", "en": "none"}, section_numbering={"zh": "（一）", "en": "1."})
    report.covers = [dataclasses.replace(c, date="") for c in report.covers]   # cover_date = false
    number_report(report)
    assert [c.heading.full_text for c in report.chapters] == ["I. 前言和梗概", "Introduction and Summary"]
    blocks = make_extract(report, ["01-introduction"]).title_blocks
    assert [b.edition for b in blocks] == ["数据 2019 · 中英双语版", "Data of 2019 · Bilingual edition"]


def test_a_front_folder_named_must_exist(make_project):
    root = make_project("mini")
    shutil.rmtree(root / "content" / "front")
    with pytest.raises(ContentError, match=rf"^{MANIFEST}:2: front: no folder content/front"):
        read_manifest(root)
