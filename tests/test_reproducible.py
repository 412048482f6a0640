"""Same inputs, same bytes: whatever the time, time zone or locale of the build, whether it
comes from the caches or starts cold, on one process or two.

Builds run `report` in a subprocess, each with its own time zone and locale. The cold
serial build of the mini root every test compares with is made once (`reference`); tests
that go on from it get its folder back as it was after that build, at the same path, so
its cache is valid (cache keys name the files they were read from)."""
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPORT = str(Path(sys.executable).parent / "report")


def build(project: Path, out: Path, tz: str, locale: str, *args: str) -> dict[str, bytes]:
    env = dict(os.environ, TZ=tz, LC_ALL=locale, LANG=locale)
    subprocess.run([REPORT, "build", "--project", str(project), "-o", str(out), *args], env=env, check=True,
                   capture_output=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@dataclass
class Reference:
    project: Path
    files: dict[str, bytes]   # name -> bytes of the six files
    finished: float           # time.time() when they were written
    saved: Path               # the project (content, data, .cache) as the build left it


@pytest.fixture(scope="module")
def reference(make_project, tmp_path_factory) -> Reference:
    """The mini root built cold on one process (-j 1) in UTC and the C locale."""
    project = make_project("mini")
    files = build(project, tmp_path_factory.mktemp("reference"), "UTC", "C", "-j", "1")
    finished = time.time()
    saved = tmp_path_factory.mktemp("saved") / "p"
    shutil.copytree(project, saved)   # copy2: mtimes too, which the font part of the keys uses
    return Reference(project, files, finished, saved)


@pytest.fixture
def rebuilt(reference) -> Path:
    """The reference build's folder, content and cache, as that build left it."""
    shutil.rmtree(reference.project)
    shutil.copytree(reference.saved, reference.project)
    return reference.project


def test_two_builds_are_byte_identical(reference, rebuilt, tmp_path):
    # A second later at least: no timestamp may leak into the files.
    time.sleep(max(0.0, reference.finished + 1.1 - time.time()))
    shutil.rmtree(rebuilt / ".cache")  # and drawn afresh, not copied from the cache
    second = build(rebuilt, tmp_path / "b", "Asia/Shanghai", "C.UTF-8")
    assert len(reference.files) == 6
    assert reference.files == second


def test_a_build_from_the_caches_is_byte_identical_to_a_cold_one(rebuilt, tmp_path):
    """Charts, font subsets and the laid-out chapters of the last build are reused: after an
    edit, the files must not differ from those of a cold build of the edited project."""
    parts = set((rebuilt / ".cache" / "pdf-parts").iterdir())
    assert parts
    chapter = rebuilt / "content" / "chapters" / "02-beta" / "zh.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n共有高校。\n", encoding="utf-8")
    warm = build(rebuilt, tmp_path / "b", "UTC", "C")
    # Laid out again: that chapter only, in the zh and in the bilingual PDF (its page count
    # and so the contents did not change).
    assert len(set((rebuilt / ".cache" / "pdf-parts").iterdir()) - parts) == 2
    shutil.rmtree(rebuilt / ".cache")
    cold = build(rebuilt, tmp_path / "c", "UTC", "C")
    assert cold == warm


def test_charts_removed_from_the_cache_are_drawn_again(reference, rebuilt, tmp_path):
    """Chapters come from the cache as read before; their charts must still exist."""
    assert any((rebuilt / ".cache" / "chapters").iterdir())
    shutil.rmtree(rebuilt / ".cache" / "charts")
    assert build(rebuilt, tmp_path / "b", "UTC", "C") == reference.files


def test_a_parallel_build_is_byte_identical_to_a_serial_one(reference, make_project, tmp_path):
    """Editions, formats and charts on two processes, or all in one: the same files."""
    parallel = make_project("mini")
    two = build(parallel, tmp_path / "b", "UTC", "C", "-j", "2")
    assert len(reference.files) == 6 and reference.files == two
