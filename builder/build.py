"""Runs a build through the pipeline: read -> transform -> media -> write.

Everything is read and checked first, so bad input stops before any file is touched;
then the charts not in the cache are drawn and every file is written, under a temporary
name renamed into place, by a pool of processes (each file exactly as a serial build
writes it). Chapter extracts are cut from the full report's model; unless their pages
restart at 1, their page numbers come from one layout of the full report's PDF."""
from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder import fonts
from builder.cache import Cache, atomic_write
from builder.context import BuildContext
from builder.errors import ProblemList, ReportError
from builder.media import charts
from builder.model import EDITIONS, LAYOUTS, PAPERS, ChartSpec, Figure, PdfPages, PrintOptions, Report
from builder.pool import Pool, result
from builder.readers.manifest import read_manifest
from builder.timing import timed
from builder.readers.config import inside
from builder.readers.project import Project, load_project, select_chapters
from builder.transforms import finish
from builder.transforms.bilingual import make_book
from builder.transforms.extract import make_extract
from builder.chars import report_chars
from builder.transforms.textcheck import check_text
from builder.words import DRAFT, DRAFT_SEP, EXTRACT
from builder.writers import FORMATS, writer


@dataclass
class Written:
    path: Path
    pages: int | None
    size: int


def build(ctx: BuildContext, editions=(), formats=(), chapters=(), year: int | None = None,
          each_chapter: bool = False, progress: Callable[[str], None] = lambda msg: None,
          draft: bool = False, layout: str | None = None) -> list[Written]:
    """Full reports, or extracts of `chapters` (one extract of them all, or one per chapter
    with `each_chapter`), for each edition and format; `draft`: every page stamped as a
    draft of made-up data (words.DRAFT), and the files named so (`report data rehearse`);
    `layout`: the bilingual edition's (default: content/report.toml's [bilingual] layout)."""
    editions = choose(editions, EDITIONS, "edition")
    if layout is not None:
        choose([layout], LAYOUTS, "layout")
    formats = choose(formats, FORMATS, "format")
    check_options(ctx.options)
    fonts.remember_in(ctx.cache)
    try:
        return _build(ctx, editions, formats, chapters, year, each_chapter, draft, progress, layout)
    except BaseException:
        remove_stale_temporaries(ctx.output)   # of workers that were stopped
        raise


def _build(ctx: BuildContext, editions: list[str], formats: list[str], chapters, year: int | None,
           each_chapter: bool, draft: bool, progress: Callable[[str], None],
           layout: str | None = None) -> list[Written]:
    first, several = first_build(ctx), len(editions) * len(formats) > 1 or each_chapter
    with Pool(ctx.jobs, FIRST_BUILD_MODULES if first else WRITER_MODULES if several else FONT_MODULES) as pool:
        if first or several:   # the workers will write files: their fork server starts importing now
            pool.prepare()
        # The CJK font subsets need only the characters of the files: converted in the pool
        # while this process reads the content.
        chars = project_chars(ctx.root, ctx.cache)
        # A PDF is laid out unless only DOCX extracts numbered from 1 are asked for: the
        # DOCX prints the PDF's page numbers.
        pdf = "pdf" in formats or not (ctx.options.restart_pages and (chapters or each_chapter))
        faces = early_faces(ctx.root)
        early = font_tasks(chars, ctx, pdf, faces) if ctx.jobs > 1 and faces else []
        if early:
            progress("converting the CJK fonts for this character set")
            pool.start(early)
        progress("reading content and data")
        # Imported once the pool's fork server is starting: a third of this process's start.
        from builder.analysis.usage import check_year, default_year
        with timed("reading"):
            project = load_project(ctx.root, ctx.cache)
            ctx, faces = themed(ctx, project)
            if year is None:
                year, why = default_year(project, ctx.cache)
                if why:   # a newer year is not complete: say so, in one line
                    progress(why)
            check_year(project, year)
            # The bilingual edition made one book in the layout chosen (default: the manifest's).
            reports = [make_book(r, layout or project.manifest.layout)
                       for r in read_editions(project, editions, year, ctx, progress, draft)]
        # One character set for every PDF of the project (extracts included): one subset;
        # text the files do not spell out makes it larger.
        printed = report_chars(reports) | report_chars([EXTRACT, project.manifest.theme.extract_label])
        grew = not printed <= chars
        chars |= printed
        later = font_tasks(chars, ctx, pdf, faces) if grew or not early else []
        drawn = sorted({*formats, "pdf"} if pdf else formats)   # (a DOCX's page numbers are the PDF's)
        pool.start(chart_tasks(reports, ctx, drawn, progress) + later)
        groups = chapter_groups(project, chapters, each_chapter)
        if not groups and "docx" in formats:   # the DOCX's contents print the PDF's page numbers
            written = number_then_write(reports, formats, ctx, chars, pool, progress)
        else:
            jobs = [(r, None) for r in reports] if not groups else extracts(reports, groups, ctx, chars, pool, progress)
            written = write_files(jobs, formats, ctx, chars, pool, progress)
    prune(ctx.cache)
    return written


