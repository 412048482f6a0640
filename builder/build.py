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

from builder.cache import prune
from builder.errors import ReportError
from builder.model import EDITIONS, PAPERS, PrintOptions, Report
from builder.transforms.textcheck import check_text, report_chars

FORMATS = ("pdf", "docx")
CACHE_LIMITS = {"pdf-parts": 300, "chapters": 50, "probes": 20, "data": 20}   # MB in .cache/, least recently used go


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
                 options: PrintOptions = PrintOptions(), chars: set[str] | None = None,
                 full: Report | None = None) -> Written:
    """`chars`: what the font subsets cover (default: the report's characters); extracts
    pass their full report's, so that all of them share one cached subset. `full`: the
    full report an extract is cut from."""
    from builder import fonts
    fonts.coverage_cache = cache_dir / "fonts"
    if fmt == "pdf":
        from builder.fonts import prepare_pdf_fonts
        from builder.writers.pdf import write_pdf
        fonts = prepare_pdf_fonts(chars or report_chars(report), cache_dir / "fonts")
        glyphs = edition_glyphs(full or report)
        return write_atomically(path, lambda tmp: write_pdf(report, tmp, fonts, options, cache_dir / "pdf-parts",
                                                            glyphs))
    from builder.writers.docx import write_docx
    return write_atomically(path, lambda tmp: write_docx(report, tmp, options))


def edition_glyphs(report: Report) -> tuple[set[str], set[str]]:
    """The characters every PDF of an edition (the full report and its extracts) gives its
    fonts: the same, so that extracts reuse the full report's laid-out chapters."""
    from builder.transforms.extract import WORDS
    from builder.writers.pdf import pdf_characters
    regular, bold = pdf_characters(report)
    return regular | report_chars([WORDS[lang] for lang in report.langs]), bold


def chapter_pages(report: Report, cache_dir: Path, options: PrintOptions,
                  chars: set[str] | None = None) -> dict[tuple[str, str], int]:
    """Page number of each chapter's first page in the full report's PDF."""
    from builder.fonts import prepare_pdf_fonts
    from builder.writers.pdf import chapter_pages as layout
    fonts = prepare_pdf_fonts(chars or report_chars(report), cache_dir / "fonts")
    return layout(report, fonts, options, cache_dir / "pdf-parts", edition_glyphs(report))


def project_chars(project_dir: Path) -> set[str]:
    """Every character of content/ and data/, and of the builder's source (where the
    labels the writers add come from). The font subsets cover these: known before
    anything is read, so the fonts are converted while the content is read, and the same
    (so cached) across edits that use no new character."""
    files = [p for folder in ("content", "data") for p in (project_dir / folder).rglob("*")
             if p.suffix in (".md", ".toml", ".csv")]
    chars: set[str] = set()
    for path in sorted(files) + sorted(Path(__file__).parent.rglob("*.py")):
        if path.is_file():
            chars.update(path.read_text(encoding="utf-8", errors="replace"))
    return chars


def draw_chart(spec, cache_dir: Path, font_family: list[str]) -> None:
    """A build task: one chart, and its operators for the PDF writer."""
    from builder.media.charts import render_chart
    from builder.writers.pdf.blocks import chart_operators
    svg, _, _ = render_chart(spec, cache_dir, font_family)
    chart_operators(svg)


def _call(task: tuple):
    function, *args = task
    return function(*args)


