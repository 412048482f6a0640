"""The `report` command. Thin: parse options, call build/check, print one line per
problem. Only this module and builder.cli_support print or exit."""
from __future__ import annotations

import dataclasses
import os
import sys
import time

import click

from builder.cli_support import (Commands, FolderPath, build_with_cache, context as _context, factor as _factor,
                                 print_problems as _print_problems, project as _project, size as _size,
                                 usable_cache as _usable_cache)
from builder.errors import ProblemList, ReportError
from builder.pool import stop_fork_server

project_option = click.option(
    "--project", "project_dir", type=FolderPath(file_okay=False), default=None,
    help="Report folder (content/, data/). Default: the first folder holding content/report.toml, "
         "from the current folder upwards.")
editions_option = click.option(
    "--edition", "-e", "editions", multiple=True, type=click.Choice(["zh", "en", "bilingual"]),
    help="Edition(s) to build (repeatable). Default: all three.")
formats_option = click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["pdf", "docx"]),
                              help="Format(s) to write (repeatable). Default: pdf and docx.")
output_option = click.option("--output", "-o", type=FolderPath(file_okay=False), default=None,
                             help="Output folder. Default: output/ in the report folder.")
year_option = click.option("--year", type=int, default=None,
                           help="Data year to build. Default: the latest year with every value filled.")


@click.group(cls=Commands)
@click.version_option(package_name="report")
def main() -> None:
    """Build a bilingual (Chinese/English) report as PDF and DOCX from a report folder:
    its content/ (report.toml, chapters, figures) and data/ (indicator tables).

    Every command works on the report folder it is run in (the first folder holding
    content/report.toml, from the current folder upwards) or the one --project names.
    `report init DIR` starts a new one.
    """


@main.command()
@click.argument("folder", type=FolderPath())
def init(folder):
    """Start a new report in FOLDER (new or empty): a small bilingual example report,
    with two chapters, a chart, a table, a footnote and data with sources, that builds
    as it is. Edit it into your own.

    \b
    Example:
      report init my-report && cd my-report && report build
    """
    from builder.scaffold import init as write_scaffold

    written = write_scaffold(folder)
    click.echo(f"Started a report in {folder}: {len(written)} files (content/ and data/).")
    click.echo(f"Next: cd {folder} && report build   (then edit content/ and data/, and run report check)")


@main.command()
@project_option
@editions_option
@formats_option
@click.option("--chapter", "-c", "chapters", multiple=True,
              help="Extract of a chapter, by number (3 or III) or id (its folder name); repeatable.")
@click.option("--each-chapter", is_flag=True,
              help="One extract per chapter (of those given with --chapter, or all) in one run.")
@year_option
@output_option
@click.option("--paper", type=click.Choice(["A4", "Letter"], case_sensitive=False), default=None,
              help="Paper size. Default: the theme's (content/report.toml), else A4.")
@click.option("--margins", type=float, default=25.0, show_default=True, help="Page margins in mm (15 to 50).")
@click.option("--duplex", is_flag=True, help="Printing on both sides: parts and chapters start on a right-hand page.")
@click.option("--grayscale", is_flag=True, help="Charts for black-and-white printers (hatching, markers, dashes).")
@click.option("--crop-marks", is_flag=True, help="PDF for a print shop: 3 mm bleed, trim marks, TrimBox/BleedBox.")
@click.option("--restart-pages", is_flag=True, help="Extracts: number pages from 1, not as in the full report.")
@click.option("--layout", type=click.Choice(["parallel", "sequential"]), default=None,
              help="The bilingual edition's body: zh and en side by side, pair by pair (parallel), or the whole "
                   "zh text, then the whole en text (sequential). Default: [bilingual] layout in "
                   "content/report.toml, else parallel.")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help="Processes to write with. Default: all cores.")
def build(project_dir, editions, formats, chapters, each_chapter, year, output, paper, margins, duplex,
          grayscale, crop_marks, restart_pages, layout, jobs):
    """Build the report editions as PDF and DOCX, or extracts of chapters for print.

    \b
    Examples:
      report build                              # all editions and formats, latest year
      report build -e zh -f pdf --chapter 2     # Chinese PDF extract of chapter II
      report build --each-chapter --duplex      # one extract per chapter, printed both sides
      report build --paper Letter --grayscale --margins 20
      report build -c 2 --crop-marks -f pdf     # for a print shop
      report build --year 2022 -o /tmp/out
    """
    from builder.build import build as run_build
    from builder.model import PrintOptions
    from builder.pool import stop_on_sigterm

    stop_on_sigterm()
    paper = paper and {"a4": "A4", "letter": "Letter"}[paper.lower()]
    options = PrintOptions(paper=paper, margins=margins, duplex=duplex, grayscale=grayscale,
                           crop_marks=crop_marks, restart_pages=restart_pages)
    started = time.monotonic()
    ctx = _usable_cache(_context(project_dir, output, options=options, jobs=jobs or os.cpu_count() or 1))
    written = build_with_cache(ctx, run_build, editions, formats, chapters, year, each_chapter,
                               progress=lambda msg: click.echo(f"… {msg}", err=True), layout=layout)
    click.echo(f"Wrote {len(written)} file(s) in {time.monotonic() - started:.1f} s:")
    # A DOCX has no pages until a word processor lays it out; the PDF of the same edition,
    # same paper and fonts, tells roughly how many it will have.
    pdf_pages = {item.path.with_suffix(""): item.pages for item in written if item.path.suffix == ".pdf"}
    for item in written:
        if item.pages:
            pages = f"{item.pages} pages"
        elif pdf_pages.get(item.path.with_suffix("")):
            pages = f"about {pdf_pages[item.path.with_suffix('')]} pages (as laid out in the PDF)"
        else:
            pages = "pages counted when a word processor lays it out"
        click.echo(f"  {item.path}  {pages}, {_size(item.size)}")