def number_then_write(reports: list[Report], formats: list[str], ctx: BuildContext, chars: set[str], pool: Pool,
                      progress: Callable[[str], None]) -> list[Written]:
    """Each report's PDF laid out for the page numbers its DOCX prints (and written by the
    worker holding its laid-out parts), then its DOCX. A task per worker at a time, the next
    chosen when one is free: layouts first, the bilingual book's (the longest DOCX) first."""
    progress("laying out the PDF to number the DOCX contents as it")
    pool.run([])   # the charts drawn first: the layouts print them
    remove_stale_temporaries(ctx.output)
    paths = {(i, fmt): ctx.output / output_name(r, fmt) for i, r in enumerate(reports) for fmt in formats}
    size = [(-len(r.langs), -len(r.chapters)) for r in reports]
    ready = [(0, size[i], i) for i in range(len(reports))]   # (0: a layout, 1: a DOCX; size; report)
    pending, written = {}, {}   # future -> (report, format); (report, format) -> Written
    while ready or pending:
        while ready and len(pending) < pool.jobs:
            ready.sort()
            kind, _, i = ready.pop(0)
            fmt = "docx" if kind else "pdf"
            if (i, fmt) in paths:
                progress(f"writing {paths[i, fmt].name}")
            task = (write_file, reports[i], fmt, paths[i, fmt], ctx, chars, None) if kind else \
                (pdf_then_file, reports[i], paths.get((i, fmt)), ctx, chars)
            pending[pool.submit(task)] = (i, fmt)
        for future in pool.wait_any(pending):
            i, fmt = pending.pop(future)
            if fmt == "pdf":
                reports[i].pages, written[i, "pdf"] = result(future)   # (None: no PDF asked for)
                ready.append((1, size[i], i))
            else:
                written[i, fmt] = result(future)
    return [written[i, fmt] for i in range(len(reports)) for fmt in formats]


def pdf_then_file(report: Report, path: Path | None, ctx: BuildContext,
                  chars: set[str]) -> tuple[PdfPages, Written | None]:
    """A build task: `report`'s PDF laid out for its page numbers, and written to `path`."""
    report.pages = pdf_layout(report, ctx, chars, True)[1]
    return report.pages, write_file(report, "pdf", path, ctx, chars, None) if path else None


# What the pool's workers import once, in its fork server, while this process reads the
# content (the modules tasks import, not only their packages): to make a new character's
# subsets, to write files (a build of several) and, in a first build, to draw charts.
FONT_MODULES = ("builder.fonts", "fontTools.fontBuilder", "fontTools.misc.psCharStrings", "fontTools.pens.cu2quPen",
                "fontTools.pens.ttGlyphPen", "fontTools.ttLib.tables._n_a_m_e")
WRITER_MODULES = (*FONT_MODULES, "builder.writers.pdf", "builder.writers.docx")
FIRST_BUILD_MODULES = (*WRITER_MODULES, "builder.media.charts", "builder.media.vector", "matplotlib.figure",
                       "matplotlib.backends.backend_agg")


def first_build(ctx: BuildContext) -> bool:
    """No chart drawn yet: every worker will draw charts."""
    folder = ctx.cache.file("charts", "")
    return folder is not None and not (folder.is_dir() and any(folder.iterdir()))


PRUNE_EVERY = 60   # seconds: the cache is pruned after a build at most this often


def prune(cache: Cache) -> None:
    """cache.prune, unless a build pruned it less than PRUNE_EVERY ago (a writer builds
    many times a minute; `.cache/.pruned` says when it last was)."""
    if cache.root is None:
        return
    stamp = cache.root / ".pruned"
    try:
        if time.time() - stamp.lstat().st_mtime < PRUNE_EVERY:
            return
    except OSError:   # never pruned
        pass
    cache.prune()
    try:   # (not through a link planted there: nothing outside the folder is touched)
        os.close(os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o666))
        os.utime(stamp, follow_symlinks=False)
    except OSError:   # a read-only or full cache
        pass


