"""`report check`: read everything, render nothing, and list every problem at once.

Errors: anything that would stop a build, plus a chapter whose zh and en texts use
different placeholders, figures, tables, footnotes or references. Warnings: figures,
years, ranks and claims typed in the prose instead of bound to data (typed.py), since
they would not follow a new year's data; `report check --strict` makes them errors.
"""
from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from builder.analysis.translations import translation_problems
from builder.analysis.typed import typed_warnings
from builder.analysis.usage import check_year, latest_year, year_problems
from builder.cache import Cache
from builder.errors import ProblemList, ReportError
from builder.fonts import choose, remember_in, theme_faces, uncovered_chars
from builder.model import LANGS
from builder.readers.config import inside
from builder.readers.chapters import read_chapter, read_front, read_text
from builder.readers.project import load_project
from builder.readers.report import manifest_text
from builder.readers.templates import Recorder, template_names
from builder.chars import report_chars
from builder.transforms.crossrefs import check_references
from builder.transforms.textcheck import glyph_problem

FENCE = re.compile(r"^```\{(figure|table)\}\s+(\S+)", re.M)


def check_project(root: Path, year: int | None = None) -> tuple[list[str], list[str]]:
    cache = Cache(root / ".cache")
    remember_in(cache)
    try:
        project = load_project(root, cache)
        choose(theme_faces(project.manifest.theme))
        year = latest_year(project, cache) if year is None else year
        check_year(project, year)
    except ProblemList as exc:
        return [str(p) for p in exc.problems], []
    except ReportError as exc:
        return [str(exc)], []
    # Every missing value of the year, each with its data row and where it is printed;
    # the chapters are then read in check mode so they do not stop at the first one.
    errors = [str(p) for p in year_problems(project, year, cache)]
    warnings: list[str] = []
    record = Recorder.checking()
    read: dict[str, list] = {lang: [] for lang in LANGS}   # what {numref} may name, per language
    found_before, differ = len(errors), []   # differ: where zh and en differ
    for lang in LANGS:
        for key in (*project.manifest.texts, "running_header"):   # the cover's and headers' texts
            try:
                manifest_text(project, key, lang, year, record)
            except ReportError as exc:
                errors.append(str(exc))
        try:
            read[lang] += read_front(project, lang, year, record)
        except ReportError as exc:
            errors.append(str(exc))
    for entry in project.manifest.chapters:
        chapters = {}
        for lang in LANGS:
            try:
                chapters[lang] = read_chapter(project, entry, lang, year, cache, record)
                read[lang].append(chapters[lang])
            except ReportError as exc:
                errors.append(str(exc))
        differ += compare_languages(root, entry.id, chapters, cache)
    if len(errors) == found_before:   # a chapter not read would make its figures unknown
        numbered = {e.id: e.numbered for e in project.manifest.chapters}
        errors += [str(p) for lang in LANGS for p in check_references(read[lang], numbered)]
    errors += differ
    chars = report_chars(read["zh"] + read["en"])
    warnings += typed_warnings(project, year, cache)
    pair_errors, pair_warnings = translation_problems(root, [e.id for e in project.manifest.chapters], cache)
    errors, warnings = errors + pair_errors, warnings + pair_warnings
    missing = uncovered_chars(chars)
    if missing:
        errors.append(str(glyph_problem(root, read["zh"] + read["en"], set(missing))))
    # A chapter is read in both languages: a problem of its figures.toml is found twice.
    return list(dict.fromkeys(errors)), list(dict.fromkeys(warnings))   # a line may hold a finding twice


def compare_languages(root: Path, chapter_id: str, chapters: dict, cache: Cache) -> list[str]:
    """The two languages of a chapter must use the same data, figures, tables, notes and
    references. (The placeholders each text names are kept in the cache: parsing them is
    most of a check after a build.)"""
    folder = root / "content" / "chapters" / chapter_id
    texts = {}
    for lang in ("zh", "en"):
        path = folder / f"{lang}.md"
        if path.exists() and inside(root, path):   # (the reader reports a file outside)
            try:
                texts[lang] = read_text(root, str(path.relative_to(root)))
            except ReportError:   # reported by the reader too
                return []
    if len(texts) < 2:
        return []
    problems = []
    try:
        # fixed("…") marks a typed historical fact: one language may need it, the other not.
        names = {lang: cache.memo("checks", ("names", text), partial(template_names, text)) - {"fixed"}
                 for lang, text in texts.items()}
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
        refs = {lang: sorted(r.ref.target for r in ch.references) for lang, ch in chapters.items()}
        if refs["zh"] != refs["en"]:
            problems.append(f"{where}: references differ: zh.md has {_refs(refs['zh'])}, en.md has {_refs(refs['en'])}")
    return problems


def _fences(items) -> str:
    return ", ".join(f"{kind} {ident}" for kind, ident in items) or "none"


def _refs(targets: list[str]) -> str:
    return ", ".join(f"{{numref}}`{t}`" for t in targets) or "none"
