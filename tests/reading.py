"""Reading a report folder as a build does, for tests that look at the model."""
from __future__ import annotations

from pathlib import Path

from builder.analysis.usage import latest_year
from builder.build import read_editions
from builder.cache import Cache
from builder.context import BuildContext, Fonts
from builder.fonts import chart_font_family
from builder.model import Report
from builder.readers.project import load_project


def context(root: Path, cache: Path | None = None, **kw) -> BuildContext:
    """A build context for `root`; `cache`: another cache folder (one shared by tests)."""
    return BuildContext(root, root / "output", Cache(cache or root / ".cache"),
                        fonts=Fonts(tuple(chart_font_family())), **kw)


def read_edition(root: Path, edition: str, year: int | None = None, ctx: BuildContext | None = None) -> Report:
    """One edition, finished (appendix, numbers) as the writers get it."""
    ctx = ctx or context(root)
    project = load_project(root, ctx.cache)
    return read_editions(project, [edition], year or latest_year(project, ctx.cache), ctx, lambda msg: None)[0]
