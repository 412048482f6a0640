"""The command line as a user meets it: one-line errors naming file and line, a
non-zero exit, no traceback, and earlier outputs left as they were."""
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.projects import edit


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_help_shows_examples():
    for command in ("build", "check", "watch"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_check_passes_on_a_good_project(project):
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    assert "OK: no errors" in result.output


def test_build_docx_writes_every_edition_and_summarises(project):
    result = run("build", "--project", project, "-f", "docx", "-o", project / "out", "-j", 1)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project / "out").iterdir())
    assert names == ["report-2019-bilingual.docx", "report-2019-en.docx", "report-2019-zh.docx"]
    assert "Wrote 3 file(s)" in result.output and "KB" in result.output


BAD_INPUTS = [
    ("unknown placeholder", "content/chapters/01-alpha/en.md", "{{ firms }}", "{{ firmz }}",
     "error: content/chapters/01-alpha/en.md:5: unknown placeholder: 'firmz' is undefined"),
    ("csv does not parse", "data/indicators/main.csv", "firms,2017,600", 'firms,2017,"600',
     "error: data/indicators/main.csv"),
    ("bad number", "data/indicators/main.csv", "firms,2017,600", "firms,2017,6O0",
     "error: data/indicators/main.csv:2: column value: '6O0' is not a number"),
    ("unknown figure", "content/chapters/02-beta/en.md", "{figure} regions_bar", "{figure} nope",
     "error: content/chapters/02-beta/en.md:5: no figure 'nope' in content/chapters/02-beta/figures.toml"),
    ("manifest typo", "content/report.toml", 'front = "front"', 'frnt = "front"',
     "error: content/report.toml:2: unknown key 'frnt'"),
]


@pytest.mark.parametrize("case, file, old, new, expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_one_line_and_leaves_outputs(project, mini_report, case, file, old, new, expected):
    out = project / "out"   # the outputs of an earlier build of this folder: the session's
    out.mkdir()
    for docx in mini_report.output.glob("*.docx"):
        shutil.copy2(docx, out / docx.name)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(project / file, old, new)
    result = run("build", "--project", project, "-f", "docx", "-o", out)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors and errors[0].startswith(expected), result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_chapter_file(project):
    (project / "content/chapters/02-beta/zh.md").unlink()
    result = run("build", "--project", project, "-f", "docx", "-o", project / "out", "-j", 1)
    assert result.exit_code == 1
    assert ("error: content/chapters/02-beta/zh.md: missing chapter file (02-beta is listed in "
            "content/report.toml)") in result.output
    assert not (project / "out").exists()


def test_check_lists_every_problem_and_language_mismatch(project):
    edit(project / "content/chapters/01-alpha/zh.md", "{{ funding }}", "{{ fundin }}")
    edit(project / "content/chapters/02-beta/en.md", "{{ universities }}", "109")
    edit(project / "data/indicators/main.csv", "share_bj,2018,40.0", "share_bj,2018,40.0%")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    out = result.output
    assert "data/indicators/main.csv:7: column value: '40.0%' has a percent sign" in out
    # Data errors stop further checks; fix them and the content problems show together.
    edit(project / "data/indicators/main.csv", "40.0%", "40.0")
    out = run("check", "--project", project).output
    assert "content/chapters/01-alpha/zh.md:5: unknown placeholder: 'fundin' is undefined" in out
    assert "content/chapters/02-beta: placeholders in zh.md but not in en.md: universities" in out
    assert "content/chapters/02-beta/en.md:3: 109 is typed in the text; data has it as universities" in out


def test_a_check_from_the_cache_finds_what_a_fresh_one_finds(project):
    """A check keeps what it read of each text (the chapters, as a build does; their
    placeholders, blocks and typed figures): the next check reads only the files edited
    since, and reports exactly what a check with no cache would."""
    def both() -> str:
        kept = run("check", "--project", project)
        shutil.rmtree(project / ".cache")
        fresh = run("check", "--project", project)
        assert (kept.exit_code, kept.output) == (fresh.exit_code, fresh.output)
        return kept.output
    run("check", "--project", project)
    assert "OK: no errors" in both()
    run("check", "--project", project)   # (the cache filled again)
    edit(project / "content/chapters/02-beta/en.md", "{{ universities }}", "109")
    out = both()
    assert "content/chapters/02-beta: placeholders in zh.md but not in en.md: universities" in out
    assert "content/chapters/02-beta/en.md:3: 109 is typed in the text; data has it as universities" in out
    run("check", "--project", project)
    edit(project / "data/indicators/main.csv", "universities,2019,109", "universities,2019,110")
    assert "109 is typed" not in both()   # (what is typed is measured against the data)
    run("check", "--project", project)
    edit(project / "content/chapters/01-alpha/zh.md", "{{ funding }}", "{{ fundin }}")
    assert "content/chapters/01-alpha/zh.md:5: unknown placeholder: 'fundin' is undefined" in both()


def test_chapter_selection_by_number_roman_and_id(project):
    for selector in ("2", "II", "02-beta", "beta"):
        result = run("build", "--project", project, "-e", "en", "-f", "docx", "-c", selector,
                     "-o", project / "out")
        assert result.exit_code == 0, result.output
    assert (project / "out" / "report-2019-en-ch02.docx").exists()
    result = run("build", "--project", project, "-c", "9", "-o", project / "out")
    assert result.exit_code == 1 and "no chapter '9'" in result.output


def test_not_a_report_folder(tmp_path):
    result = run("build", "--project", tmp_path)
    assert result.exit_code == 1 and "not a report folder" in result.output


def test_check_names_figure_table_and_footnote_differences(project):
    edit(project / "content/chapters/01-alpha/en.md", "```{table} regions\n```\n", "")
    edit(project / "content/chapters/01-alpha/en.md", "^[Enterprises are selected on three criteria.]", "")
    out = run("check", "--project", project).output
    assert ("content/chapters/01-alpha: figures/tables differ: zh.md has figure firms_years, table regions, "
            "en.md has figure firms_years") in out
    assert "content/chapters/01-alpha: zh.md has 1 footnote(s), en.md has 0" in out


def test_watch_rebuilds_on_save_and_survives_bad_input(project):
    """`report watch`: a saved edit is rebuilt, an error is printed and watching goes on,
    SIGTERM stops it cleanly."""
    import select
    import signal
    import subprocess
    import sys
    import time
    watcher = subprocess.Popen([str(Path(sys.executable).parent / "report"), "watch", "--project", str(project),
                                "-e", "zh", "-f", "pdf"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def line(stream) -> str:
        assert select.select([stream], [], [], 60)[0], "no output within a minute"
        return stream.readline()
    try:
        assert " wrote report-2019-zh.pdf" in line(watcher.stdout)
        assert line(watcher.stderr).startswith("watching ")
        chapter = project / "content" / "chapters" / "02-beta" / "zh.md"
        text = chapter.read_text(encoding="utf-8")
        time.sleep(0.5)
        chapter.write_text(text + "\n共有高校。\n", encoding="utf-8")
        assert " wrote report-2019-zh.pdf" in line(watcher.stdout)
        pdf = subprocess.run(["pdftotext", str(project / "output" / "report-2019-zh.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert "共有高校。" in pdf
        time.sleep(0.5)
        chapter.write_text(text + "\n{{ nope }}\n", encoding="utf-8")
        assert line(watcher.stderr).startswith("error: content/chapters/02-beta/zh.md:")
        time.sleep(0.5)
        chapter.write_text(text, encoding="utf-8")
        assert " wrote report-2019-zh.pdf" in line(watcher.stdout)
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0 and "Traceback" not in err
