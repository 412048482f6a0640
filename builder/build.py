"""Builds editions: read everything first (so bad input stops before any file is
touched), then write each file under a temporary name and rename it into place.

Chapter extracts are cut from the full report's model; unless pages restart at 1, their
page numbers come from one layout of the full report's PDF per edition. Files are written
by a pool of processes (reportlab's font registry is process-global), each file exactly
as a serial build writes it."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import ReportError
from .model import EDITIONS, PAPERS, PrintOptions, Report
from .textcheck import check_text, report_chars

FORMATS = ("pdf", "docx")


@dataclass
class Written:
    path: Path
    pages: int | None
    size: int


def write_atomically(path: Path, write: Callable[[Path], int | None]) -> Written:
    """Write to a hidden temporary file beside `path`, then rename: an error or a kill
    never leaves a half-written report where the previous one was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pages = write(tmp)
        os.replace(tmp, path)
    except OSError as exc:   # read-only folder, full disk, file size limit...
        raise ReportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return Written(path, pages, path.stat().st_size)


def remove_stale_temporaries(output: Path) -> None:
    """Temporary files of builds that were killed outright (SIGKILL, power loss)."""
    for tmp in output.glob(".*.*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def output_name(report: Report, fmt: str) -> str:
    stem = f"report-{report.year}-{report.edition}"
    if report.title_blocks:   # an extract
        stem += "-ch" + "-".join(c.id.split("-")[0] for c in report.chapters[::len(report.langs)])
    return f"{stem}.{fmt}"


def write_report(report: Report, fmt: str, path: Path, cache_dir: Path,
                 options: PrintOptions = PrintOptions(), chars: set[str] | None = None) -> Written:
    """`chars`: what the font subsets cover (default: the report's characters); extracts
    pass their full report's, so that all of them share one cached subset."""
    if fmt == "pdf":
        from .fonts import prepare_pdf_fonts
        from .writers.pdf import write_pdf
        fonts = prepare_pdf_fonts(chars or report_chars(report), cache_dir / "fonts")
        return write_atomically(path, lambda tmp: write_pdf(report, tmp, fonts, options))
    from .writers.docx import write_docx
    return write_atomically(path, lambda tmp: write_docx(report, tmp, options))


def chapter_pages(report: Report, cache_dir: Path, options: PrintOptions) -> dict[tuple[str, str], int]:
    """Page number of each chapter's first page in the full report's PDF."""
    from .fonts import prepare_pdf_fonts
    from .writers.pdf import chapter_pages as layout
    return layout(report, prepare_pdf_fonts(report_chars(report), cache_dir / "fonts"), options)


def _call(task: tuple):
    function, *args = task
    return function(*args)


def run_tasks(tasks: list[tuple], jobs: int) -> list:
    """[(function, *args)] -> results in order: in a process pool if there is more than
    one task and more than one job, else here."""
    if jobs <= 1 or len(tasks) <= 1:
        return [_call(t) for t in tasks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    # spawn: fresh interpreters, nothing inherited from this process's state.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=context, initializer=stop_on_sigterm)
    try:
        results = list(pool.map(_call, tasks))
    except BaseException:
        # Interrupted or failed: stop the other workers now; SIGTERM makes each remove its
        # temporary file, so the previous outputs stay as they were.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except OSError:   # the pool's pipes break as its workers stop; the first error counts
            pass
        raise
    pool.shutdown()
    return results


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """`kill` (SIGTERM) unwinds like Ctrl-C, so temporary files are removed on the way out."""
    import signal
    signal.signal(signal.SIGTERM, _raise_interrupt)


def check_options(options: PrintOptions) -> None:
    if options.paper not in PAPERS:
        raise ReportError(f"unknown paper {options.paper!r} (choose from {', '.join(PAPERS)})")
    if not 15 <= options.margins <= 50:
        raise ReportError(f"margins of {options.margins:g} mm: choose 15 to 50 mm "
                          "(the running header and page number sit inside them)")
    if options.crop_marks and not 0 <= options.bleed <= 10:
        raise ReportError(f"bleed of {options.bleed:g} mm: choose 0 to 10 mm")


def validate_choice(values, allowed, what: str) -> list[str]:
    values = list(values) or list(allowed)
    for value in values:
        if value not in allowed:
            raise ReportError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})")
    return values


def build(project_dir: Path, editions=(), formats=(), chapters=(), year: int | None = None,
          output: Path | None = None, progress: Callable[[str], None] = lambda msg: None,
          grayscale: bool = False, options: PrintOptions | None = None, each_chapter: bool = False,
          jobs: int | None = None) -> list[Written]:
    """Full reports, or extracts of `chapters` (one extract of them all, or one per chapter
    with `each_chapter`), for each edition and format."""
    from .extract import WORDS as EXTRACT_WORDS
    from .extract import make_extract
    from .fonts import register_chart_fonts
    from .reader import latest_year, load_project, read_report, select_chapters

    options = options or PrintOptions()
    if grayscale:
        options = dataclasses.replace(options, grayscale=True)
    check_options(options)
    jobs = jobs or os.cpu_count() or 1
    editions = validate_choice(editions, EDITIONS, "edition")
    formats = validate_choice(formats, FORMATS, "format")
    cache_dir = project_dir / ".cache"
    output = output or project_dir / "output"
    progress("reading content and data")
    project = load_project(project_dir, cache_dir, register_chart_fonts(), options.grayscale)
    year = year or latest_year(project.dataset)
    groups: list[list[str]] = []
    if chapters or each_chapter:
        ids = [e.id for e in select_chapters(project.manifest, list(chapters) or None)]
        groups = [[i] for i in ids] if each_chapter else [ids]
    reports = []
    for edition in editions:
        progress(f"assembling the {edition} edition ({year}) and drawing its charts")
        report = read_report(project, edition, year)
        check_text(report)
        reports.append(report)

    tasks = []
    if not groups:
        tasks = [(report, fmt, None) for report in reports for fmt in formats]
    else:
        starts: list[dict] = [{} for _ in reports]
        if not options.restart_pages:
            progress("laying out the full report to number the extracts' pages as in it")
            starts = run_tasks([(chapter_pages, r, cache_dir, options) for r in reports], jobs)
        for report, pages in zip(reports, starts):
            chars = report_chars(report) | report_chars(EXTRACT_WORDS)   # one subset for all extracts
            for ids in groups:
                extract = make_extract(report, ids, options.restart_pages)
                for chapter in extract.chapters:
                    chapter.first_page = pages.get((chapter.id, chapter.lang))
                tasks += [(extract, fmt, chars) for fmt in formats]
    if output.is_dir():
        remove_stale_temporaries(output)
    calls = []
    for report, fmt, chars in tasks:
        path = output / output_name(report, fmt)
        progress(f"writing {path.name}")
        calls.append((write_report, report, fmt, path, cache_dir, options, chars))
    return run_tasks(calls, jobs)
