"""Same inputs, same bytes: whatever the time, time zone or locale of the build, whether it
comes from the caches or starts cold, on one process or two.

The builds the tests compare run `report` in subprocesses, each with its time zone and
locale, one after the other in one background job from the start of the session (see
`build_all` and conftest.Background); the tests check what they wrote."""
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.projects import copy_root

REPORT = str(Path(sys.executable).parent / "report")
EDITED = "content/chapters/02-beta/zh.md"


def build(background, project: Path, out: Path, tz: str, locale: str, *args: str) -> dict[str, bytes]:
    env = dict(background.environ, TZ=tz, LC_ALL=locale, LANG=locale)
    result = background.run([REPORT, "build", "--project", str(project), "-o", str(out), *args], env=env)
    assert result.returncode == 0, result.stdout
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@dataclass
class Builds:
    reference: dict[str, bytes]   # name -> bytes of the six files: cold, one process, UTC, C
    parts: set[str]               # .cache/pdf-parts after it
    chapters: set[str]            # .cache/chapters after it
    redrawn: dict[str, bytes]     # built again after .cache/charts was removed
    warm: dict[str, bytes]        # after an edit of one chapter, from the caches
    new_parts: set[str]           # the chapter parts that edit laid out
    new_sections: set[str]        # the DOCX sections (.cache/docx-parts) that edit wrote
    elsewhere: dict[str, bytes]   # a copy of the edited project, cold, later, two processes,
                                  # Asia/Shanghai, C.UTF-8


def build_all(background, folder: Path) -> Builds:
    """All builds of this module, starting from the session's cold build of the mini root
    (the reference: one process, UTC, C), in a copy of its folder but the last; on one
    process but the last, to spare the cores for the other tests. (A background job:
    seconds apart, like the builds of one test, so that cache keys, which follow builder/
    and the installed packages, cannot change between them.)"""
    mini = background.root("mini")
    reference = {p.name: p.read_bytes() for p in sorted(mini.output.iterdir())}
    project = folder / "p"
    shutil.copytree(mini.saved, project, symlinks=True)   # with the mtimes, as the build left it
    parts, chapters = names(project / ".cache" / "pdf-parts"), names(project / ".cache" / "chapters")
    shutil.rmtree(project / ".cache" / "charts")
    redrawn = build(background, project, folder / "redrawn", "UTC", "C", "-j", "1")
    before = names(project / ".cache" / "pdf-parts")
    sections = names(project / ".cache" / "docx-parts")
    chapter = project / EDITED
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n共有高校。\n", encoding="utf-8")
    warm = build(background, project, folder / "warm", "UTC", "C", "-j", "1")
    new_parts = names(project / ".cache" / "pdf-parts") - before
    new_sections = {n for n in names(project / ".cache" / "docx-parts") - sections if n.endswith(".json")}
    # One cold build for two comparisons: from the caches or not, and another time (seconds
    # later: it is cold), zone, locale and number of processes; any of them leaking into the
    # files would make them differ from `warm`.
    other = copy_root("mini", folder / "other")
    (other / EDITED).write_bytes(chapter.read_bytes())
    elsewhere = build(background, other, folder / "elsewhere", "Asia/Shanghai", "C.UTF-8", "-j", "2")
    return Builds(reference, parts, chapters, redrawn, warm, new_parts, new_sections, elsewhere)


BACKGROUND = [build_all]


@pytest.fixture(scope="module")
def builds(background) -> Builds:
    """What build_all built."""
    return background(build_all)


def test_a_build_from_the_caches_is_byte_identical_to_a_cold_one(builds):
    """Charts, font subsets and the laid-out chapters of the last build are reused: after an
    edit, the files must not differ from those of a cold build of the edited project."""
    assert builds.parts
    # Laid out again: that chapter only, in the zh and in the bilingual PDF (its page count
    # and so the contents did not change).
    assert len(builds.new_parts) == 2
    # Written again in the DOCX: that chapter's section only, in the zh and the bilingual file.
    assert len(builds.new_sections) == 2
    assert builds.elsewhere == builds.warm


def test_charts_removed_from_the_cache_are_drawn_again(builds):
    """Chapters come from the cache as read before; their charts must still exist."""
    assert builds.chapters
    assert builds.redrawn == builds.reference


def test_builds_at_another_time_zone_locale_and_job_count_are_byte_identical(builds):
    """A cold build at least a second later, in another time zone and locale, on two
    processes instead of one: no timestamp, zone, locale or split into processes may leak
    into the files. (One build for what were two tests: two builds at different times and
    places, and a parallel build against a serial one.)"""
    assert len(builds.elsewhere) == 6
    assert builds.elsewhere == builds.warm


