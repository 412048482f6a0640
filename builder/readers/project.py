"""Reads a report project (content/ and data/) into one `Report` per edition."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from builder.cache import cache_key, files_digest, load, store
from builder.readers.markdown import Fence, parse_chapter
from builder.readers.data import Dataset, read_dataset
from builder.errors import ContentError, ProblemList, ReportError
from builder.readers.figures import FigureMaker, place_chart, read_definitions
from builder.readers.manifest import ChapterEntry, Manifest, read_manifest
from builder.model import Chapter, Cover, Heading, Paragraph, Report, Run
from builder.numbers import roman, zh_numeral
from builder.readers.templates import Use, make_environment, render

CONTENTS = {"zh": "目录", "en": "Contents"}
SOURCES = {"zh": "数据来源", "en": "Data sources"}


@dataclass
class Project:
    """Everything read from disk once; editions are assembled from it."""
    root: Path
    manifest: Manifest
    dataset: Dataset
    chart_dir: Path
    font_family: list[str] | None    # None: validate figures without drawing them
    grayscale: bool = False
    uses: set[Use] = field(default_factory=set)
    missing: list[Use] | None = None  # check mode: missing values are listed here, not fatal
    rules: list = field(default_factory=list)     # data/checks.toml
    probes: dict = field(default_factory=dict)    # year -> usage.collect() result, cached
    deferred: list | None = None  # set: charts to draw are listed here (ChartSpec), not drawn
    data_key: str = ""             # changes with anything in data/
    cache_dir: Path | None = None

    def chapter_dir(self, entry: ChapterEntry) -> Path:
        return self.root / "content" / "chapters" / entry.id


def load_project(root: Path, cache_dir: Path, font_family: list[str] | None, grayscale: bool = False,
                 validate_rules: bool = True) -> Project:
    """Read content and data. validate_rules=False lets `report data diff` show broken
    data/checks.toml rules as flags instead of stopping."""
    problems: list[ReportError] = []
    manifest = None
    try:
        manifest = read_manifest(root)
    except ReportError as exc:
        problems.append(exc)
    # Valid data read before is taken from the cache: reading it needs pandas, whose
    # import alone takes a fifth of a second.
    data_key = cache_key("data", files_digest(root / "data", (".csv", ".toml")), validate_rules)
    stored = cache_dir / "data" / f"{data_key}.pickle"
    dataset, rules = load(stored) or (None, None)
    if dataset is None:
        try:
            dataset, rules = _read_data(root, validate_rules)
            store(stored, (dataset, rules))
        except ProblemList as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProblemList(problems)
    from builder.analysis.usage import needs
    project = Project(root, manifest, dataset, cache_dir / "charts", font_family, grayscale, rules=rules,
                      data_key=data_key, cache_dir=cache_dir)
    dataset.needs = needs(project)
    return project


def _read_data(root: Path, validate_rules: bool):
    from builder.readers.rules import read_rules, validate
    dataset = read_dataset(root / "data", root)
    rules, problems = read_rules(root, dataset.indicators)
    if validate_rules:
        problems += validate(rules, dataset)
    if problems:
        raise ProblemList(problems)
    return dataset, rules


def latest_year(dataset: Dataset) -> int:
    """The default edition: the newest published year in which every indicator the
    report prints has a value (a half-filled new year is not built by default)."""
    from builder.analysis.usage import complete
    years = [y for y in sorted(set(dataset.years) | set(dataset.published)) if complete(dataset, y)]
    if not years:
        raise ContentError("no complete data year: every year in data/editions.csv lacks values or a "
                           "publication date (see `report check --year YYYY`)", "data/editions.csv")
    return max(years)


def select_chapters(manifest: Manifest, wanted: list[str] | None) -> list[ChapterEntry]:
    """Chapters by number (3, III) or id (03-enterprises), in report order."""
    if not wanted:
        return list(manifest.chapters)
    numbered = [e for e in manifest.chapters if e.numbered]
    chosen = set()
    for item in wanted:
        key = item.strip()
        match = [e for e in manifest.chapters if e.id == key or e.id.split("-", 1)[-1] == key]
        if not match and key.isdigit() and 1 <= int(key) <= len(numbered):
            match = [numbered[int(key) - 1]]
        if not match and key.upper() in [roman(n) for n in range(1, len(numbered) + 1)]:
            match = [numbered[[roman(n) for n in range(1, len(numbered) + 1)].index(key.upper())]]
        if not match:
            raise ContentError(f"no chapter {item!r} (ids: {', '.join(e.id for e in manifest.chapters)})",
                               "content/report.toml")
        chosen.add(match[0].id)
    return [e for e in manifest.chapters if e.id in chosen]


def chapter_number(manifest: Manifest, entry: ChapterEntry) -> int | None:
    if not entry.numbered:
        return None
    return [e.id for e in manifest.chapters if e.numbered].index(entry.id) + 1


def chapter_prefix(number: int | None, lang: str) -> str:
    if number is None:
        return ""
    return f"{zh_numeral(number)}、" if lang == "zh" else f"{roman(number)}."


def section_prefix(chapter: int | None, section: int, lang: str) -> str:
    if lang == "zh":
        return f"（{zh_numeral(section)}）"
    return f"{chapter}.{section}" if chapter else f"{section}."


def _format_date(iso: str, lang: str) -> str:
    date = dt.date.fromisoformat(iso)
    if lang == "zh":
        return f"{date.year} 年 {date.month} 月 {date.day} 日"
    return f"{date:%B} {date.day}, {date.year}"


def chapter_inputs(project: Project, entry: ChapterEntry, lang: str) -> list:
    """What reading a chapter depends on besides the data: for cache keys."""
    folder = project.chapter_dir(entry)
    return [entry.id, chapter_number(project.manifest, entry), lang, project.data_key] + [
        (p.name, str(p.resolve()), p.read_bytes()) for p in (folder / f"{lang}.md", folder / "figures.toml")
        if p.is_file()]


def read_chapter(project: Project, entry: ChapterEntry, lang: str, year: int) -> Chapter:
    """One chapter; taken from the cache when its files, the data and its number are
    those of an earlier build (a warm rebuild reads only the chapters edited)."""
    if project.cache_dir is None or project.font_family is None or project.missing is not None:
        return _read_chapter(project, entry, lang, year)[0]
    key = cache_key("chapter", chapter_inputs(project, entry, lang), year, project.font_family,
                    project.grayscale, str(project.chart_dir))
    stored = project.cache_dir / "chapters" / f"{key}.pickle"
    found = load(stored)
    if found is None:
        reading = dataclasses.replace(project, uses=set(), deferred=[])
        chapter, specs = _read_chapter(reading, entry, lang, year)
        found = chapter, reading.uses, specs
        store(stored, found)
    chapter, uses, specs = found
    project.uses |= uses
    for spec in specs:   # charts since removed from the cache are drawn again
        place_chart(spec, project.chart_dir, project.font_family, project.deferred)
    return chapter


def _read_chapter(project: Project, entry: ChapterEntry, lang: str, year: int) -> tuple[Chapter, list]:
    folder = project.chapter_dir(entry)
    rel_dir = f"content/chapters/{entry.id}"
    path = folder / f"{lang}.md"
    rel = f"{rel_dir}/{lang}.md"
    if not path.exists():
        raise ContentError(f"missing chapter file ({entry.id} is listed in content/report.toml)", rel)
    text = _read_text(path, rel, project.root)
    env = make_environment()
    filled = render(env, text, project.dataset, year, lang, rel, project.uses, missing=project.missing)
    parsed = parse_chapter(filled, lang, rel)
    figures = folder / "figures.toml"
    if figures.exists() and not figures.resolve().is_relative_to(project.root.resolve()):
        raise ContentError("resolves to a file outside the report folder; copy it in instead",
                           f"{rel_dir}/figures.toml")
    definitions = read_definitions(figures, f"{rel_dir}/figures.toml")
    number = chapter_number(project.manifest, entry)
    maker = FigureMaker(project.dataset, year, lang, number, project.chart_dir, project.font_family,
                        project.uses, project.grayscale, project.missing, project.deferred)

    def render_text(s: str) -> str:
        return render(env, s, project.dataset, year, lang, f"{rel_dir}/figures.toml", project.uses,
                      missing=project.missing)

    anchor = f"{lang}-{entry.id}"
    blocks = []
    sections = 0
    for block in parsed.blocks:
        if isinstance(block, Fence):
            definition = definitions.get((block.kind, block.id))
            if definition is None:
                raise ContentError(f"no {block.kind} {block.id!r} in {rel_dir}/figures.toml", rel, block.line)
            make = maker.figure if block.kind == "figure" else maker.table
            blocks.append(make(definition, render_text))
        elif isinstance(block, Heading):
            if block.level == 2:
                sections += 1
                block.number = section_prefix(number, sections, lang)
                block.anchor = f"{anchor}-s{sections}"
            else:
                block.anchor = f"{anchor}-s{sections}-{len(blocks)}"
            blocks.append(block)
        else:
            blocks.append(block)
    heading = Heading(1, chapter_prefix(number, lang), parsed.title, lang, anchor)
    return Chapter(entry.id, number, heading, blocks, lang), maker.specs


MAX_FILE_BYTES = 2_000_000   # a chapter is ~20 KB; anything this big is a mistake


def _read_text(path: Path, rel: str, root: Path) -> str:
    """A content file's text; it must lie inside the project (no symlink out of it)."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError("resolves to a file outside the report folder; copy it in instead", rel)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ContentError(f"file of {path.stat().st_size} bytes: the limit is {MAX_FILE_BYTES}", rel)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", rel)
    for number, line in enumerate(text.splitlines(), 1):
        bad = [c for c in line if (ord(c) < 32 and c != "\t") or 0xD800 <= ord(c) <= 0xDFFF
               or c in "\ufffe\uffff"]
        if bad:
            raise ContentError(f"control character U+{ord(bad[0]):04X} in text; remove it", rel, number)
    return text


