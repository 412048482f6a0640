"""Same inputs, same bytes: whatever the time, time zone or locale of the build."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MINI = Path(__file__).parent / "roots" / "mini"
REPORT = str(Path(sys.executable).parent / "report")


def build(project: Path, out: Path, tz: str, locale: str, *args: str) -> dict[str, bytes]:
    env = dict(os.environ, TZ=tz, LC_ALL=locale, LANG=locale)
    subprocess.run([REPORT, "build", "--project", str(project), "-o", str(out), *args], env=env, check=True,
                   capture_output=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_builds_are_byte_identical(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(MINI, project)
    first = build(project, tmp_path / "a", "UTC", "C")
    time.sleep(1.1)  # a second later: no timestamp may leak into the files
    shutil.rmtree(project / ".cache")  # and drawn afresh, not copied from the cache
    second = build(project, tmp_path / "b", "Asia/Shanghai", "C.UTF-8")
    assert len(first) == 6
    assert first == second


def test_a_build_from_the_caches_is_byte_identical_to_a_cold_one(tmp_path):
    """Charts, font subsets and the laid-out chapters of the last build are reused: after an
    edit, the files must not differ from those of a cold build of the edited project."""
    project = tmp_path / "p"
    shutil.copytree(MINI, project)
    build(project, tmp_path / "a", "UTC", "C")
    parts = set((project / ".cache" / "pdf-parts").iterdir())
    assert parts
    chapter = project / "content" / "chapters" / "02-beta" / "zh.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n共有高校。\n", encoding="utf-8")
    warm = build(project, tmp_path / "b", "UTC", "C")
    # Laid out again: that chapter only, in the zh and in the bilingual PDF (its page count
    # and so the contents did not change).
    assert len(set((project / ".cache" / "pdf-parts").iterdir()) - parts) == 2
    shutil.rmtree(project / ".cache")
    cold = build(project, tmp_path / "c", "UTC", "C")
    assert cold == warm


def test_charts_removed_from_the_cache_are_drawn_again(tmp_path):
    """Chapters come from the cache as read before; their charts must still exist."""
    project = tmp_path / "p"
    shutil.copytree(MINI, project)
    first = build(project, tmp_path / "a", "UTC", "C")
    assert any((project / ".cache" / "chapters").iterdir())
    shutil.rmtree(project / ".cache" / "charts")
    assert build(project, tmp_path / "b", "UTC", "C") == first


def test_a_parallel_build_is_byte_identical_to_a_serial_one(tmp_path):
    """Editions, formats and charts on two processes, or all in one: the same files."""
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(MINI, serial)
    shutil.copytree(MINI, parallel)
    one = build(serial, tmp_path / "a", "UTC", "C", "-j", "1")
    two = build(parallel, tmp_path / "b", "UTC", "C", "-j", "2")
    assert len(one) == 6 and one == two
