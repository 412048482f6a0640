"""The builder's environment failing under it: a read-only output folder, a full disk,
a missing font, an interrupted build and two builds at once. Each ends in a one-line
error or a correct result, never a traceback, a half-written file or a stray temporary.

`project` is the mini root in the folder the session built it in, every cache warm (see
conftest.rebuilt_root); the earlier outputs a failing build must leave alone are that
session build's (mini_report.output). Its folder is open to all, so that user nobody can
read it too (pytest's own temporary folder is private to its user)."""
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPORT = str(Path(sys.executable).parent / "report")


def earlier_outputs(project: Path, built, pattern: str = "*") -> Path:
    """project/out holding the files `pattern` of an earlier build of `project`: the
    session's build (built.output) of this very folder."""
    out = project / "out"
    out.mkdir()
    for path in built.output.glob(pattern):
        shutil.copy2(path, out / path.name)
    return out


def report(project: Path, *args, **kwargs):
    return subprocess.run([REPORT, "build", "--project", str(project), *args], capture_output=True,
                          text=True, **kwargs)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_one_line_error(result, expected: str):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], result.stderr


def as_unprivileged_user(project: Path, command: list[str], keep_root: list[Path]) -> list[str]:
    """`command` as user nobody when run by root (who writes anywhere), owning the project
    but `keep_root` and what lies under them."""
    if os.geteuid() != 0:
        return command
    for path in [project, *project.rglob("*")]:
        if not any(path.is_relative_to(kept) for kept in keep_root):
            shutil.chown(path, "nobody")
    as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run([*as_nobody, REPORT, "--help"], capture_output=True)
    if probe.returncode != 0:   # e.g. the clone sits in a folder only root may enter
        pytest.skip(f"user nobody cannot run {REPORT}: {probe.stderr.decode().strip()[:120]}")
    return [*as_nobody, *command]


def test_read_only_output_folder_as_unprivileged_user(project, mini_report):
    out = earlier_outputs(project, mini_report, "*.docx")
    before = snapshot(out)
    os.chmod(out, 0o555)
    # -j 1: here Python lives under /root, where nobody cannot start worker interpreters.
    command = [REPORT, "build", "--project", str(project), "-f", "docx", "-o", str(out), "-j", "1"]
    command = as_unprivileged_user(project, command, keep_root=[out])
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, HOME=str(project)))
    assert_one_line_error(result, "cannot write: Permission denied")
    assert snapshot(out) == before


def test_read_only_cache_costs_only_speed_and_says_so(project, mini_report):
    """An edit, so that a chapter is laid out and its charts drawn again, with nowhere to
    keep them: the same file as the session's build, and one warning."""
    cache = project / ".cache"
    shutil.rmtree(cache / "charts")
    out = project / "out"
    out.mkdir()
    for path in [cache, *cache.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    command = [REPORT, "build", "--project", str(project), "-e", "zh", "-f", "pdf", "-o", str(out), "-j", "1"]
    home = project / "home"   # matplotlib's font list, in ~/.cache, copied: not made again
    import matplotlib
    shutil.copytree(matplotlib.get_cachedir(), home / ".cache" / "matplotlib")
    command = as_unprivileged_user(project, command, keep_root=[cache])
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, HOME=str(home)))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and ".cache: Permission denied" in warnings[0], result.stderr
    assert snapshot(out) == {n: d for n, d in snapshot(mini_report.output).items() if n == "report-2019-zh.pdf"}


def test_full_disk(project, mini_report):
    out = earlier_outputs(project, mini_report)   # (and the font and chart caches are warm)
    before = snapshot(out)

    def small_disk():
        # The file size limit stands in for a full disk: writes past it fail with EFBIG.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = report(project, "-o", str(out), "--jobs", "1", preexec_fn=small_disk)
    assert_one_line_error(result, "cannot write: File too large")
    assert snapshot(out) == before


