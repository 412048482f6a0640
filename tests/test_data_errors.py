"""Data mistakes of a new year are one-line errors naming file:line, never a traceback,
and a command that fails changes nothing on disk: impossible or early dates in
data/editions.csv, a stray year among an indicator's rows, a year data/editions.csv does
not have, and `report data new-year` for a year that is not the next one."""

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.errors import DataError, ProblemList
from tests.projects import edit as edit_file

EDITIONS = "data/editions.csv"
CSV = "data/indicators/main.csv"
ROW_2019 = "firms,2019,797,count,企业数,Enterprises,test,"


@pytest.fixture
def project(make_project):
    """A new copy of the mini root (conftest), nothing cached."""
    return make_project("mini")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def replace(project, rel, old, new):
    edit_file(project / rel, old, new, 1)


def snapshot(project):
    return {p: p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def errors(result):
    return [line for line in result.output.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize("old, new, expected", [
    ("2019,2020-06-24,2020", "2019,2021-02-30,2020",
     "data/editions.csv:3: column published: published '2021-02-30' is not a date "
     "(day is out of range for month); write a real YYYY-MM-DD"),
    ("2019,2020-06-24,2020", "2019,2018-12-01,2020",
     "data/editions.csv:3: column published: published 2018-12-01 is before data year 2019"),
    ("2019,2020-06-24,2020", "2019,2020-06-24,2018",
     "data/editions.csv:3: column edition: edition 2018 is before data year 2019"),
    ("2019,2020-06-24,2020", "2019,2020-06-24,2020\n2019,2020-07-01,2020",
     "data/editions.csv:4: column year: duplicate row for 2019 (first at line 3)"),
])
def test_editions_mistakes(project, old, new, expected):
    replace(project, EDITIONS, old, new)
    for command in (["check"], ["build", "-e", "zh", "-f", "docx", "-o", project / "out"]):
        result = run(*command, "--project", project)
        assert result.exit_code == 1, result.output
        assert len(errors(result)) == 1, result.output   # no cascade from the refused row
        assert errors(result)[0].startswith(f"error: {expected}"), result.output
    assert not (project / "out").exists()


def test_a_stray_year_among_the_rows_names_its_line(project):
    replace(project, CSV, ROW_2019, ROW_2019 + "\nfirms,2002,900,count,企业数,Enterprises,test,")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert errors(result) == [
        "error: data/indicators/main.csv:5: column year: firms 2002 comes after its 2019 row (line 4): "
        "rows of an indicator go oldest first; if 2002 is a typo, correct it, else move the row above line 4"]


def test_a_year_after_the_newest_edition_is_refused(project):
    replace(project, CSV, ROW_2019, ROW_2019 + "\nfirms,2020,900,count,企业数,Enterprises,test,")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert errors(result) == [
        "error: data/indicators/main.csv:5: column year: firms has a row for 2020, after the newest year of "
        "data/editions.csv (2019): correct the year, or start 2020 with `report data new-year 2020`"]


def test_older_rows_in_order_are_fine(project):
    replace(project, CSV, "firms,2017,", "firms,2015,500,count,企业数,Enterprises,test,\nfirms,2017,")
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("year", [2002, 202, 2018, 2021, 20200])
def test_new_year_refuses_a_year_that_is_not_the_next_and_changes_nothing(project, year):
    before = snapshot(project)
    result = run("data", "new-year", year, "--project", project)
    assert result.exit_code == 1, result.output
    assert errors(result) == [
        f"error: data/editions.csv:3: {year} is not the next data year: the newest in data/editions.csv "
        "is 2019, so run `report data new-year 2020`; nothing was changed"]
    assert snapshot(project) == before


def test_new_year_takes_the_next_year_then_the_one_after(project):
    first = run("data", "new-year", 2020, "--project", project)
    assert first.exit_code == 0, first.output
    assert "Added 6 row(s) for 2020 and data/editions.csv row '2020,,2021'" in first.output
    again = run("data", "new-year", 2020, "--project", project)   # the newest again: nothing new
    assert again.exit_code == 0 and "nothing new" in again.output, again.output
    assert run("data", "new-year", 2019, "--project", project).exit_code == 1
    assert run("data", "new-year", 2021, "--project", project).exit_code == 0


def test_new_year_puts_every_file_back_when_the_data_do_not_read_back(project, monkeypatch):
    import builder.analysis.newyear as newyear

    def broken(*args):
        raise ProblemList([DataError("simulated", CSV, 2)])
    monkeypatch.setattr(newyear, "read_dataset", broken)
    before = snapshot(project)
    result = run("data", "new-year", 2020, "--project", project)
    assert result.exit_code == 1
    assert errors(result) == [f"error: {CSV}:2: simulated"]
    assert snapshot(project) == before