@main.command()
@project_option
@editions_option
@formats_option
@click.option("--chapter", "-c", "chapters", multiple=True,
              help="Only an extract of these chapters, by number or id; repeatable.")
@year_option
@output_option
def watch(project_dir, editions, formats, chapters, year, output):
    """Build, then build again whenever a file in content/ or data/ is saved; Ctrl-C stops.

    Rebuilds run in this process, which keeps its imports and fonts loaded, and lay out
    only the chapters that changed: a one-paragraph edit is in the PDF a fraction of a
    second after it is saved. Bad input prints its errors and the watch goes on.

    \b
    Examples:
      report watch -e zh -f pdf                 # a writer proofing the Chinese PDF
      report watch -e bilingual -f pdf -c 2     # a translator on chapter II
    """
    from watchfiles import watch as watch_files

    from builder.build import build as run_build
    from builder.pool import stop_on_sigterm

    stop_on_sigterm()
    ctx = _usable_cache(_context(project_dir, output))
    project = ctx.root

    def build_once(jobs: int) -> None:
        started = time.monotonic()
        try:
            written = run_build(dataclasses.replace(ctx, jobs=jobs), editions, formats, chapters, year)
        except ReportError as exc:   # printed, and the watch goes on
            _print_problems(exc)
            return
        names = ", ".join(item.path.name for item in written)
        click.echo(f"{time.strftime('%H:%M:%S')} wrote {names} in {time.monotonic() - started:.2f} s")

    def is_source(change, path: str) -> bool:
        return path.endswith((".md", ".toml", ".csv"))   # not editors' swap and backup files
    try:
        build_once(os.cpu_count() or 1)   # the first build may draw every chart: on all cores
        click.echo(f"watching {project / 'content'} and {project / 'data'} (Ctrl-C stops)", err=True)
        # step: how long the folders must stay quiet after a change before it is built
        # (watchfiles' default, 50 ms, was a fifth of a rebuild; an editor's save is over
        # within a millisecond or two).
        for _ in watch_files(project / "content", project / "data", watch_filter=is_source, step=10):
            build_once(1)   # in this process, warm
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@project_option
@year_option
@click.option("--strict", is_flag=True,
              help="Every warning is an error (exit 1): for a release build, nothing typed that data should give.")
def check(project_dir, year, strict):
    """Read and validate content and data; render nothing; list every problem.

    Warnings name what the prose types instead of binding it to data: numbers, years,
    ranks and claims such as 超过一半 or "doubled" (mark a fixed historical fact with
    {{ fixed("…") }}).

    \b
    Example:
      report check --year 2024
      report check --strict         # before printing: warnings fail too
    """
    from builder.analysis.check import check_project

    errors, warnings = check_project(_project(project_dir), year)
    if strict:
        errors, warnings = warnings + errors, []
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"OK: no errors, {len(warnings)} warning(s)")


@main.group()
def data() -> None:
    """Prepare and review a new year's data."""


def _load(project_dir, validate_rules: bool = True):
    """(project, cache) for the `report data` commands."""
    from builder.cache import Cache
    from builder.readers.project import load_project
    root = _project(project_dir)
    cache = Cache(root / ".cache")
    return load_project(root, cache, validate_rules=validate_rules), cache


@data.command("new-year")
@project_option
@click.argument("year", type=int)
def new_year(project_dir, year):
    """Add an empty row for YEAR to every indicator the report uses, and list them.

    \b
    Example:
      report data new-year 2024     # then fill the values, and run: report check --year 2024
    """
    from builder.analysis.newyear import new_year as add_rows
    from builder.pool import stop_on_sigterm

    stop_on_sigterm()   # `kill` unwinds too: every file is put back as it was
    added, todo, stub = add_rows(*_load(project_dir), year)
    click.echo(f"Added {added} row(s) for {year}" + (f" and data/editions.csv row {stub!r}" if stub else "")
               + ("" if added or stub else " (nothing new: rows already there)") + ".")
    if stub:
        click.echo(f"  data/editions.csv: fill the publication date (YYYY-MM-DD) for {year}")
    click.echo(f"{len(todo)} value(s) to fill:")
    for item in todo:
        click.echo(f"  {item.file}:{item.line}  {item.indicator}  {item.label}")


