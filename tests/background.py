"""The work a test session shares: builds of the report roots, LibreOffice's conversions
and the jobs test modules queue (BACKGROUND), run in the background from the moment the
tests are collected, once per session, even when pytest-xdist's workers share it (they
take turns under a file lock, and take each other's results).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.projects import REPO, copy_root

REPORT = str(Path(sys.executable).parent / "report")   # the console script, for builds in a subprocess
WARM = ("charts", "fonts")   # the parts of .cache/ that do not depend on where the project lies


# ---- LibreOffice ----------------------------------------------------------------------

class LibreOffice:
    """DOCX to PDF with LibreOffice, several documents per soffice run (starting it takes
    seconds), each document once per session. Safe across threads (session builds convert
    their DOCX in the background) and processes (pytest-xdist's workers: a file lock)."""

    def __init__(self, folder: Path, run):
        self.folder = folder
        self.run = run   # Background.run
        self.lock = threading.Lock()

    def convert(self, docs: dict[str, Path]) -> dict[str, Path]:
        """{name: docx} -> {name: pdf}; names are unique in the session, which may be shared
        by several processes (pytest-xdist's workers): a PDF there is a document done."""
        pdfs = {name: self.folder / "pdf" / f"{name}.pdf" for name in docs}
        with self.lock, locked(self.folder / "convert.lock"):
            todo = {name: path for name, path in docs.items() if not pdfs[name].exists()}
            if todo:
                batch = Path(tempfile.mkdtemp(prefix="batch", dir=self.folder))
                for name, path in todo.items():
                    shutil.copyfile(path, batch / f"{name}.docx")
                result = self.run(["soffice", f"-env:UserInstallation=file://{self.folder}/profile", "--headless",
                                   "--convert-to", "pdf", "--outdir", str(self.folder / "pdf"),
                                   *(str(batch / f"{name}.docx") for name in todo)])
                for name in todo:
                    assert pdfs[name].exists(), f"LibreOffice did not convert {name}: {result.stdout}"
        return pdfs


@contextlib.contextmanager
def locked(path: Path):
    """An exclusive lock on `path` (made if missing), across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


# ---- work in the background -------------------------------------------------------------

class Job:
    def __init__(self, name: str, function, args: tuple, after: str | None = None):
        self.name, self.function, self.args, self.after = name, function, args, after
        self.state = "queued"   # then "running", then "done"
        self.result = self.error = None
        self.done = threading.Event()


class Background:
    """Jobs run from the moment the tests are collected, while the tests that do not need
    them run: one after the other in each of a few queues ("lanes"), each worked by a
    thread, in the order queued (the order the tests need them). Their work is done in
    subprocesses (builds, LibreOffice): a job must not touch this process's state. wait()
    returns a job's result; a job not begun yet is run at once, by the test waiting for
    it. Each job runs once per session: with pytest-xdist, the first worker (gw0) works
    the lanes, any worker may run a job its test waits for, and a file lock and a result
    file (pickled) in the shared folder let the others take it.

    A test module can queue jobs of its own: BACKGROUND = [job, ...], functions
    job(background, folder) -> result, whose results its tests get from the `background`
    fixture. Subprocesses of jobs get `environ`, the environment as the session began, not
    os.environ, which tests change meanwhile (monkeypatch.setenv)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.libreoffice = LibreOffice(folder / "libreoffice", self.run) if shutil.which("soffice") else None
        self.environ = dict(os.environ)
        self.jobs: dict[str, Job] = {}
        self.lanes: dict[str, list[Job]] = {}
        self.threads: list[threading.Thread] = []
        self.processes: list[subprocess.Popen] = []
        self.lock = threading.Lock()
        self.stopping = False
        self.lanes_here = True

    def add(self, name: str, function, *args, lane: str = "main", after: str | None = None) -> None:
        """Queue job(self, folder, *args) in `lane`, to begin once job `after` (if queued)
        is done; unless it is known already."""
        with self.lock:
            if name not in self.jobs:
                self.jobs[name] = job = Job(name, function, args, after)
                self.lanes.setdefault(lane, []).append(job)

    def begin(self) -> None:
        if not self.lanes_here:
            return
        for lane, queue in self.lanes.items():
            self.threads.append(threading.Thread(target=self._work, args=(queue,), name=lane, daemon=True))
            self.threads[-1].start()

    def _work(self, queue: list[Job]) -> None:
        for job in queue:
            if job.after in self.jobs:
                self.jobs[job.after].done.wait()
            with self.lock:
                if self.stopping:
                    return
                if job.state != "queued":
                    continue
                job.state = "running"
            self._run(job)

    def _run(self, job: Job) -> None:
        """Run the job, or, if another process of the session (pytest-xdist's workers share
        the folder) ran it or runs it, wait for it and take its result."""
        stem = self.folder / job.name.replace("/", "-")
        try:
            with locked(stem.with_name(stem.name + ".lock")):
                done = stem.with_name(stem.name + ".done")
                if not done.exists():
                    shutil.rmtree(stem, ignore_errors=True)   # what a process stopped in it left
                    try:
                        outcome = "result", job.function(self, stem, *job.args)
                    except BaseException as exc:
                        if self.stopping:   # this process ended: another one that needs it runs it
                            raise
                        outcome = "error", f"{type(exc).__name__}: {exc}"
                    done.with_suffix(".part").write_bytes(pickle.dumps(outcome))
                    done.with_suffix(".part").replace(done)
                kind, value = pickle.loads(done.read_bytes())
            if kind == "error":
                raise RuntimeError(value)
            job.result = value
        except BaseException as exc:   # reported by wait(), in the test that needs the result
            job.error = exc
        finally:
            job.state = "done"
            job.done.set()

    def wait(self, name: str, function=None, *args):
        """The result of job `name`, run here and now with `function` if it was not queued."""
        with self.lock:
            job = self.jobs.get(name)
            if job is None:
                assert function is not None, f"no background job {name!r}"
                self.jobs[name] = job = Job(name, function, args)
            here = job.state == "queued"
            if here:
                job.state = "running"
        if here:
            self._run(job)
        job.done.wait()
        if job.error is not None:
            pytest.fail(f"background job {name} failed: {job.error}", pytrace=False)
        return job.result

    def root(self, root: str) -> Built:
        """The session's build of `root` (see build_root), for a job that starts from it."""
        return self.wait(f"root/{root}", build_root, root)

    def run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        """subprocess.run(command), text and stderr in stdout; stopped when the session ends."""
        with self.lock:
            if self.stopping:
                raise RuntimeError("the session ended")
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       **{"env": self.environ, **kwargs})
            self.processes.append(process)
        out, _ = process.communicate()
        return subprocess.CompletedProcess(command, process.returncode, out)

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for process in self.processes:
                if process.poll() is None:
                    process.terminate()
        for thread in self.threads:
            thread.join(timeout=60)


