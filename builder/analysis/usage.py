"""Which data a report needs, and what a year lacks.

Found by rendering every text and figure once in check mode (missing values recorded,
not fatal, nothing drawn), so the answer follows the content as written: a placeholder
or figure added to a chapter is needed from then on, with no list to keep in step.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.cache import Cache
from builder.errors import ContentError, DataError, ReportError
from builder.model import LANGS
from builder.readers.chapters import chapter_inputs, read_chapter, read_front
from builder.readers.project import Project
from builder.readers.report import manifest_text
from builder.readers.templates import Recorder, Use


@dataclass(frozen=True)
class Need:
    """An indicator the report prints relative to the report year (offset 0: that year,
    -1: the year before), and where; fixed-year facts (`x.at(2015)`, the past years of a
    trend, a fact without a year) are not needs."""
    indicator: str
    offset: int
    where: str


_collected: dict[tuple[int, int], tuple] = {}   # (id(project), year) -> (project, uses, missing)


def collect(project: Project, year: int, cache: Cache) -> tuple[set[Use], list[Use]]:
    """Render the whole report for `year` in check mode: (values used, values missing).
    Other errors (syntax, unknown names) are left to the real render, which reports them."""
    if len(_collected) > 16:   # `report watch` reads a new project per build
        _collected.clear()
    found = _collected.get((id(project), year))
    if found is None or found[0] is not project:
        probe = Recorder.checking()
        for lang in LANGS:
            for key in (*project.manifest.texts, "running_header"):
                _quietly(lambda: manifest_text(project, key, lang, year, probe))
            _quietly(lambda: read_front(project, lang, year, probe))
            for entry in project.manifest.chapters:
                uses, missing = _probe_chapter(project, entry, lang, year, cache)
                probe.uses |= uses
                probe.missing += missing
        found = _collected[(id(project), year)] = (project, probe.uses, probe.missing)
    return found[1], found[2]


def _probe_chapter(project: Project, entry, lang: str, year: int, cache: Cache) -> tuple[set[Use], list[Use]]:
    """What one chapter uses and lacks; kept in the cache, so that after an edit only the
    edited chapter is rendered again."""
    def probe() -> tuple[set[Use], list[Use]]:
        record = Recorder.checking()
        try:   # (a chapter that lacks nothing is kept for the build: read_chapter)
            read_chapter(project, entry, lang, year, cache, record)
        except ReportError:
            pass
        return record.uses, record.missing
    return cache.memo("probes", (chapter_inputs(project, entry, lang), year), probe)


def _quietly(step) -> None:
    try:
        step()
    except ReportError:
        pass


def needs(project: Project, cache: Cache) -> list[Need]:
    """What every edition needs, found from the newest year with an editions row."""
    dataset = project.dataset
    years = sorted(dataset.published) or dataset.years
    if not years:
        return []
    ref = years[-1]
    uses, _ = collect(project, ref, cache)
    found = {Need(u.indicator, u.year - ref, u.where) for u in uses if not u.fixed}
    return sorted(found, key=lambda n: (n.indicator, n.offset, n.where))


def lacking(project: Project, year: int, cache: Cache) -> set[tuple[str, int]]:
    """(indicator, year) of every value an edition of `year` would print and data lack,
    found by rendering that year (so `{% if %}` branches are those of that year's data)."""
    _, missing = collect(project, year, cache)
    return {(u.indicator, u.year) for u in missing if not u.fixed}


def latest_year(project: Project, cache: Cache) -> int:
    """The default edition: the newest published year in which every indicator the
    report prints has a value (a half-filled new year is not built by default)."""
    return default_year(project, cache)[0]


def default_year(project: Project, cache: Cache) -> tuple[int, str | None]:
    """latest_year, and why a newer year is not it (None when none is newer):
    "building 2019: 2020 lacks 147 values; see report check --year 2020". A year is
    complete when it has a publication date and every value its edition prints."""
    dataset = project.dataset
    known = sorted(set(dataset.years) | set(dataset.published))
    complete = next((y for y in reversed(known) if dataset.published.get(y) and not lacking(project, y, cache)),
                    None)
    if complete is None:
        raise ContentError("no complete data year: every year in data/editions.csv lacks values or a "
                           "publication date (see `report check --year YYYY`)", "data/editions.csv")
    newer = [y for y in known if y > complete]
    if not newer:
        return complete, None
    return complete, f"building {complete}: {_lacks(project, newer[-1], cache)}; see report check --year {newer[-1]}"


def check_year(project: Project, year: int) -> None:
    """A year asked for (--year) must be one data/editions.csv has a row for."""
    known = sorted(project.dataset.edition_of)
    if year not in known:
        raise ContentError(f"no data year {year}: data/editions.csv has {', '.join(map(str, known))} "
                           f"(`report data new-year {known[-1] + 1}` adds the next)", "data/editions.csv")


def _lacks(project: Project, year: int, cache: Cache) -> str:
    """What keeps `year` from being built: "2020 lacks 147 values and its publication date"."""
    dataset, missing = project.dataset, lacking(project, year, cache)
    parts = [f"{len(missing)} value{'s' if len(missing) != 1 else ''}"] if missing else []
    if not dataset.published.get(year):
        parts.append("its publication date" if year in dataset.edition_of else "its data/editions.csv row")
    return f"{year} lacks " + " and ".join(parts)


def used_sources(project: Project, year: int, cache: Cache) -> list[dict[str, str]]:
    """The sources (data/sources.csv order) of every value an edition of `year` prints:
    each value's own row's source (data may change it by year), its name as printed in
    that edition (`{{ year }}` filled) and its full reference per language ("reference");
    a source printed twice is listed once."""
    uses, _ = collect(project, year, cache)
    dataset = project.dataset
    used = {dataset.indicators[u.indicator].source_in(u.year) for u in uses}
    names: list[dict] = []
    for ident in dataset.sources:
        if ident in used:
            name = {lang: dataset.source_name(ident, year, lang) for lang in LANGS}
            name["reference"] = {lang: dataset.source_reference(ident, year, lang) for lang in LANGS}
            if name not in names:
                names.append(name)
    return names


def year_problems(project: Project, year: int, cache: Cache) -> list[ReportError]:
    """Every missing or empty value the edition of `year` prints, each with the data row
    (or file) to fill and every place it is used; plus an unfilled editions row."""
    dataset = project.dataset
    problems: list[ReportError] = []
    editions = "data/editions.csv"
    if year not in dataset.edition_of:
        problems.append(DataError(f"no row for data year {year} (add `{year},YYYY-MM-DD,{year + 1}`)",
                                  editions))
    elif not dataset.published.get(year):
        problems.append(DataError(f"publication date for {year} is empty: fill it as YYYY-MM-DD",
                                  editions, editions_line(project, year), "published"))
    _, missing = collect(project, year, cache)
    places: dict[tuple[str, int], list[str]] = {}
    for use in missing:
        if use.fixed:   # a dated fact (`x.at(1999)`): the text asks for it, not the new year
            file, _, line = use.where.partition(":")
            problem = ContentError(f"no value for {use.indicator} in {use.year}", file,
                                   int(line) if line.isdigit() else None)
            if str(problem) not in map(str, problems):
                problems.append(problem)
            continue
        where = places.setdefault((use.indicator, use.year), [])
        if use.where not in where:
            where.append(use.where)
    for (ident, y), where in sorted(places.items(), key=lambda item: _row_order(dataset, *item[0])):
        where = sorted(where, key=_place_order)
        indicator = dataset.indicators[ident]
        used = "; used at " + ", ".join(where)
        row = indicator.rows.get(y)
        if row is not None:
            problems.append(DataError(f"{ident} ({indicator.label_in(y, 'en')}) has no value for {y}{used}",
                                      row.file, row.line, "value"))
        else:
            last = indicator.rows[max(indicator.rows)]
            problems.append(DataError(f"no row for {ident} ({indicator.label_in(y, 'en')}) in {y} "
                                      f"(`report data new-year {y}` adds one){used}", last.file))
    return problems


def editions_line(project, year: int) -> int | None:
    """The line of data/editions.csv that holds `year`, for errors to point at."""
    path = project.root / "data" / "editions.csv"
    if not path.is_file():
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if line.split(",", 1)[0].strip() == str(year):
            return number
    return None


def _row_order(dataset, ident: str, year: int):
    """List missing values in file order, as an editor fills them."""
    row = dataset.indicators[ident].rows.get(year)
    return (row.file, row.line, ident) if row else ("~", 0, ident)


def _place_order(where: str):
    """content/x.md:12 before content/x.md:5 would read oddly: compare lines as numbers."""
    file, _, rest = where.partition(":")
    line = rest.split(" ", 1)[0]
    return (file, int(line) if line.isdigit() else 0, rest)