@data.command("diff")
@project_option
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--factor", type=float, default=2.0, show_default=True, callback=_factor,
              help="Flag values that grew or shrank by more than this factor.")
def diff(project_dir, old, new, factor):
    """Review table of every indicator the report uses: OLD and NEW year values, the
    change (percentages in points), and flags: missing, sign flip, large change, same as
    OLD, fewer decimals, trend reverses, a rule of data/checks.toml broken, a derived
    share disagreeing with its parts; then where each flagged value is printed.

    \b
    Example:
      report data diff 2023 2024 --factor 1.5
    """
    from builder.analysis.diff import diff_years, review_lines

    rows = diff_years(*_load(project_dir, validate_rules=False), old, new, factor)
    click.echo("\n".join(review_lines(rows, old, new)))
    click.echo(f"{len(rows)} indicator(s), {sum(1 for r in rows if r.flags)} flagged")


@data.command("rehearse")
@project_option
@click.argument("year", type=int)
@click.option("--seed", type=int, default=None, help="Seed of the made-up values. Default: YEAR.")
@editions_option
@formats_option
@output_option
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help="Processes to write with. Default: all cores.")
def rehearse(project_dir, year, seed, editions, formats, output, jobs):
    """Build a draft of YEAR's editions from made-up data, to see before the real data
    arrive which sentences new numbers would make false.

    Copies content/ and data/ into OUTPUT/rehearsal-YEAR/ (data/ itself is never
    changed), adds YEAR's rows there as `report data new-year` does, fills them with
    values moved from the year before (reproducibly: the same seed, the same values;
    breakdowns and sums of data/checks.toml kept, ranks reshuffled, dates a year later),
    builds the editions, every page stamped as a draft, and shows `report data diff` of
    the made-up year.

    \b
    Example:
      report data rehearse 2024 -e zh -e en -f pdf   # output/report-2024-zh-rehearsal.pdf ...
    """
    from builder.analysis.diff import diff_years, review_lines
    from builder.analysis.rehearse import rehearse as make_data
    from builder.build import build as run_build
    from builder.pool import stop_on_sigterm
    from builder.readers.project import load_project

    stop_on_sigterm()
    project, cache = _load(project_dir)
    ctx = _context(project_dir, output, jobs=jobs or os.cpu_count() or 1)
    made = make_data(project, cache, year, year if seed is None else seed, ctx.output / f"rehearsal-{year}")
    click.echo(f"Made up {made.moved} value(s) for {year} from {made.base} (seed {year if seed is None else seed}): "
               f"{made.up} up, {made.down} down, {made.dates} date(s) a year later; published {made.published}")
    click.echo(f"  data and content: {made.root}")
    written = run_build(dataclasses.replace(ctx, root=made.root), editions, formats, year=year, draft=True,
                        progress=lambda msg: click.echo(f"… {msg}", err=True))
    click.echo(f"Wrote {len(written)} draft file(s):")
    for item in written:
        click.echo(f"  {item.path}" + (f"  {item.pages} pages" if item.pages else ""))
    rows = diff_years(load_project(made.root, cache, validate_rules=False), cache, made.base, year)
    flagged = [r for r in rows if r.flags]
    click.echo(f"report data diff {made.base} {year} of the rehearsal: {len(rows)} indicator(s), "
               f"{len(flagged)} flagged" + (":" if flagged else ""))
    if flagged:
        click.echo("\n".join(review_lines(flagged, made.base, year)))


@main.command()
@project_option
@click.option("--confirm", is_flag=True, help="Confirm the current pairs of the chapters given (default: all).")
@click.argument("chapters", nargs=-1)
def translations(project_dir, confirm, chapters):
    """List, per chapter, the zh/en pairs whose one side changed since the pair was last
    confirmed, with file:line and what changed; --confirm records the current pairs in
    each chapter's translations.toml (commit it with the text).

    CHAPTER is an id (02-lending), a name (lending) or a number (2).

    \b
    Examples:
      report translations                     # what to translate again
      report translations --confirm           # first run, or after checking every pair
      report translations --confirm 02-lending
    """
    from builder.analysis.translations import chapter_ids, confirm as write, status_lines, statuses

    root = _project(project_dir)
    found, errors, warnings = statuses(root, chapter_ids(root, chapters))
    if errors or (confirm and warnings):   # pairs that do not correspond are not confirmed
        raise ProblemList([ReportError(line) for line in errors + warnings])
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for status in found:
        if confirm:
            changed = write(root, status)
            click.echo(f"{status.folder}: {len(status.pairs.pairs)} pair(s) confirmed"
                       + ("" if changed else " (unchanged)"))
        else:
            for line in status_lines(status):
                click.echo(line)


def run() -> None:
    """The `report` command: main, then an exit that does not tear the interpreter down
    (freeing the modules a build imported takes a tenth of a second, after the work is
    done and every file closed). What exit would run is run (a temporary cache removed)."""
    import atexit

    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    stop_fork_server()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