def _spawn_pool(workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    # spawn: fresh interpreters, nothing inherited from this process's state.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=stop_on_sigterm)


def _stop_pool(pool) -> None:
    """Interrupted or failed: stop the workers now; SIGTERM makes each remove its
    temporary file, so the previous outputs stay as they were."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    try:
        pool.shutdown(wait=True, cancel_futures=True)
    except OSError:   # the pool's pipes break as its workers stop; the first error counts
        pass


def run_tasks(tasks: list[tuple], jobs: int, after: list[tuple] = (), pool=None, started=()) -> list:
    """[(function, *args)] -> results in order: in a process pool if there is more than
    one task and more than one job, else here. `after`: tasks that need the first ones
    done, run in the same pool once they are (its workers start once). `pool`, `started`:
    a pool already at work and the futures of what was given to it earlier. Returns the
    results of `started`, `tasks` and `after`, in that order."""
    if pool is None and (jobs <= 1 or len(tasks) + len(after) <= 1):
        return [_call(t) for t in [*tasks, *after]]
    pool = pool or _spawn_pool(min(jobs, max(len(tasks), len(after))))
    try:
        results = [future.result() for future in started] + list(pool.map(_call, tasks))
        results += list(pool.map(_call, after))
    except BaseException:
        _stop_pool(pool)
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
    from builder.transforms.extract import WORDS as EXTRACT_WORDS
    from builder.transforms.extract import make_extract
    from builder.fonts import chart_font_family, cjk_subset_cached, prepare_cjk_subset
    from builder.readers.project import latest_year, load_project, read_report, select_chapters

    options = options or PrintOptions()
    if grayscale:
        options = dataclasses.replace(options, grayscale=True)
    check_options(options)
    jobs = jobs or os.cpu_count() or 1
    editions = validate_choice(editions, EDITIONS, "edition")
    formats = validate_choice(formats, FORMATS, "format")
    cache_dir = project_dir / ".cache"
    output = output or project_dir / "output"
    from builder import fonts
    fonts.coverage_cache = cache_dir / "fonts"
    # The font subsets need only the characters of the files: converted in the pool
    # while this process reads the content.
    chars = project_chars(project_dir)
    pdf = "pdf" in formats or bool(chapters or each_chapter) and not options.restart_pages

    def font_tasks() -> list[tuple]:
        return [(prepare_cjk_subset, role, chars, cache_dir / "fonts") for role in ("cjk_regular", "cjk_bold")
                if pdf and not cjk_subset_cached(role, chars, cache_dir / "fonts")]
    pool, started = None, []
    if font_tasks() and jobs > 1:
        progress("converting the CJK fonts for this character set")
        pool = _spawn_pool(jobs)
        started = [pool.submit(_call, task) for task in font_tasks()]
    try:
        progress("reading content and data")
        project = load_project(project_dir, cache_dir, chart_font_family(), options.grayscale)
        project.deferred = []   # charts are drawn below, in parallel
        year = year or latest_year(project.dataset)
        groups: list[list[str]] = []
        if chapters or each_chapter:
            ids = [e.id for e in select_chapters(project.manifest, list(chapters) or None)]
            groups = [[i] for i in ids] if each_chapter else [ids]
        reports = []
        for edition in editions:
            progress(f"assembling the {edition} edition ({year})")
            report = read_report(project, edition, year)
            check_text(report)
            reports.append(report)
    except BaseException:
        if pool:
            _stop_pool(pool)
        raise

    # The charts not cached, and the fonts if not started above, in parallel; then the files.
    # One character set for every PDF of the project (extracts included): one subset.
    printed = report_chars(reports) | report_chars(EXTRACT_WORDS)
    grew = not printed <= chars   # text the files do not spell out: a larger subset
    chars |= printed
    prepare: list[tuple] = [(draw_chart, spec, project.chart_dir, project.font_family)
                            for spec in project.deferred]
    if not started or grew:
        prepare += font_tasks()
    if project.deferred:
        progress(f"drawing {len(project.deferred)} chart(s)")
    skip = len(started) + len(prepare)

    tasks = []
    if not groups:
        tasks = [(report, fmt, None) for report in reports for fmt in formats]
    else:
        starts: list[dict] = [{} for _ in reports]
        if not options.restart_pages:
            progress("laying out the full report to number the extracts' pages as in it")
            layouts = [(chapter_pages, r, cache_dir, options, chars) for r in reports]
            starts = run_tasks(prepare, jobs, layouts, pool, started)[skip:]
            prepare, started, pool, skip = [], [], None, 0
        for report, pages in zip(reports, starts):
            for ids in groups:
                extract = make_extract(report, ids, options.restart_pages)
                for chapter in extract.chapters:
                    chapter.first_page = pages.get((chapter.id, chapter.lang))
                tasks += [(extract, fmt, report) for fmt in formats]
    if output.is_dir():
        remove_stale_temporaries(output)
    calls = []
    for report, fmt, full in tasks:
        path = output / output_name(report, fmt)
        progress(f"writing {path.name}")
        calls.append((write_report, report, fmt, path, cache_dir, options, chars, full))
    # Run the longest first (PDFs, bigger editions first), so that no core is left alone
    # with a long one at the end; return the results in the order above.
    order = sorted(range(len(calls)), key=lambda i: (tasks[i][1] != "pdf", -len(tasks[i][0].chapters)))
    done = run_tasks(prepare, jobs, [calls[i] for i in order], pool, started)[skip:]
    for folder, megabytes in CACHE_LIMITS.items():
        prune(cache_dir / folder, megabytes * 2**20)
    return [done[order.index(i)] for i in range(len(calls))]
