"""A report folder read once: its manifest (content/report.toml) and its data (data/),
validated. Chapters are read from it per edition and year (readers.chapters)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.cache import Cache, files_digest
from builder.errors import ContentError, ProblemList, ReportError
from builder.numbers import roman
from builder.readers.data import Dataset, read_dataset
from builder.readers.manifest import MANIFEST, ChapterEntry, Manifest, read_manifest


@dataclass(frozen=True)
class Project:
    root: Path
    manifest: Manifest
    dataset: Dataset
    rules: list                 # data/checks.toml
    data_key: str               # changes with anything in data/

    def chapter_dir(self, entry: ChapterEntry) -> Path:
        return self.root / "content" / "chapters" / entry.id


def find_project(given: Path | None, start: Path | None = None) -> Path:
    """The report folder: `given` (--project) if any, else the first folder holding
    content/report.toml from `start` (the current folder) upwards, as git finds its own."""
    path = (given or _discover((start or Path.cwd()).resolve())).resolve()
    if not (path / "content").is_dir() or not (path / "data").is_dir():
        raise ReportError("not a report folder: it needs content/ and data/", str(path))
    return path


def _discover(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
    raise ReportError(f"not inside a report folder (no {MANIFEST} here or above): run it inside one, "
                      "pass --project DIR, or start one with `report init DIR`", str(start))


def load_project(root: Path, cache: Cache, validate_rules: bool = True) -> Project:
    """Read content/report.toml and data/, every problem of both at once.
    validate_rules=False lets `report data diff` show broken data/checks.toml rules as
    flags instead of stopping."""
    problems: list[ReportError] = []
    manifest = None
    try:
        manifest = read_manifest(root)
    except ReportError as exc:
        problems.append(exc)
    # Valid data read before come from the cache: reading needs pandas, whose import
    # alone takes a fifth of a second.
    data_key = files_digest(root / "data", (".csv", ".toml"))
    dataset, rules = None, None
    try:
        dataset, rules = cache.memo("data", (data_key, validate_rules), lambda: _read_data(root, validate_rules))
    except ProblemList as exc:
        problems.extend(exc.problems)
    if problems:
        raise ProblemList(problems)
    return Project(root, manifest, dataset, rules, data_key)


def _read_data(root: Path, validate_rules: bool):
    from builder.readers.rules import read_rules, validate
    dataset = read_dataset(root / "data", root)
    rules, problems = read_rules(root, dataset.indicators)
    if validate_rules:
        problems += validate(rules, dataset)
    if problems:
        raise ProblemList(problems)
    return dataset, rules


def select_chapters(manifest: Manifest, wanted: list[str] | None) -> list[ChapterEntry]:
    """Chapters by number (3, III) or id (its folder name, 01-branches), in report order."""
    if not wanted:
        return list(manifest.chapters)
    numbered = [e for e in manifest.chapters if e.numbered]
    romans = [roman(n) for n in range(1, len(numbered) + 1)]
    chosen = set()
    for item in wanted:
        key = item.strip()
        match = [e for e in manifest.chapters if e.id == key or e.id.split("-", 1)[-1] == key]
        if not match and key.isdigit() and 1 <= int(key) <= len(numbered):
            match = [numbered[int(key) - 1]]
        if not match and key.upper() in romans:
            match = [numbered[romans.index(key.upper())]]
        if not match:
            raise ContentError(f"no chapter {item!r} (ids: {', '.join(e.id for e in manifest.chapters)})",
                               "content/report.toml")
        chosen.add(match[0].id)
    return [e for e in manifest.chapters if e.id in chosen]
