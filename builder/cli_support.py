"""What every `report` command shares: the options' types, the report folder and build
context, the cache a build can use, and the one place problems are printed (one line
each) and turned into the exit code. With builder.cli, the only module that prints or
exits."""
from __future__ import annotations

import dataclasses
import errno
import math
import sys
import tempfile
from pathlib import Path

import click

from builder.errors import ProblemList, ReportError

FULL = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)   # a disk or quota full, a read-only disk


class FolderPath(click.Path):
    """A folder option or argument: never empty (`-o ""` is no folder, not the current one)."""

    def __init__(self, **kw):
        super().__init__(path_type=Path, **kw)

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("an empty name: give a folder", param, ctx)
        return super().convert(value, param, ctx)


def factor(ctx, param, value: float) -> float:
    if not math.isfinite(value) or value <= 1:
        raise click.BadParameter(f"{value}: give a number above 1 (2 flags values that doubled or halved)")
    return value


def project(project_dir: Path | None) -> Path:
    from builder.readers.project import find_project
    return find_project(project_dir)


def context(project_dir: Path | None, output: Path | None = None, **kw):
    from builder.context import BuildContext, Fonts
    from builder.fonts import chart_font_family
    from builder.readers.config import inside
    root = project(project_dir)
    if output is None and (root / "output").is_symlink() and not inside(root, root / "output"):
        raise ReportError("a link to a folder outside the report folder: the files are not written through it "
                          "(remove it, or name the folder with -o)", "output")
    folder = output or root / "output"
    if folder.exists() and not folder.is_dir():
        raise ReportError("not a folder: the files go into a folder of this name (rename the file, or use -o)",
                          str(output) if output else "output")
    return BuildContext.for_folder(root, output, fonts=Fonts(chart_family=tuple(chart_font_family())), **kw)


def usable_cache(ctx, problem: str | None = None):
    """`ctx`, or where its .cache/ cannot be used (a read-only or full folder, links
    planted in it), `ctx` with a cache for this command only, said once: the same files,
    only slower next time."""
    problem = problem or ctx.cache.problem or ctx.cache.unwritable()
    if not problem:
        return ctx
    where = ctx.root / ".cache"
    click.echo(f"warning: {where}: {problem}: nothing this build makes is kept, "
               "so the next build redoes it all (slower, the same files)", err=True)
    from builder.cache import Cache
    folder = click.get_current_context().with_resource(tempfile.TemporaryDirectory(prefix="report-cache-"))
    return dataclasses.replace(ctx, cache=Cache(Path(folder)))


def build_with_cache(ctx, build, *args, **kw):
    """build(ctx, *args, **kw); a disk that fills up meanwhile is, when the cache is on
    it, a problem of the cache's only: built again with a cache for this command."""
    try:
        return build(ctx, *args, **kw)
    except OSError as exc:
        if exc.errno not in FULL or ctx.cache.root != ctx.root / ".cache" or not _full(ctx.cache.root):
            raise
        return build(usable_cache(ctx, exc.strerror), *args, **kw)


def _full(folder: Path) -> bool:
    """Whether less than 100 MB can be written in `folder` (or nothing: read-only)."""
    import os
    try:
        info = os.statvfs(folder)
        return info.f_bavail * info.f_frsize < 100 * 2**20 or not os.access(folder, os.W_OK)
    except OSError:
        return True


def print_problems(exc: ReportError) -> None:
    for problem in exc.problems if isinstance(exc, ProblemList) else [exc]:
        click.echo(f"error: {problem}", err=True)


class Commands(click.Group):
    """Every command's problems end here: one line each, and the error's exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ReportError as exc:
            print_problems(exc)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted; earlier outputs are unchanged", err=True)
            sys.exit(130)
        except OSError as exc:   # e.g. the output folder cannot be written
            print_problems(ReportError(f"cannot write: {exc.strerror or exc}", exc.filename))
            sys.exit(1)


def size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"