@dataclass
class Built:
    project: Path   # a copy of the root, built: its .cache/ is warm
    output: Path    # report-<year>-<edition>.<pdf|docx>, every edition and format
    log: str        # what `report build` printed (stdout and stderr)
    saved: Path     # the project (content, data, .cache) as the build left it


def build_root(background: Background, folder: Path, root: str, convert: bool = False) -> Built:
    """A job: `root` copied and built with `report build` (every edition and format) on one
    process: the other core is the tests', and a pool's workers would redo imports that
    cost the real report's build a third more CPU time (the files are the same on any
    number of processes: test_reproducible), in UTC and the C locale (test_reproducible
    compares a build elsewhere with this one). `convert`: then its DOCX converted with
    LibreOffice, as "<root>-<file stem>"."""
    project = copy_root(root, folder / root)
    result = background.run([REPORT, "build", "--project", str(project), "-o", str(folder / "output"), "-j", "1"],
                            env=dict(background.environ, TZ="UTC", LC_ALL="C", LANG="C"))
    assert result.returncode == 0, f"`report build` of the {root} root failed ({result.returncode}):\n{result.stdout}"
    shutil.copytree(project, folder / "saved")   # copy2: with the mtimes, which cache keys of fonts use
    built = Built(project, folder / "output", result.stdout, folder / "saved")
    if convert and background.libreoffice:
        background.libreoffice.convert({f"{root}-{docx.stem}": docx for docx in sorted(built.output.glob("*.docx"))})
    return built


def warm_up(built: Built, dest: Path) -> None:
    """The charts and fonts of a session build into the cache of `dest`, a copy of its root,
    for a build there that is not about them: it draws and converts only what it changed."""
    for part in WARM:
        shutil.copytree(built.saved / ".cache" / part, dest / ".cache" / part)


SAMPLE_DOCX = """
import sys
from pathlib import Path
from builder.writers.docx import write
from tests.reading import context
from tests.sample_model import sample_report
folder = Path(sys.argv[1])
for edition in ("zh", "en", "bilingual"):
    (folder / edition).mkdir(parents=True)
    write(sample_report(folder / edition, edition), folder / f"sample-{edition}.docx", context(folder))
"""


def sample_pdfs_job(background: Background, folder: Path) -> dict[str, Path]:
    """A job: the sample model (tests/sample_model.py) written as DOCX in a subprocess, then
    converted with LibreOffice; edition -> PDF."""
    environ = background.environ
    env = dict(environ, PYTHONPATH=os.pathsep.join([str(REPO), environ.get("PYTHONPATH", "")]))
    result = background.run([sys.executable, "-c", SAMPLE_DOCX, str(folder)], env=env)
    assert result.returncode == 0, result.stdout
    pdfs = background.libreoffice.convert({f"sample-{e}": folder / f"sample-{e}.docx" for e in ("zh", "en", "bilingual")})
    return {name.removeprefix("sample-"): pdf for name, pdf in pdfs.items()}
