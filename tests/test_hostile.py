"""Input written by a careless or hostile user (issue 16): placeholders that would run for
hours, fill the memory or crash the template engine end in one error line naming the file
and line, quickly."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.pool import WORKER_LOST

REPORT = str(Path(sys.executable).parent / "report")

ALPHA_EN = "content/chapters/01-alpha/en.md"

# (case id, text appended to the chapter as its line 17, start of the error after "file:line: ")
TEMPLATES = [
    ("loops without end", "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     "placeholder error: loops run more than 1,000,000 steps"),
    ("a huge range", "{{ range(10**9) | list | length }}", "placeholder error: Range too big"),
    ("a huge power", "{{ 9 ** 100000 }}", "placeholder error: 9 ** 100000 is too large a number"),
    ("a power of powers", "{{ 9 ** (9 ** 9) }}", "placeholder error: 9 ** 387420489 is too large"),
    ("a huge repetition", "{{ 'ab' * 10**8 }}", "placeholder error: repeats text or a list more than"),
    ("a list repeated", "{{ ([1] * 10**7) | length }}", "placeholder error: repeats text or a list more than"),
    ("too much output", "{% for a in range(200) %}{{ 'x' * 90000 }}{% endfor %}",
     "placeholder error: the file renders to more than 10,000,000 characters"),
    ("an include", "{% include 'secret.txt' %}", "placeholder error: no loader for this environment"),
    ("a macro calling itself", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
     "placeholders nest too deeply (a macro calling itself?)"),
    ("a bad year", "{{ firms.at('2019x') }}", "placeholder error:"),
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory, make_project):
    """A copy of the mini root that `report check` has read once (its data are in .cache)."""
    root = make_project("mini", tmp_path_factory.mktemp("checked") / "p")
    assert CliRunner().invoke(main, ["check", "--project", str(root)]).exit_code == 0
    return root


@pytest.fixture
def project(checked, tmp_path):
    """A fresh copy of `checked` to edit: each case reads only what it changed."""
    return shutil.copytree(checked, tmp_path / "p", symlinks=True)


def check(project) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize("case, text, expected", TEMPLATES, ids=[c[0] for c in TEMPLATES])
def test_placeholders_that_would_never_finish_are_stopped(project, case, text, expected):
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write(f"\n{text}\n")
    started = time.monotonic()
    errors = check(project)
    assert time.monotonic() - started < 20
    assert errors[0].startswith(f"{ALPHA_EN}:17: {expected}"), errors


@pytest.mark.parametrize("block, end, depth", [("if firms.number > {i}", "endif", 200), ("for a{i} in [1]", "endfor", 25)])
def test_blocks_nested_too_deeply_are_named_at_the_line(project, block, end, depth):
    """Python compiles at most 20 loops, and about 100 ifs, inside each other."""
    lines = ["{% " + block.format(i=i) + " %}" for i in range(depth)] + ["x"] + ["{% " + end + " %}"] * depth
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(lines) + "\n")
    errors = check(project)
    last = 16 + depth   # the innermost block opens there
    assert errors[0] == f"{ALPHA_EN}:{last}: placeholders nest too deeply ({depth} blocks inside each other)", errors


def test_text_a_loop_repeats_is_limited_too(project):
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write("\n{% for a in range(100000) %}" + "x" * 101 + "{% endfor %}\n")
    errors = check(project)
    assert errors[0].startswith(f"{ALPHA_EN}:17: placeholder error: the file renders to more than"), errors


def test_loops_within_the_limits_still_print(project):
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write("\n{% for a in range(3) %}{% for b in range(2) %}.{% endfor %}{% endfor %} {{ 2 ** 10 }} {{ 'ab' * 3 }}\n")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0, result.output


def test_a_killed_worker_is_one_error_line(make_project):
    """A build process killed (the out-of-memory killer, say) while the build runs."""
    project = make_project("mini", warm=False)   # cold: the workers have seconds of work
    out = project / "out"
    build = subprocess.Popen([REPORT, "build", "--project", str(project), "-o", str(out), "-j", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, workers = time.monotonic() + 30, []
    while not workers and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
        workers = build_workers(build.pid)
    assert workers, "no worker started"
    os.kill(int(workers[0]), signal.SIGKILL)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("error: ")] == [f"error: {WORKER_LOST}"]
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def build_workers(pid: int) -> list[str]:
    """The pool's workers: the children of the build's fork server."""
    def children(parent: str, pattern: str = ".") -> list[str]:
        return subprocess.run(["pgrep", "-P", parent, "-f", pattern], capture_output=True, text=True).stdout.split()
    return [worker for server in children(str(pid), "forkserver") for worker in children(server)]


def test_damaged_or_planted_charts_and_fonts_are_made_again(rebuilt_root, mini_report):
    """Half-written charts and font subsets (a full disk, a copy cut short) and ones planted
    in a received folder are not used: they are made again, and the files are those of a
    clean build."""
    project = rebuilt_root("mini")
    font = sorted((project / ".cache" / "fonts").glob("*-bold.ttf"))[0]   # one face: converting costs seconds
    font.write_bytes(font.read_bytes()[:1000])
    charts = project / ".cache" / "charts"
    drawn = sorted(p for p in charts.iterdir() if p.suffix in (".json", ".png"))
    assert drawn
    for i, path in enumerate(drawn):
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2] if i % 2 else data.replace(b" l\\n", b" l\\n900 w\\n", 3))
    shutil.rmtree(project / ".cache" / "pdf-parts")
    out = project / "out"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "zh", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    for name in ("report-2019-zh.pdf", "report-2019-zh.docx"):
        assert (out / name).read_bytes() == (mini_report.output / name).read_bytes(), name


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("year", ["0", "202", "2035"])
def test_a_year_without_data_is_refused(project, command, year):
    out = project / "out"
    args = [command, "--project", str(project), "--year", year] + (["-o", str(out)] if command == "build" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: data/editions.csv: no data year {year}: data/editions.csv has 2018, 2019 "
                      "(`report data new-year 2020` adds the next)"]
    assert not out.exists()


# (case id, text appended to the chapter from its line 17, line and start of the error)
LOST = [
    ("an unclosed figure fence", "```{figure} firms_years\n\n## A heading\n\nText.\n",
     "17: ```{figure} firms_years``` holds no text: close it with ``` on the next line"),
    ("quotes nested 22 deep", "".join(">" * i + " x\n" for i in range(1, 23)), "21: lists and quotes nest more than 4 deep"),
    ("lists nested 22 deep", "".join("  " * i + "- x\n" for i in range(22)), "21: lists and quotes nest more than 4 deep"),
    ("a right-to-left override", "abc\u202edef\n", "17: control character U+202E in text; remove it"),
    ("a right-to-left isolate", "abc\u2067def\u2069\n", "17: control character U+2067 in text; remove it"),
    ("a bell", "abc\x07def\n", "17: control character U+0007 in text; remove it"),
]


@pytest.mark.parametrize("case, text, expected", LOST, ids=[c[0] for c in LOST])
def test_nothing_is_dropped_silently(project, case, text, expected):
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write("\n" + text)
    errors = check(project)
    assert errors[0].startswith(f"{ALPHA_EN}:{expected}"), errors


_opened: list[str] = []
_watching = False


def _record_opens(event, args):
    if _watching and event == "open" and isinstance(args[0], (str, Path)):
        _opened.append(str(args[0]))


sys.addaudithook(_record_opens)   # (audit hooks stay for the process: this one records only when asked)


@pytest.mark.parametrize("link", ["content/chapters/01-alpha/en.md", "content/chapters/01-alpha/figures.toml",
                                  "data/indicators/main.csv", "content/front/en.md"])
def test_a_file_linked_from_outside_is_refused_unread(project, tmp_path, link):
    """A report folder received from someone else may link to any file on the machine:
    nothing outside the folder is opened, not even to compute a cache key."""
    global _watching
    outside = tmp_path / "secret" / Path(link).name
    outside.parent.mkdir()
    outside.write_bytes((project / link).read_bytes())
    (project / link).unlink()
    (project / link).symlink_to(outside)
    _opened.clear()
    _watching = True
    try:
        errors = check(project)
    finally:
        _watching = False
    assert errors[0] == f"{link}: resolves to a file outside the report folder; copy it in instead", errors
    assert not [p for p in _opened if Path(p).resolve() == outside.resolve()]


@pytest.mark.parametrize("notes", ["^[" + "a very long note " * 3000 + "]", "".join(f"^[note {i}]" for i in range(100))],
                         ids=["a note longer than a page", "a hundred notes in one paragraph"])
def test_footnotes_taller_than_a_page_are_one_error(make_project, notes):
    project = make_project("mini")
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write(f"\nText{notes}.\n")
    out = project / "out"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "en", "-f", "pdf", "-o", str(out), "-j", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {ALPHA_EN}:17: the paragraph “Text"), errors
    assert errors[0].endswith("with its footnotes is taller than a page: shorten the notes or split the paragraph")
    assert not out.exists() or not list(out.iterdir())   # found while writing: nothing written


@pytest.mark.parametrize("rel", ["content/chapters/01-alpha/zh.md", "content/chapters/01-alpha/figures.toml"])
def test_a_file_in_another_encoding_is_one_error_in_every_command(make_project, rel):
    """Saved as GBK, as a Chinese Windows editor may: `check` and `translations` read the
    chapters for more than the build does, and must say the same, once."""
    project = make_project("mini")
    path = project / rel
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    commands = [["check"], ["build", "-o", str(project / "out"), "-j", "1"]] + [["translations"]] * rel.endswith(".md")
    for command in commands:
        result = CliRunner().invoke(main, [*command, "--project", str(project)])
        assert result.exit_code == 1 and "Traceback" not in result.output, (command, result.output)
        errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and errors[0].startswith(f"error: {rel}:{4 if rel.endswith('.toml') else 1}: not UTF-8 text (byte "), \
            (command, errors)
    assert not (project / "out").exists()


def test_a_thousand_notes_in_one_paragraph_are_refused_before_layout(make_project):
    """Laying them out would take a minute before failing: `check` refuses them at once."""
    project = make_project("mini")
    with open(project / ALPHA_EN, "a", encoding="utf-8") as f:
        f.write("\nText" + "".join(f"^[note {i}]" for i in range(1000)) + ".\n")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {ALPHA_EN}:17: paragraph with 1000 footnotes: no page holds more than 100 "
                      "under one paragraph; split it"]


def test_a_huge_data_file_is_refused_at_once(project):
    path = project / "data" / "indicators" / "main.csv"
    header, first = path.read_text(encoding="utf-8").splitlines()[:2]
    with open(path, "a", encoding="utf-8") as f:
        for i in range(25_000):
            f.write(first.replace(first.split(",")[0], f"x{i}", 1) + "\n")
    started = time.monotonic()
    errors = check(project)
    assert time.monotonic() - started < 10
    assert errors[0].startswith("data/indicators/main.csv: file of ") and "the limit is 1,000,000" in errors[0], errors


def test_a_cover_line_too_long_for_its_place_is_refused(project):
    path = project / "content" / "report.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[subtitle]")
    line = text.count("\n", 0, start) + 1
    path.write_text(text[:start] + '[subtitle]\nzh = "' + "很长" * 85_000 + '"\nen = "Short"\n\n'
                    + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    errors = check(project)
    assert errors[0] == (f"content/report.toml:{line}: subtitle of 170,000 characters: the limit is 250 (it must fit "
                         "its place on the cover and in the headers)"), errors


def test_dollar_signs_in_chart_labels_are_text(make_project):
    """matplotlib would read "$…$" as mathematics (and fail on a broken formula)."""
    project = make_project("mini")
    path = project / "data" / "indicators" / "main.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Beijing,", r",Beijing $\frac{1}{$ US$,"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "en", "-f", "pdf",
                                       "-o", str(project / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output


def test_unprintable_characters_are_the_control_direction_surrogate_and_non_characters():
    """chars.UNPRINTABLE is a character class for speed; it must say what the categories say."""
    import unicodedata

    from builder.chars import DIRECTION_CONTROLS, unprintable
    for code in [*range(0x10000), *(p << 16 | end for p in range(1, 17) for end in (0, 0xFFFD, 0xFFFE, 0xFFFF))]:
        ch = chr(code)
        expected = ch not in "\n\t" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in DIRECTION_CONTROLS
                                         or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)
        assert unprintable(ch) == expected, hex(code)
