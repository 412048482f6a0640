"""Values without a year (a row whose year is empty: a fact of every year) and the units
year and number. The mini root prints one such fact, first_firm (unit year), in prose."""
from decimal import Decimal

import pytest

from builder.analysis.diff import diff_years
from builder.analysis.newyear import new_year
from builder.analysis.usage import lacking, needs, year_problems
from builder.cache import Cache
from builder.errors import ProblemList
from builder.model import Paragraph
from builder.numbers import format_value
from builder.readers.data import parse_value, read_dataset
from builder.readers.project import load_project
from tests.reading import read_edition

CSV = "data/indicators/main.csv"


def prose(report) -> str:
    return "\n".join(b.text for ch in report.chapters for b in ch.blocks if isinstance(b, Paragraph))


@pytest.mark.parametrize("year", [2018, 2019])
def test_a_fact_without_a_year_prints_in_every_edition(project, year):
    assert "首家企业成立于 2003 年" in prose(read_edition(project, "zh", year))
    assert "The first was founded in 2003." in prose(read_edition(project, "en", year))


def test_new_year_and_check_never_ask_for_it(project):
    cache = Cache(project / ".cache")
    loaded = load_project(project, cache)
    assert "first_firm" not in {n.indicator for n in needs(loaded, cache)}
    new_year(loaded, cache, 2020)
    assert "first_firm,2020" not in (project / CSV).read_text(encoding="utf-8")
    loaded = load_project(project, cache)
    assert all(ident != "first_firm" for ident, _ in lacking(loaded, 2020, cache))
    assert not any("first_firm" in str(p) for p in year_problems(loaded, 2020, cache))


def test_diff_shows_it_unchanged(project):
    cache = Cache(project / ".cache")
    rows = {r.indicator: r for r in diff_years(load_project(project, cache), cache, 2018, 2019)}
    row = rows["first_firm"]
    assert (row.shown(row.old), row.shown(row.new), row.change, row.flags) == ("2003", "2003",
                                                                               "unchanged (no year)", [])


def test_units_year_and_number_print_plainly():
    for lang in ("zh", "en"):
        assert format_value(Decimal(2019), "year", lang) == "2019"
        assert format_value(Decimal(12345), "number", lang) == "12345"
    assert format_value(Decimal(12345), "count", "en") == "12,345"
    assert parse_value("2019", "year") == Decimal(2019)
    with pytest.raises(ValueError, match="'19' is not a year: write its four digits"):
        parse_value("19", "year")
    with pytest.raises(ValueError, match="thousands separator"):
        parse_value("2,019", "number")


@pytest.mark.parametrize("row, message", [
    ("first_firm,2019,2003,year,x,x,test,", "column year: a row with a year for first_firm, which has a row "
                                            "without a year at data/indicators/facts.csv:2"),
    ("founded,,03,year,x,x,test,", "column value: '03' is not a year"),
    ("founded,,,year,x,x,test,", "column value: a row without a year is a fact valid in every year: it needs"),
])
def test_bad_rows_name_file_line_and_column(project, row, message):
    path = project / CSV
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(ProblemList) as info:
        read_dataset(project / "data", project)
    assert [str(p) for p in info.value.problems][0].startswith(f"{CSV}:15: {message}")


def test_a_source_with_one_name_is_cited_by_it_in_both_languages(make_project):
    from builder.readers.project import load_project
    from builder.cache import Cache
    project = make_project("mini")
    path = project / "data" / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    ident = lines[1].split(",")[0]
    lines[1] = f"{ident},,Journal of Examples"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = load_project(project, Cache(None)).dataset.sources[ident]
    assert source.name == {"zh": "Journal of Examples", "en": "Journal of Examples"}
    lines[1] = f"{ident},,"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from builder.errors import ProblemList
    with pytest.raises(ProblemList) as caught:
        load_project(project, Cache(None))
    assert str(caught.value.problems[0]).startswith("data/sources.csv:2: column name_zh:")
