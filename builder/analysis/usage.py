"""Which data a report needs, and what a year lacks.

Found by rendering every text and figure once in check mode (missing values recorded,
not fatal, nothing drawn), so the answer follows the content as written: a placeholder
or figure added to a chapter is needed from then on, with no list to keep in step.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from builder.errors import ContentError, DataError, ReportError
from builder.model import LANGS
from builder.readers.templates import Use, make_environment, render


@dataclass(frozen=True)
class Need:
    """An indicator the report prints relative to the report year (offset 0: that year,
    -1: the year before), and where; fixed-year facts (`x.at(2015)`) are not needs."""
    indicator: str
    offset: int
    where: str


def collect(project, year: int) -> tuple[set[Use], list[Use]]:
    """Render the whole report for `year` in check mode: (values used, values missing).
    Other errors (syntax, unknown names) are left to the real render, which reports them."""
    from builder.readers.project import read_front

    cache = project.probes
    if year not in cache:
        probe = dataclasses.replace(project, uses=set(), missing=[], font_family=None, probes={})
        extra = {"edition": project.dataset.edition_of.get(year, year + 1)}
        for lang in LANGS:
            for key, texts in project.manifest.texts.items():
                _quietly(lambda: render(make_environment(), texts[lang], project.dataset, year, lang,
                                        "content/report.toml", probe.uses, extra, probe.missing))
            _quietly(lambda: read_front(probe, lang, year))
            for entry in project.manifest.chapters:
                uses, missing = _probe_chapter(project, entry, lang, year)
                probe.uses |= uses
                probe.missing += missing
        cache[year] = (probe.uses, probe.missing)
    return cache[year]


def _probe_chapter(project, entry, lang: str, year: int) -> tuple[set[Use], list[Use]]:
    """What one chapter uses and lacks; kept in the cache, so that after an edit only the
    edited chapter is rendered again."""
    from builder.cache import cache_key, load, store
    from builder.readers.project import chapter_inputs, read_chapter
    key = cache_key("probe", chapter_inputs(project, entry, lang), year)
    stored = project.cache_dir / "probes" / f"{key}.pickle" if project.cache_dir else None
    found = load(stored) if stored else None
    if found is None:
        probe = dataclasses.replace(project, uses=set(), missing=[], font_family=None, probes={})
        _quietly(lambda: read_chapter(probe, entry, lang, year))
        found = probe.uses, probe.missing
        if stored:
            store(stored, found)
    return found


def _quietly(step) -> None:
    try:
        step()
    except ReportError:
        pass


def needs(project) -> list[Need]:
    """What every edition needs, found from the newest year with an editions row."""
    dataset = project.dataset
    years = sorted(dataset.published) or dataset.years
    if not years:
        return []
    ref = years[-1]
    uses, _ = collect(project, ref)
    found = {Need(u.indicator, u.year - ref, u.where) for u in uses if not u.fixed}
    return sorted(found, key=lambda n: (n.indicator, n.offset, n.where))


def complete(dataset, year: int) -> bool:
    """A year can be built by default when it is published and every need has a value."""
    return bool(dataset.published.get(year)) and all(
        dataset.indicators[n.indicator].value(year + n.offset) is not None for n in dataset.needs)


def year_problems(project, year: int) -> list[ReportError]:
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
                                  editions, _editions_line(project, year), "published"))
    _, missing = collect(project, year)
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
            problems.append(DataError(f"{ident} ({indicator.label['en']}) has no value for {y}{used}",
                                      row.file, row.line, "value"))
        else:
            last = indicator.rows[max(indicator.rows)]
            problems.append(DataError(f"no row for {ident} ({indicator.label['en']}) in {y} "
                                      f"(`report data new-year {y}` adds one){used}", last.file))
    return problems


def _editions_line(project, year: int) -> int | None:
    path = project.root / "data" / "editions.csv"
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
