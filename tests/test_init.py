"""Where the report folder is (found from the current folder upwards, or --project), and
`report init DIR`: a new report that builds at once, run as a user runs it, from the
folder itself. The scaffold is built once per session, in the background."""
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.projects import REPO, copy_root

REPORT = str(Path(sys.executable).parent / "report")
TEMPLATE = REPO / "builder" / "scaffold" / "template"
EDITIONS = ("zh", "en", "bilingual")
needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                   reason="needs poppler-utils (`make test` installs it)")


def report(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([REPORT, *map(str, args)], cwd=cwd, capture_output=True, text=True)


def one_line_error(result, expected: str) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], result.stderr
    return errors[0]


def init_and_build(background, folder: Path) -> dict:
    """A job: `report init lib` in an empty folder, then `report build` and `report check`
    run inside it, as the README tells a new user."""
    folder.mkdir(parents=True)
    init = background.run([REPORT, "init", "lib"], cwd=folder)
    assert init.returncode == 0, init.stdout
    root = folder / "lib"
    build = background.run([REPORT, "build", "-j", "1"], cwd=root)
    check = background.run([REPORT, "check"], cwd=root / "content" / "chapters")
    return {"root": root, "init": init, "build": build, "check": check}


BACKGROUND = [init_and_build]


@pytest.fixture(scope="module")
def scaffold(background) -> dict:
    return background(init_and_build)


# ---- finding the report folder ---------------------------------------------------------

def test_found_from_a_nested_subfolder(tmp_path, monkeypatch):
    root = copy_root("mini", tmp_path / "mini")
    monkeypatch.chdir(root / "content" / "chapters" / "01-alpha")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "OK: no errors" in result.output, result.output
    result = CliRunner().invoke(main, ["data", "diff", "2018", "2019"])
    assert result.exit_code == 0 and "share_bj" in result.output, result.output


def test_project_option_overrides_the_current_folder(tmp_path, monkeypatch):
    here = copy_root("mini", tmp_path / "here")
    other = copy_root("mini", tmp_path / "other")
    chapter = other / "content" / "chapters" / "02-beta" / "en.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n{{ nope }}\n", encoding="utf-8")
    monkeypatch.chdir(here / "data")
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    result = CliRunner().invoke(main, ["check", "--project", str(other)])
    assert result.exit_code == 1 and "content/chapters/02-beta/en.md" in result.output, result.output


@pytest.mark.parametrize("command", [["build"], ["check"], ["watch"], ["data", "new-year", "2024"],
                                     ["data", "diff", "2022", "2023"], ["data", "rehearse", "2024"]])
def test_outside_a_report_folder_one_line_error(tmp_path, command):
    (tmp_path / "content").mkdir()   # a content/ without report.toml is not a report folder
    result = report(*command, cwd=tmp_path / "content")
    line = one_line_error(result, "not inside a report folder")
    assert "--project" in line and "report init" in line
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["content"]   # nothing written