def test_builds_again_in_one_process_are_a_fresh_processs(make_project):
    """`report watch` builds again in its own process, which keeps what it has read,
    parsed and measured: after an edit, its PDFs are byte for byte a fresh process's."""
    import dataclasses
    import subprocess

    from builder.build import build as build_in_process
    from builder.cli_support import context
    kept, fresh = make_project(), make_project()
    ctx = dataclasses.replace(context(kept), jobs=1)
    build_in_process(ctx, [], ["pdf"])
    for project in (kept, fresh):
        edited = project / EDITED
        edited.write_text(edited.read_text(encoding="utf-8").replace("\n\n", "\n\n再加一句。\n\n", 1), encoding="utf-8")
    written = build_in_process(ctx, [], ["pdf"])
    subprocess.run([REPORT, "build", "--project", str(fresh), "-f", "pdf"], check=True, capture_output=True)
    assert len(written) == 3
    for item in written:
        assert item.path.read_bytes() == (fresh / "output" / item.path.name).read_bytes(), item.path.name


def test_an_edit_that_adds_a_page_lays_out_its_chapter_and_the_contents_only(make_project):
    """The chapters after it move a page on, but their layout does not depend on where
    they start: the assembly draws their pages' numbers. Then the PDF is a fresh process's,
    and its pages are numbered on from the chapter that grew."""
    import dataclasses
    import subprocess

    from pypdf import PdfReader

    from builder.build import build as build_in_process
    from builder.cli_support import context
    kept, fresh = make_project(), make_project()
    ctx = dataclasses.replace(context(kept), jobs=1)
    pages = build_in_process(ctx, ["zh"], ["pdf"])[0].pages
    before = names(kept / ".cache" / "pdf-parts")
    for project in (kept, fresh):
        first = project / "content/chapters/01-alpha/zh.md"
        first.write_text(first.read_text(encoding="utf-8") + "\n再加一句。\n" * 40, encoding="utf-8")
    written = build_in_process(ctx, ["zh"], ["pdf"])[0]
    subprocess.run([REPORT, "build", "--project", str(fresh), "-e", "zh", "-f", "pdf"], check=True,
                   capture_output=True)
    assert written.pages == pages + 1
    assert len(names(kept / ".cache" / "pdf-parts") - before) == 2   # that chapter and the front
    assert written.path.read_bytes() == (fresh / "output" / written.path.name).read_bytes()
    # A process that lays out nothing still measures the numbers it draws.
    for streams in (fresh / ".cache" / "pdf-files").glob("*.streams"):
        streams.unlink()
    subprocess.run([REPORT, "build", "--project", str(fresh), "-e", "zh", "-f", "pdf"], check=True,
                   capture_output=True)
    assert written.path.read_bytes() == (fresh / "output" / written.path.name).read_bytes()
    labels = PdfReader(written.path).page_labels
    texts = subprocess.run(["pdftotext", "-layout", str(written.path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    numbered = [(label, text.split()[-1]) for label, text in zip(labels, texts) if label.isdigit()]
    assert [label for label, _ in numbered] == [str(n) for n in range(1, len(numbered) + 1)]
    assert all(label == footer for label, footer in numbered)


def test_a_free_worker_takes_the_layouts_first_then_the_longest_file(tmp_path):
    """number_then_write hands each free worker the next task: the layouts first, the
    bilingual book's first, then the DOCX, the bilingual one first: the longest file and
    the last ready, which queued behind the others ran alone at the end."""
    from types import SimpleNamespace

    from builder import build
    from builder.pool import _Done

    def report(edition, langs):
        return SimpleNamespace(edition=edition, year=2019, langs=langs, chapters=[None] * 10, title_blocks=[],
                               draft="", pages=None)

    submitted = []

    class TwoWorkers:   # every task done at once, in submission order
        jobs = 2

        def run(self, tasks):
            return []

        def submit(self, task):
            submitted.append((task[0].__name__, task[1].edition))
            return _Done(("pages", "written") if task[0] is build.pdf_then_file else "written")

        @staticmethod
        def wait_any(futures):
            return list(futures)

    reports = [report("zh", ["zh"]), report("en", ["en"]), report("bilingual", ["zh", "en"])]
    build.number_then_write(reports, ["docx", "pdf"], SimpleNamespace(output=tmp_path), set(), TwoWorkers(),
                            lambda msg: None)
    assert submitted == [("pdf_then_file", "bilingual"), ("pdf_then_file", "zh"), ("pdf_then_file", "en"),
                         ("write_file", "bilingual"), ("write_file", "zh"), ("write_file", "en")]
    assert [r.pages for r in reports] == ["pages"] * 3
