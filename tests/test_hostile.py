"""Input written by a careless or hostile user (issue 16): placeholders that would run for
hours, fill the memory or crash the template engine end in one error line naming the file
and line, quickly."""
import os
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


@pytest.fixture
def project(make_project):
    return make_project("mini")


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
    project = make_project("mini")   # cold: the workers have seconds of work
    out = project / "out"
    build = subprocess.Popen([REPORT, "build", "--project", str(project), "-o", str(out), "-j", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, workers = time.monotonic() + 30, []
    while not workers and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
        workers = subprocess.run(["pgrep", "-P", str(build.pid), "-f", "spawn_main"],
                                 capture_output=True, text=True).stdout.split()
    assert workers, "no worker started"
    os.kill(int(workers[0]), signal.SIGKILL)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("error: ")] == [f"error: {WORKER_LOST}"]
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]