def test_help_texts_name_no_particular_report():
    for command in (["--help"], ["build", "--help"], ["check", "--help"], ["watch", "--help"],
                    ["init", "--help"], ["data", "--help"], ["data", "new-year", "--help"],
                    ["data", "diff", "--help"], ["data", "rehearse", "--help"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0
        for word in ("2019", "2020", "人工智能", "Artificial Intelligence", "this repository"):
            assert word not in result.output, (command, word)


def test_builder_names_nothing_of_the_bundled_report():
    """The title, institute, author and chapter ids of the repository's report live in its
    content/, never in builder/."""
    import tomllib
    manifest = tomllib.loads((REPO / "content" / "report.toml").read_text(encoding="utf-8"))
    names = [manifest["author"], manifest["institute"]["zh"], manifest["institute"]["en"], "人工智能",
             "Artificial Intelligence"] + [c["id"] for c in manifest["chapters"]]
    for path in sorted((REPO / "builder").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md", ".toml", ".csv"):
            text = path.read_text(encoding="utf-8")
            found = [name for name in names if name in text]
            assert not found, f"{path.relative_to(REPO)} names {found}"


# ---- report init -----------------------------------------------------------------------

def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    one_line_error(report("init", tmp_path, cwd=tmp_path), "not empty")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    one_line_error(report("init", "notes.txt", cwd=tmp_path), "is a file")


def test_init_writes_only_inside_the_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    result = report("init", "empty/new/lib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(tmp_path / "empty/new/lib")]
    assert outside == []
    written = sorted(p.relative_to(tmp_path / "empty/new/lib") for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(TEMPLATE) for p in TEMPLATE.rglob("*") if p.is_file())


def test_scaffold_types_no_number_in_its_prose():
    """Every number of the example's chapters is a placeholder, in both languages."""
    for path in sorted((TEMPLATE / "content").rglob("*.md")):
        text = re.sub(r"\{\{.*?\}\}|\{#.*?#\}|```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        typed = re.findall(r".{0,20}\d.{0,20}", text)
        assert not typed, f"{path.relative_to(TEMPLATE)}: {typed}"


def test_scaffold_has_two_chapters_in_both_languages():
    chapters = sorted((TEMPLATE / "content" / "chapters").iterdir())
    assert len(chapters) == 2
    for chapter in chapters:
        assert (chapter / "zh.md").is_file() and (chapter / "en.md").is_file()
    header = (REPO / "tests/roots/mini/data/indicators/main.csv").read_text(encoding="utf-8").splitlines()[0]
    for csv in (TEMPLATE / "data" / "indicators").glob("*.csv"):
        assert csv.read_text(encoding="utf-8").splitlines()[0] == header


def test_scaffold_builds_every_edition_and_format_from_its_folder(scaffold):
    assert scaffold["build"].returncode == 0, scaffold["build"].stdout
    names = sorted(p.name for p in (scaffold["root"] / "output").iterdir())
    year = names[0].split("-")[1]
    assert names == sorted(f"report-{year}-{e}.{f}" for e in EDITIONS for f in ("pdf", "docx"))
    assert "Next: cd lib && report build" in scaffold["init"].stdout


def test_scaffold_checks_ok_without_warnings(scaffold):
    assert scaffold["check"].returncode == 0, scaffold["check"].stdout
    assert "OK: no errors, 0 warning(s)" in scaffold["check"].stdout


# What each language prints: the chart's title, the table's title and a row, the footnote.
PRINTED = {
    "zh": ["公共图书馆分馆数", "各类借阅所占比重", "纸质图书", "分馆指有独立馆舍、定期向公众开放的图书馆。"],
    "en": ["Public library branches", "Loans by kind", "Printed books",
           "A branch is a library with its own premises, open to the public on a regular schedule."],
}
LANGS = {"zh": ["zh"], "en": ["en"], "bilingual": ["zh", "en"]}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_poppler
@pytest.mark.parametrize("edition", EDITIONS)
def test_scaffold_pdf_prints_chart_table_and_footnote(scaffold, edition):
    pdf = next((scaffold["root"] / "output").glob(f"*-{edition}.pdf"))
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for lang in LANGS[edition]:
        for expected in PRINTED[lang]:
            assert squash(expected) in text, (edition, expected)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


@pytest.mark.parametrize("edition", EDITIONS)
def test_scaffold_docx_reads_back(scaffold, edition):
    import docx
    path = next((scaffold["root"] / "output").glob(f"*-{edition}.docx"))
    document = docx.Document(str(path))
    tables = list(document.tables)
    for table in tables:   # and the tables in their cells (the bilingual edition's parallel layout)
        tables += [inner for row in table.rows for cell in row.cells for inner in cell.tables]
    cells = squash(" ".join(c.text for t in tables for row in t.rows for c in row.cells))
    body = squash(" ".join(p.text for p in document.paragraphs)) + cells
    with zipfile.ZipFile(path) as z:
        notes = squash(re.sub(r"<[^>]+>", "", z.read("word/footnotes.xml").decode()))
    for lang in LANGS[edition]:
        chart, table, row, note = map(squash, PRINTED[lang])
        assert chart in body and table in body, edition
        assert row in cells and note in notes, edition
