"""Fixtures shared by all tests.

Report folders to build are *roots*, as in Sphinx's tests/roots/: `tests/roots/<name>/`
(content/ and data/), plus "default", the repository's own report (the content/ and data/
at its top). Tests never build a root in place: `make_project` copies one into a
temporary folder.

What every test of a root would otherwise redo (drawing its charts, converting its fonts,
building its six files, starting LibreOffice) is done once per session and shared
(tests/background.py): tests get the built folder back as the build left it
(rebuilt_root, `project`), or a copy with its charts and fonts (make_project; warm by
default for the mini root). Those session builds, and builds test modules queue
(BACKGROUND), run in the background from the moment the tests are collected, while the
tests that do not need them run; tests that need the real report's build run last. On
several processes (`make test`: pytest-xdist), the workers share them.

The session fails if it wrote into the working tree after all.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.background import Background, Built, build_root, sample_pdfs_job, warm_up
from tests.projects import REPO, ROOTS, Restorer, copy_root

MINI = {"make_project", "mini_report", "project", "rebuilt_root"}   # the fixtures that need the mini root's build
# Session fixtures that one process makes or uses alone: the folder rebuilt_root puts back,
# the sample DOCX written in the process.
PINNED = ("rebuilt_root", "sample_docx")

_BACKGROUND = pytest.StashKey[Background]()
_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config):
    """The session's folder, made here or, in a worker of pytest-xdist, by the controller
    and shared by all workers, as their background jobs and LibreOffice are."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        folder = Path(tempfile.mkdtemp(prefix="report-tests-"))
        os.chmod(folder, 0o755)   # test_environment builds as user nobody
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    else:
        folder = Path(workerinput["report_tests_folder"])
    config.stash[_FOLDER] = folder
    os.environ.setdefault("REPORT_CACHE_SECRET", "ab" * 32)   # the cache key: none kept in ~/.cache
    # Hypothesis keeps its files in ./.hypothesis, in the working tree, unless told otherwise.
    worker = workerinput["workerid"] if workerinput else "main"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(folder / worker / "hypothesis"))
    config.stash[_BACKGROUND] = background = Background(folder / "background")
    background.lanes_here = worker in ("main", "gw0")   # one process works the queues; the others wait
    config.add_cleanup(background.stop)   # (cleanups run last first: before the folder goes)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(pytest-xdist, in the controller) the workers share the controller's folder."""
    node.workerinput["report_tests_folder"] = str(node.config.stash[_FOLDER])


@pytest.hookimpl(hookwrapper=True)   # (the order, before other plugins see it)
def pytest_collection_modifyitems(session, config, items):
    """Tests that need a background job run after those that do not (the mini root's build
    first, the jobs of test modules next), and those that need the real report's build
    last, so that the jobs go on meanwhile."""
    def needs(item) -> tuple[bool, bool, bool]:
        names = getattr(item, "fixturenames", ())
        default = "default_report" in names or item.get_closest_marker("default_report") is not None
        return (default, bool(getattr(getattr(item, "module", None), "BACKGROUND", ())),
                bool(MINI & set(names)))
    items.sort(key=needs)
    # On several processes (make test: pytest-xdist), a group's tests run on one of them,
    # in the order above (GroupScheduling): those of a PINNED fixture, with their modules'
    # module-scoped fixtures; those of each other module with module-scoped fixtures (bar
    # the real report's, later). Every worker writes the same list.
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        pinned = {}   # module -> the fixture of one process it uses (rebuilt_root first)
        for item in items:
            for name in PINNED:
                if name in getattr(item, "fixturenames", ()):
                    pinned.setdefault(item.module, name)
        groups = {}
        for item in items:
            module = getattr(item, "module", None)
            own = next((name for name in PINNED if name in getattr(item, "fixturenames", ())), None)
            if own or module in pinned and _module_scoped(item):
                groups[item.nodeid] = own or pinned[module]
            elif _module_scoped(item):   # (those waiting for the real report's build apart, later)
                groups[item.nodeid] = f"{module.__name__}{':default' if needs(item)[0] else ''}"
        part = Path(workerinput["report_tests_folder"]) / f"groups-{workerinput['workerid']}.json"
        part.write_text(json.dumps(groups))
        part.replace(part.with_name("groups.json"))
    yield


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """(pytest-xdist, in the controller) the tests of a group (see above) on one worker, the
    others one by one, all in the order collected. (pytest-xdist's own xdist_group marks
    are lost on pytest 9's node ids.)"""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        groups = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:   # written by the workers before they report their collection
                self.groups = json.loads((config.stash[_FOLDER] / "groups.json").read_text())
            return self.groups.get(nodeid, nodeid)

    config.option.loadscopereorder = False
    return GroupScheduling(config, log)