def test_missing_font(project):
    result = report(project, "-f", "pdf", "-o", str(project / "out"),
                    env=dict(os.environ, REPORT_CJK_FONT="/nonexistent/font.ttf"))
    assert result.returncode == 3
    assert_one_line_error(result, "REPORT_CJK_FONT")
    assert not (project / "out").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_keeps_previous_outputs(project, mini_report, sig):
    out = earlier_outputs(project, mini_report)
    (project / "content/chapters/02-beta/en.md").write_text("# Universities\n\nChanged.\n", encoding="utf-8")
    before = snapshot(out)
    process = subprocess.Popen([REPORT, "build", "--project", str(project), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not any(p.name.endswith(".tmp") for p in out.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert snapshot(out).keys() == before.keys()
    for name, data in snapshot(out).items():
        # Each file is either the previous one or a complete new one, never a torn one.
        assert data == before[name] or data[:4] in (b"%PDF", b"PK\x03\x04")


def _fork_servers_in(folder: Path) -> list[str]:
    """The pids of multiprocessing fork servers running in `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and os.readlink(proc / "cwd") == str(folder) \
                    and b"multiprocessing.forkserver" in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:   # ended meanwhile, or another user's
            pass
    return found


def test_a_build_leaves_no_fork_server_behind(project):
    """report stops the fork server its workers came from as it ends: left to see report
    end, the server would spend a tenth of a second tearing down what it preloaded, with
    the stderr a calling script waits on still open."""
    chapter = project / "content/chapters/02-beta/zh.md"   # a new character: a subset made in the pool
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\n龘。\n", encoding="utf-8")
    process = subprocess.Popen([REPORT, "build", "-e", "zh", "-f", "pdf", "-o", str(project / "out")],
                               cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = set()
    while process.poll() is None:
        seen.update(_fork_servers_in(project))
        time.sleep(0.01)
    assert process.returncode == 0
    assert seen   # (the build did start one)
    assert not _fork_servers_in(project)


def test_a_stop_that_lands_in_a_weakref_callback_still_stops(monkeypatch):
    """A signal handled while Python runs a weakref callback (an import's module lock has
    one) raises where Python only prints "Exception ignored" and goes on: the stop is
    raised again from where the build is (pool._interrupt_again), not lost."""
    import weakref

    from builder import pool
    monkeypatch.setattr(sys, "unraisablehook", pool._interrupt_again)

    class Held:
        pass

    def callback(ref):
        signal.raise_signal(signal.SIGINT)   # Ctrl-C arriving during the callback
    held = Held()
    ref = weakref.ref(held, callback)   # noqa: F841 (kept, so that the callback runs)
    with pytest.raises(KeyboardInterrupt):
        del held
        for _ in range(1000):   # (a raised signal is handled between two steps of Python)
            time.sleep(0.001)


def test_stale_temporaries_of_a_killed_build_are_removed(project):
    out = project / "out"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = out / f".report-2019-zh.pdf.{dead.pid}.tmp"
    stale.write_bytes(b"half a PDF")
    assert report(project, "-e", "zh", "-f", "pdf", "-o", str(out)).returncode == 0
    assert not stale.exists()


def test_two_builds_at_once_into_one_folder(make_project, mini_report):
    """Both build the same new copy (its charts and fonts from the session, the rest not
    cached yet) into one folder: the files of a build alone, the session's of the same root."""
    project = make_project("mini")
    out = project / "out"
    # One edition (PDF and DOCX), each build on one process: what two builds do to one
    # folder does not depend on how many files each writes, or with how many processes.
    command = [REPORT, "build", "--project", str(project), "-o", str(out), "-e", "zh", "-j", "1"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    errors = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, errors
    together = snapshot(out)
    assert len(together) == 2 and not [n for n in together if n.endswith(".tmp")]
    assert together == {name: data for name, data in snapshot(mini_report.output).items() if "-zh." in name}
