"""Builds editions: read everything first (so bad input stops before any file is
touched), then write each file under a temporary name and rename it into place."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import FontError, ReportError
from .model import EDITIONS, Report

FORMATS = ("pdf", "docx")


@dataclass
class Written:
    path: Path
    pages: int | None
    size: int


def report_chars(obj) -> set[str]:
    """Every character in the model: the fonts must cover all of them."""
    chars: set[str] = set()
    if isinstance(obj, str):
        chars.update(obj)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            chars |= report_chars(item)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            chars |= report_chars(key) | report_chars(value)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            chars |= report_chars(getattr(obj, f.name))
    return chars


def check_glyphs(report: Report) -> None:
    """Refuse characters no font can draw, instead of printing boxes (or nothing)."""
    from .fonts import uncovered_chars
    missing = uncovered_chars(report_chars(report))
    if not missing:
        return
    places = []
    for chapter in report.front + report.chapters:
        if set(missing) & report_chars(chapter):
            places.append(f"{chapter.id} ({chapter.lang})")
    codes = ", ".join(f"U+{ord(c):04X} {c!r}" for c in missing[:8])
    raise FontError(f"no font has a glyph for {codes}" + (f" in {', '.join(places)}" if places else "")
                    + ": replace the characters or configure a font that has them",
                    f"content/chapters/{places[0].split()[0]}" if places else None)


def write_atomically(path: Path, write: Callable[[Path], int | None]) -> Written:
    """Write to a hidden temporary file beside `path`, then rename: an error or a kill
    never leaves a half-written report where the previous one was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pages = write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return Written(path, pages, path.stat().st_size)


def output_name(report: Report, fmt: str, chapters: list[str] | None) -> str:
    stem = f"report-{report.year}-{report.edition}"
    if chapters:
        stem += "-ch" + "-".join(c.id.split("-")[0] for c in report.chapters[::len(report.langs)])
    return f"{stem}.{fmt}"


def write_report(report: Report, fmt: str, path: Path, cache_dir: Path) -> Written:
    if fmt == "pdf":
        from .fonts import prepare_pdf_fonts
        from .writers.pdf import write_pdf
        fonts = prepare_pdf_fonts(report_chars(report), cache_dir / "fonts")
        return write_atomically(path, lambda tmp: write_pdf(report, tmp, fonts))
    from .writers.docx import write_docx
    return write_atomically(path, lambda tmp: write_docx(report, tmp))


def validate_choice(values, allowed, what: str) -> list[str]:
    values = list(values) or list(allowed)
    for value in values:
        if value not in allowed:
            raise ReportError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})")
    return values


def build(project_dir: Path, editions=(), formats=(), chapters=(), year: int | None = None,
          output: Path | None = None, progress: Callable[[str], None] = lambda msg: None,
          grayscale: bool = False) -> list[Written]:
    from .fonts import register_chart_fonts
    from .reader import latest_year, load_project, read_report

    editions = validate_choice(editions, EDITIONS, "edition")
    formats = validate_choice(formats, FORMATS, "format")
    cache_dir = project_dir / ".cache"
    output = output or project_dir / "output"
    progress("reading content and data")
    project = load_project(project_dir, cache_dir, register_chart_fonts(), grayscale)
    year = year or latest_year(project.dataset)
    reports = []
    for edition in editions:
        progress(f"assembling the {edition} edition ({year}) and drawing its charts")
        report = read_report(project, edition, year, list(chapters) or None)
        check_glyphs(report)
        reports.append(report)
    written = []
    for report in reports:
        for fmt in formats:
            path = output / output_name(report, fmt, list(chapters))
            progress(f"writing {path.name}")
            written.append(write_report(report, fmt, path, cache_dir))
    return written