def read_editions(project: Project, editions: list[str], year: int, ctx: BuildContext,
                  progress: Callable[[str], None], draft: bool = False) -> list[Report]:
    """Each edition read, finished (appendix, numbers) and its every character checked."""
    from builder.analysis.usage import used_sources, year_problems
    from builder.readers.report import read_report

    problems = year_problems(project, year, ctx.cache)   # every gap of a half-filled year at once
    if problems:
        raise ProblemList(problems)
    sources = used_sources(project, year, ctx.cache)
    reports = []
    for edition in editions:
        progress(f"assembling the {edition} edition ({year})")
        report = finish(read_report(project, edition, year, ctx.cache), sources)
        if draft:
            report.draft = DRAFT_SEP.join(DRAFT[lang] for lang in report.langs)
        check_text(report, project.root)
        reports.append(report)
    return reports


def chapter_groups(project: Project, chapters, each_chapter: bool) -> list[list[str]]:
    """Chapter ids of each extract to make; none: the full reports."""
    if not (chapters or each_chapter):
        return []
    ids = [e.id for e in select_chapters(project.manifest, list(chapters) or None)]
    return [[i] for i in ids] if each_chapter else [ids]


def extracts(reports: list[Report], groups: list[list[str]], ctx: BuildContext, chars: set[str], pool: Pool,
             progress: Callable[[str], None]) -> list[tuple[Report, Report]]:
    """(extract, the full report it is cut from) for each edition and group; page numbers
    are the full report's unless they restart at 1."""
    starts: list[tuple] = [({}, None) for _ in reports]
    if not ctx.options.restart_pages:
        progress("laying out the full report to number the extracts' pages as in it")
        starts = pool.run([(pdf_layout, report, ctx, chars) for report in reports])
    jobs = []
    for report, (pages, headings) in zip(reports, starts):
        for ids in groups:
            extract = make_extract(report, ids, ctx.options.restart_pages)
            extract.pages = headings
            for chapter in extract.chapters:
                chapter.first_page = pages.get((chapter.id, chapter.lang))
            jobs.append((extract, report))
    return jobs


def pdf_layout(report: Report, ctx: BuildContext, chars: set[str], count: bool = False) -> tuple[dict, PdfPages]:
    """A build task: the PDF writer's page numbers of `report` (see pdf.page_numbers)."""
    with timed("PDF layout and assembly"):   # (layout only: the bench subtracts no assembly)
        return writer("pdf").page_numbers(report, ctx, chars, count)


def write_files(jobs: list[tuple[Report, Report | None]], formats: list[str], ctx: BuildContext, chars: set[str],
                pool: Pool, progress: Callable[[str], None]) -> list[Written]:
    """Every (report, format) file, in the pool; results in the order given."""
    remove_stale_temporaries(ctx.output)
    tasks = []
    for report, full in jobs:
        for fmt in formats:
            path = ctx.output / output_name(report, fmt)
            progress(f"writing {path.name}")
            tasks.append((write_file, report, fmt, path, ctx, chars, full))
    if pool.runs_here(tasks):   # imported while the pool ends what it runs (fonts, charts)
        for fmt in formats:
            writer(fmt)
    # The longest first (PDFs, bigger editions first), so that no core is left alone with
    # a long one at the end.
    order = sorted(range(len(tasks)), key=lambda i: (tasks[i][2] != "pdf", -len(tasks[i][1].chapters)))
    done = pool.run([tasks[i] for i in order])
    return [done[order.index(i)] for i in range(len(tasks))]


def write_file(report: Report, fmt: str, path: Path, ctx: BuildContext, chars: set[str],
               full: Report | None) -> Written:
    """A build task: one file, written whole or not at all (an error or a kill never leaves
    half a report where the previous one was)."""
    fonts.remember_in(ctx.cache)
    try:
        with timed("DOCX" if fmt == "docx" else "PDF layout and assembly"):
            pages = atomic_write(path, lambda tmp: writer(fmt).write(report, tmp, ctx, chars, full))
    except OSError as exc:   # read-only folder, full disk, file size limit...
        raise ReportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    return Written(path, pages, path.stat().st_size)


def font_tasks(chars: set[str], ctx: BuildContext, pdf: bool, faces: dict[str, str]) -> list[tuple]:
    """Build tasks: each CJK face's subset for `chars` (in the theme's `faces`), into the
    cache. (A task of builder.fonts: a new worker imports that module, not this one.)"""
    return [(fonts.convert_cjk_subset, role, chars, ctx.cache, faces) for role in ("cjk_regular", "cjk_bold")
            if pdf and not fonts.cjk_subset_cached(role, chars, ctx.cache)]


