"""The `report` command. Thin: parse options, call build/check, print one line per
problem. Only this module prints or exits."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .errors import ProblemList, ReportError

DEFAULT_PROJECT = Path(__file__).resolve().parent.parent

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Report folder (content/, data/). Default: the 2020 report in this repository.")
year_option = click.option("--year", type=int, default=None,
                           help="Data year to build. Default: the latest year in data/.")


def _project(project_dir: Path | None) -> Path:
    path = (project_dir or DEFAULT_PROJECT).resolve()
    if not (path / "content").is_dir() or not (path / "data").is_dir():
        raise ReportError("not a report folder: it needs content/ and data/", str(path))
    return path


def _fail(exc: ReportError) -> None:
    problems = exc.problems if isinstance(exc, ProblemList) else [exc]
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(exc.exit_code)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@click.group()
@click.version_option(package_name="report")
def main() -> None:
    """Build the bilingual (Chinese/English) report from content/ and data/."""


@main.command()
@project_option
@click.option("--edition", "-e", "editions", multiple=True, type=click.Choice(["zh", "en", "bilingual"]),
              help="Edition(s) to build (repeatable). Default: all three.")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["pdf", "docx"]),
              help="Format(s) to write (repeatable). Default: pdf and docx.")
@click.option("--chapter", "-c", "chapters", multiple=True,
              help="Chapter by number (3 or III) or id (03-enterprises); repeatable. Default: all.")
@year_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder. Default: output/ in the report folder.")
def build(project_dir, editions, formats, chapters, year, output):
    """Build the report editions as PDF and DOCX.

    \b
    Examples:
      report build                              # all editions and formats, latest year
      report build -e zh -f pdf --chapter 8     # Chinese PDF of chapter VIII
      report build --year 2019 -o /tmp/out
    """
    from .build import build as run_build

    started = time.monotonic()
    try:
        written = run_build(_project(project_dir), editions, formats, chapters, year, output,
                            progress=lambda msg: click.echo(f"… {msg}", err=True))
    except ReportError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("error: interrupted; earlier outputs are unchanged", err=True)
        sys.exit(130)
    click.echo(f"Wrote {len(written)} file(s) in {time.monotonic() - started:.1f} s:")
    for item in written:
        pages = f"{item.pages} pages" if item.pages else "pages set by the word processor"
        click.echo(f"  {item.path}  {pages}, {_size(item.size)}")


@main.command()
@project_option
@year_option
def check(project_dir, year):
    """Read and validate content and data; render nothing; list every problem.

    \b
    Example:
      report check --year 2019
    """
    from .check import check_project

    try:
        errors, warnings = check_project(_project(project_dir), year)
    except ReportError as exc:
        _fail(exc)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"OK: no errors, {len(warnings)} warning(s)")