def read_front(project: Project, lang: str, year: int) -> list[Chapter]:
    """Front matter: every '# heading' of content/<front>/<lang>.md is one unnumbered part."""
    folder = project.manifest.front
    rel = f"content/{folder}/{lang}.md"
    path = project.root / rel
    if not path.exists():
        raise ContentError("missing front matter file", rel)
    text = render(make_environment(), _read_text(path, rel, project.root), project.dataset, year, lang, rel, project.uses,
                  missing=project.missing)
    parts: list[Chapter] = []
    chunk: list[str] = []
    start = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines + ["# \n"]):
        if line.startswith("# ") and chunk:
            # Pad with blank lines so parse errors still point at the file's real line.
            parsed = parse_chapter("\n" * start + "".join(chunk), lang, rel)
            heading = Heading(1, "", parsed.title, lang, f"{lang}-front-{len(parts)}")
            parts.append(Chapter("front", None, heading,
                                 [b for b in parsed.blocks if isinstance(b, Paragraph)], lang,
                                 in_contents=False))
            chunk, start = [], number
        chunk.append(line)
    return parts


def read_report(project: Project, edition: str, year: int, chapters: list[str] | None = None) -> Report:
    """One edition of the report for one data year."""
    langs = ["zh", "en"] if edition == "bilingual" else [edition]
    dataset, manifest = project.dataset, project.manifest
    from builder.analysis.usage import year_problems
    # Every gap of a half-filled year at once, with where each value is printed.
    problems = year_problems(project, year)
    if problems:
        raise ProblemList(problems)
    env = make_environment()
    extra = {"edition": dataset.edition_of[year]}

    def text(key: str, lang: str) -> str:
        return render(env, manifest.texts[key][lang], dataset, year, lang, "content/report.toml",
                      project.uses, extra)

    covers = [Cover(text("title", l), text("subtitle", l), _format_date(dataset.published[year], l),
                    text("institute", l), l) for l in langs]
    front = [part for l in langs for part in read_front(project, l, year)]
    body = []
    for entry in select_chapters(manifest, chapters):
        for lang in langs:
            chapter = read_chapter(project, entry, lang, year)
            chapter.in_contents = True
            body.append(chapter)
    if not chapters:    # a chapter selection is a proof, not an edition: no appendix
        body += [sources_chapter(project, lang, year) for lang in langs]
    return Report(edition, langs, year, covers, [CONTENTS[l] for l in langs], front, body,
                  manifest.author, {l: text("running_title", l) for l in langs})


def sources_chapter(project: Project, lang: str, year: int) -> Chapter:
    """The unnumbered last chapter: the sources (data/sources.csv, in its order) of every
    value this year's edition prints. Plain list paragraphs, so every writer renders it."""
    from builder.analysis.usage import collect
    uses, _ = collect(project, year)
    dataset = project.dataset
    used = {dataset.indicators[u.indicator].source for u in uses}
    blocks = [Paragraph([Run(source.name[lang])], lang, style="list", bullet="•")
              for ident, source in dataset.sources.items() if ident in used]
    heading = Heading(1, "", SOURCES[lang], lang, f"{lang}-sources")
    return Chapter("sources", None, heading, blocks, lang)
