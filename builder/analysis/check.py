"""`report check`: read everything, render nothing, and list every problem at once.

Errors: anything that would stop a build, plus a chapter whose zh and en texts use
different placeholders, figures, tables or footnotes. Warnings: figures, years, ranks and
claims typed in the prose instead of bound to data (typed.py), since they would not follow
a new year's data; `report check --strict` makes them errors.
"""
from __future__ import annotations

import re
from pathlib import Path

from builder.analysis.typed import typed_warnings
from builder.analysis.usage import latest_year, year_problems
from builder.cache import Cache
from builder.errors import ProblemList, ReportError
from builder.fonts import choose, remember_in, theme_faces, uncovered_chars
from builder.model import LANGS
from builder.readers.chapters import read_chapter, read_front
from builder.readers.project import load_project
from builder.readers.templates import Recorder, template_names
from builder.chars import report_chars

FENCE = re.compile(r"^```\{(figure|table)\}\s+(\S+)", re.M)


def check_project(root: Path, year: int | None = None) -> tuple[list[str], list[str]]:
    cache = Cache(root / ".cache")
    remember_in(cache)
    try:
        project = load_project(root, cache)
        choose(theme_faces(project.manifest.theme))
        year = year or latest_year(project, cache)
    except ProblemList as exc:
        return [str(p) for p in exc.problems], []
    except ReportError as exc:
        return [str(exc)], []
    # Every missing value of the year, each with its data row and where it is printed;
    # the chapters are then read in check mode so they do not stop at the first one.
    errors = [str(p) for p in year_problems(project, year, cache)]
    warnings: list[str] = []
    record = Recorder.checking()
    chars: set[str] = set()
    for lang in LANGS:
        try:
            chars |= report_chars(read_front(project, lang, year, record))
        except ReportError as exc:
            errors.append(str(exc))
    for entry in project.manifest.chapters:
        chapters = {}
        for lang in LANGS:
            try:
                chapters[lang] = read_chapter(project, entry, lang, year, cache, record)
                chars |= report_chars(chapters[lang])
            except ReportError as exc:
                errors.append(str(exc))
        errors += compare_languages(root, entry.id, chapters)
    warnings += typed_warnings(project, year)
    missing = uncovered_chars(chars)
    if missing:
        errors.append("no font has a glyph for " + ", ".join(f"U+{ord(c):04X} {c!r}" for c in missing))
    return errors, warnings


def compare_languages(root: Path, chapter_id: str, chapters: dict) -> list[str]:
    """The two languages of a chapter must use the same data, figures, tables and notes."""
    folder = root / "content" / "chapters" / chapter_id
    texts = {}
    for lang in ("zh", "en"):
        path = folder / f"{lang}.md"
        if path.exists():
            texts[lang] = path.read_text(encoding="utf-8-sig")
    if len(texts) < 2:
        return []
    problems = []
    try:
        # fixed("…") marks a typed historical fact: one language may need it, the other not.
        names = {lang: template_names(text) - {"fixed"} for lang, text in texts.items()}
    except Exception:   # a syntax error is already reported by read_chapter
        return []
    where = f"content/chapters/{chapter_id}"
    for a, b in (("zh", "en"), ("en", "zh")):
        only = sorted(names[a] - names[b])
        if only:
            problems.append(f"{where}: placeholders in {a}.md but not in {b}.md: {', '.join(only)}")
    fences = {lang: FENCE.findall(text) for lang, text in texts.items()}
    if fences["zh"] != fences["en"]:
        problems.append(f"{where}: figures/tables differ: zh.md has "
                        f"{_fences(fences['zh'])}, en.md has {_fences(fences['en'])}")
    if len(chapters) == 2:
        notes = {lang: len(ch.footnotes) for lang, ch in chapters.items()}
        if notes["zh"] != notes["en"]:
            problems.append(f"{where}: zh.md has {notes['zh']} footnote(s), en.md has {notes['en']}")
    return problems


def _fences(items) -> str:
    return ", ".join(f"{kind} {ident}" for kind, ident in items) or "none"
