"""Fixtures shared by all tests.

Report folders to build are *roots*, as in Sphinx's tests/roots/: `tests/roots/<name>/`
(content/ and data/), plus "default", the repository's own report (the content/ and data/
at its top). Tests never build a root in place: `make_project` copies one into a
temporary folder. What every test of a root would otherwise redo (drawing its charts,
converting its fonts, building its six files, starting LibreOffice) is done once per
session and shared. The session fails if it wrote into the working tree after all.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
REPORT = str(Path(sys.executable).parent / "report")   # the console script, for tests in a subprocess
WARM = ("charts", "fonts")   # the parts of .cache/ that do not depend on where the project lies
TOOLS = ("pdffonts", "pdftotext", "qpdf", "soffice")



def pytest_configure(config):
    # Hypothesis keeps its files in ./.hypothesis, in the working tree, unless told otherwise.
    if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
        folder = tempfile.mkdtemp(prefix="report-tests-hypothesis-")
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def root_folder(root: str) -> Path:
    """The folder of a root: "default" is the repository's own report."""
    path = REPO if root == "default" else ROOTS / root
    if not (path / "content").is_dir() or not (path / "data").is_dir():
        raise ValueError(f"no report root {root!r} (tests/roots/ has {sorted(p.name for p in ROOTS.iterdir())})")
    return path


def copy_root(root: str, dest: Path) -> Path:
    """content/ and data/ of a root into `dest` (created; may exist if empty)."""
    source = root_folder(root)
    for part in ("content", "data"):
        shutil.copytree(source / part, dest / part)
    return dest


@dataclass
class Built:
    project: Path   # a copy of the root, built: its .cache/ is warm
    output: Path    # report-<year>-<edition>.<pdf|docx>, every edition and format
    log: str        # what `report build` printed


@pytest.fixture(scope="session")
def built_roots(tmp_path_factory):
    """built_roots(root) -> Built: the root copied and built with `report build` (in this
    process, through CliRunner, all cores), once per session on first use. Read its files;
    do not build in its folder."""
    from click.testing import CliRunner

    from builder.cli import main
    done: dict[str, Built] = {}

    def get(root: str) -> Built:
        if root not in done:
            folder = tmp_path_factory.mktemp(f"built-{root}")
            project = copy_root(root, folder / root)
            result = CliRunner().invoke(main, ["build", "--project", str(project), "-o", str(folder / "output")])
            assert result.exit_code == 0, result.output
            done[root] = Built(project, folder / "output", result.output)
        return done[root]
    return get


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
    """make_project(root="mini", dest=None, warm=False) -> a fresh copy of a root to build
    and edit, at `dest` or in a new temporary folder. warm=True also copies the charts and
    font subsets of the session's build of that root (.cache/charts, .cache/fonts), so that
    nothing is drawn or converted again; leave it cold where a test is about the cache."""
    def make(root: str = "mini", dest: Path | None = None, warm: bool = False) -> Path:
        dest = dest or tmp_path_factory.mktemp(root) / "p"
        copy_root(root, dest)
        if warm:
            cache = built_roots(root).project / ".cache"
            for part in WARM:
                shutil.copytree(cache / part, dest / ".cache" / part)
        return dest
    return make


@pytest.fixture
def project(make_project) -> Path:
    """A fresh copy of tests/roots/mini for one test, with the session's charts and fonts."""
    return make_project("mini", warm=True)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """libreoffice({name: docx}) -> {name: pdf}: the documents converted by LibreOffice in one
    soffice run (its start takes seconds), each name converted once per session."""
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (`make test` installs it)")
    folder = tmp_path_factory.mktemp("libreoffice")
    done: dict[str, Path] = {}

    def convert(docs: dict[str, Path]) -> dict[str, Path]:
        todo = {name: path for name, path in docs.items() if name not in done}
        if todo:
            batch = folder / f"in{len(done)}"
            batch.mkdir()
            for name, path in todo.items():
                shutil.copyfile(path, batch / f"{name}.docx")
            result = subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                                     "--convert-to", "pdf", "--outdir", str(folder / "pdf"),
                                     *(str(batch / f"{name}.docx") for name in todo)],
                                    capture_output=True, text=True, timeout=600)
            for name in todo:
                pdf = folder / "pdf" / f"{name}.pdf"
                assert pdf.exists(), f"LibreOffice did not convert {name}: {result.stderr}"
                done[name] = pdf
        return {name: done[name] for name in docs}
    return convert


@pytest.fixture(scope="session")
def font_cache(tmp_path_factory) -> Path:
    """One folder of converted CJK font subsets for every test that writes a hand-made model,
    so each character set is converted once per session (where the caching itself is not
    under test)."""
    return tmp_path_factory.mktemp("fonts")


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """edition -> (DOCX file, Report): the hand-built sample model (tests/sample_model.py),
    written once per session by the DOCX writer."""
    from builder.model import EDITIONS
    from builder.writers.docx import write_docx
    from tests.sample_model import sample_report
    written = {}
    for edition in EDITIONS:
        folder = tmp_path_factory.mktemp(f"sample-docx-{edition}")
        report = sample_report(folder, edition)
        write_docx(report, folder / f"report-{edition}.docx")
        written[edition] = folder / f"report-{edition}.docx", report
    return written


@pytest.fixture(autouse=True)
def _restore_font_coverage_cache():
    """builder.fonts.coverage_cache is process-global: each build points it at its own
    .cache/fonts. Put back after every test, so no test writes into another one's folder."""
    from builder import fonts
    before = fonts.coverage_cache
    yield
    fonts.coverage_cache = before


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