def _module_scoped(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(defs[-1].scope in ("module", "class", "package")
                                    for defs in info.name2fixturedefs.values())


def pytest_collection_finish(session):
    """Queue the background jobs the selected tests need, in about the order they need
    them: the mini root's build, the sample model in LibreOffice, the jobs test modules
    list in BACKGROUND; in a lane of its own, the longest, the real report's build and
    its DOCX in LibreOffice, begun once the mini root's build (needed first) is done."""
    if session.config.option.collectonly:
        return
    background = session.config.stash[_BACKGROUND]
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if needed & MINI:
        background.add("root/mini", build_root, "mini")
    if "sample_pdfs" in needed and background.libreoffice:
        background.add("sample-pdfs", sample_pdfs_job)
    for module in {item.module: None for item in session.items if getattr(item, "module", None)}:
        for job in getattr(module, "BACKGROUND", ()):
            background.add(job_name(job), job)
    if "default_report" in needed:
        background.add("root/default", build_root, "default", "libreoffice" in needed, lane="default",
                       after="root/mini")
    background.begin()


def job_name(job) -> str:
    return f"{job.__module__}.{job.__qualname__}"


@pytest.fixture(scope="session")
def background(pytestconfig):
    """background(job) -> the result of a job its test module lists in BACKGROUND, started
    when the tests were collected; waits for it."""
    jobs = pytestconfig.stash[_BACKGROUND]
    return lambda job: jobs.wait(job_name(job), job)


@pytest.fixture(scope="session")
def built_roots(pytestconfig):
    """built_roots(root) -> Built: the root copied and built once in the session (in the
    background, see build_root); waits for it. Read its files; to build in its folder, get
    the folder from rebuilt_root, which puts it back as the build left it first."""
    jobs = pytestconfig.stash[_BACKGROUND]
    return lambda root: jobs.wait(f"root/{root}", build_root, root)


@pytest.fixture(scope="session")
def default_report(built_roots) -> Built:
    """The repository's own report, built once in every edition and format on a copy."""
    return built_roots("default")


@pytest.fixture(scope="session")
def mini_report(built_roots) -> Built:
    """tests/roots/mini, built once in every edition and format on a copy."""
    return built_roots("mini")


@pytest.fixture(scope="session")
def make_project(tmp_path_factory, built_roots):
    """make_project(root="mini", dest=None, warm=None) -> a fresh copy of a root to build
    and edit, at `dest` or in a new temporary folder. Warm (the default for the mini root,
    built first in every session), it has the charts and fonts of the session's build of
    that root (.cache/charts, .cache/fonts: the drawn glyphs too), so that a build draws
    and converts only what the test changed; warm=False where a test is about the cache
    or needs a build to take its time."""
    def make(root: str = "mini", dest: Path | None = None, warm: bool | None = None) -> Path:
        dest = dest or tmp_path_factory.mktemp(root) / "p"
        copy_root(root, dest)
        if warm or (warm is None and root == "mini"):
            warm_up(built_roots(root), dest)
        return dest
    return make


@pytest.fixture(scope="session")
def rebuilt_root(built_roots):
    """rebuilt_root(root="mini") -> the folder the session built the root in, put back as
    that build left it (content, data and the whole .cache): every cache entry is valid
    there, since cache keys name the files read, so a build redoes nothing and an edit
    redoes only what it touches. One such folder per root: each call undoes what the last
    test did in it."""
    restorers: dict[str, Restorer] = {}

    def restore(root: str = "mini") -> Path:
        built = built_roots(root)
        if root not in restorers:
            restorers[root] = Restorer(built.saved, built.project)
        return restorers[root].restore()
    return restore


@pytest.fixture
def project(rebuilt_root) -> Path:
    """tests/roots/mini, built: the session build's folder as that build left it (see
    rebuilt_root); its outputs are in mini_report.output."""
    return rebuilt_root("mini")


@pytest.fixture(scope="session")
def libreoffice(pytestconfig):
    """libreoffice({name: docx}) -> {name: pdf}, converted with LibreOffice: pass all the
    documents a test module needs at once, they are converted in one soffice run. The real
    report's DOCX are converted as soon as they are built, as "default-<file stem>"."""
    office = pytestconfig.stash[_BACKGROUND].libreoffice
    if office is None:
        pytest.skip("needs LibreOffice (`make test` installs it)")
    return office.convert


@pytest.fixture(scope="session")
def sample_pdfs(pytestconfig) -> dict[str, Path]:
    """edition -> the hand-built sample model's DOCX as LibreOffice prints it (PDF), made in
    the background from the start of the session."""
    jobs = pytestconfig.stash[_BACKGROUND]
    if jobs.libreoffice is None:
        pytest.skip("needs LibreOffice (`make test` installs it)")
    return jobs.wait("sample-pdfs", sample_pdfs_job)


@pytest.fixture(scope="session")
def font_cache(pytestconfig) -> Path:
    """One folder of converted CJK font subsets for every test that writes a hand-made model,
    so each character set is converted once per session (where the caching itself is not
    under test), shared by the session's processes (the cache's writes are atomic)."""
    folder = pytestconfig.stash[_FOLDER] / "fonts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """edition -> (DOCX file, Report): the hand-built sample model (tests/sample_model.py),
    written once per session by the DOCX writer."""
    from builder.model import EDITIONS
    from builder.writers.docx import write
    from tests.reading import context
    from tests.sample_model import sample_report
    written = {}
    for edition in EDITIONS:
        folder = tmp_path_factory.mktemp(f"sample-docx-{edition}")
        report = sample_report(folder, edition)
        write(report, folder / f"report-{edition}.docx", context(folder))
        written[edition] = folder / f"report-{edition}.docx", report
    return written


@pytest.fixture(autouse=True)
def _restore_font_memory():
    """builder.fonts remembers font facts in the cache of the last build of the process
    (remember_in). Put back after every test, so no test writes into another one's folder."""
    from builder import fonts
    before = fonts._memory
    yield
    fonts.remember_in(before)


# ---- the working tree stays as it was -------------------------------------------------

def guarded_folders() -> list[Path]:
    """Where a build or a test tool writes when run in place."""
    return [REPO / ".cache", REPO / "output", REPO / ".hypothesis"] + [
        root / part for root in sorted(ROOTS.iterdir()) for part in (".cache", "output")]


def snapshot(folder: Path) -> list[tuple] | None:
    """Each file and folder under `folder` with its size and mtime; None if it does not exist."""
    if not folder.exists():
        return None
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in [folder, *folder.rglob("*")])


_TREE = pytest.StashKey[dict]()


def pytest_sessionstart(session):
    session.config.stash[_TREE] = {folder: snapshot(folder) for folder in guarded_folders()}


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_TREE, {})
    changed = [folder for folder, seen in before.items() if snapshot(folder) != seen]
    if changed:
        names = ", ".join(str(f.relative_to(REPO)) for f in changed)
        session.config.get_terminal_writer().line(
            f"\nERROR: the tests wrote into the working tree ({names}): build a copy (make_project) instead",
            red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