def early_faces(root: Path) -> dict[str, str] | None:
    """The fonts of the report's theme, read ahead to convert them while the rest is read
    (None: content/report.toml has a problem, which reading the project reports)."""
    try:
        faces = fonts.theme_faces(read_manifest(root).theme)
    except ReportError:
        return None
    fonts.choose(faces)
    return faces


def themed(ctx: BuildContext, project: Project) -> tuple[BuildContext, dict[str, str]]:
    """The build's context with the theme's paper unless --paper chose one; the theme's fonts."""
    theme = project.manifest.theme
    faces = fonts.theme_faces(theme)
    fonts.choose(faces)
    if ctx.options.paper is None:
        ctx = dataclasses.replace(ctx, options=dataclasses.replace(ctx.options, paper=theme.paper))
    return ctx, faces


def chart_tasks(reports: list[Report], ctx: BuildContext, formats: list[str],
                progress: Callable[[str], None]) -> list[tuple]:
    """The charts not in the cache, each once, drawn for every format."""
    specs: list[ChartSpec] = []
    for report in reports:
        for chapter in report.chapters:
            specs += [b.chart for b in chapter.blocks if isinstance(b, Figure) and b.chart not in specs]
            specs += [row.chart for row in chapter.rows if row.chart and row.chart not in specs]
    todo = [spec for spec in specs if not charts.is_drawn(spec, ctx, formats)]
    if todo:
        progress(f"drawing {len(todo)} chart(s)")
    return [(charts.draw, spec, ctx, formats) for spec in todo]   # each in the forms the formats print


def project_chars(root: Path, cache: Cache | None = None) -> set[str]:
    """Every character of content/ and data/, and of the builder's source (where the
    labels the writers add come from). The font subsets cover these: known before
    anything is read, so the fonts are converted while the content is read, and the same
    (so cached) across edits that use no new character. Each file's characters are kept
    in the cache by its size, time and inode: an edit reads the edited file only."""
    files = [p for folder in ("content", "data") for p in (root / folder).rglob("*")
             if p.suffix in (".md", ".toml", ".csv")]
    kept = cache.file("fonts", "project-chars.json") if cache else None
    known = {}
    if kept is not None and cache.verified(kept):
        known = json.loads(kept.read_text(encoding="utf-8"))
    chars: set[str] = set()
    found = {}
    for path in sorted(files) + sorted(Path(__file__).parent.rglob("*.py")):
        stat = path.stat() if path.is_file() else None
        if stat is None or stat.st_size > 2_000_000:   # larger: refused when read
            continue
        stamp = [stat.st_mtime_ns, stat.st_size, stat.st_ino]
        entry = known.get(str(path))
        if not entry or entry[0] != stamp:
            # Outside the folder through a link: refused when read. (Resolved only to be read:
            # resolving every file was a third of this function's time.)
            if path in files and not inside(root, path):
                continue
            entry = [stamp, "".join(sorted(set(path.read_text(encoding="utf-8", errors="replace"))))]
        found[str(path)] = entry
        chars.update(entry[1])
    if kept is not None and found != known:
        try:
            cache.keep(kept, json.dumps(found, ensure_ascii=False).encode("utf-8"))
        except OSError:   # a read-only or full cache only costs speed
            pass
    return chars


def output_name(report: Report, fmt: str) -> str:
    stem = f"report-{report.year}-{report.edition}"
    if report.title_blocks:   # an extract
        stem += "-ch" + "-".join(dict.fromkeys(c.id.split("-")[0] for c in report.chapters))
    if report.draft:   # made-up data: never mistaken for the edition
        stem += "-rehearsal"
    return f"{stem}.{fmt}"


def remove_stale_temporaries(output: Path) -> None:
    """Temporary files of builds that were killed outright (SIGKILL, power loss):
    `.<name>.<pid>-<random>.tmp`, see cache.atomic_write."""
    for tmp in output.glob(".*.tmp") if output.is_dir() else []:
        pid = tmp.name[:-len(".tmp")].rsplit(".", 1)[-1].split("-")[0]
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


def check_options(options: PrintOptions) -> None:
    if options.paper is not None and options.paper not in PAPERS:
        raise ReportError(f"unknown paper {options.paper!r} (choose from {', '.join(PAPERS)})")
    if not 15 <= options.margins <= 50:
        raise ReportError(f"margins of {options.margins:g} mm: choose 15 to 50 mm "
                          "(the running header and page number sit inside them)")
    if options.crop_marks and not 0 <= options.bleed <= 10:
        raise ReportError(f"bleed of {options.bleed:g} mm: choose 0 to 10 mm")


def choose(values, allowed, what: str) -> list[str]:
    values = list(values) or list(allowed)
    for value in values:
        if value not in allowed:
            raise ReportError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})")
    return values
