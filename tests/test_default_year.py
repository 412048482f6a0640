"""`report build` without --year builds the newest complete year and, when a newer year
is not complete, says in one line on stderr which year it builds and why (exit 0)."""

from tests.test_data_errors import project, run  # noqa: F401  (a fixture and the CLI helper)


def build(project, *extra):
    return run("build", "--project", project, "-e", "zh", "-f", "docx", "-j", "1", "-o", project / "out", *extra)


def notes(result):
    return [line for line in result.stderr.splitlines() if "building" in line]


def test_an_incomplete_newer_year_is_named(project):
    assert run("data", "new-year", 2020, "--project", project).exit_code == 0
    result = build(project)
    assert result.exit_code == 0, result.output
    assert notes(result) == ["… building 2019: 2020 lacks 6 values and its publication date; "
                             "see report check --year 2020"]
    assert "building" not in result.stdout
    assert [p.name for p in (project / "out").iterdir()] == ["report-2019-zh.docx"]

    editions = project / "data/editions.csv"
    editions.write_text(editions.read_text().replace("2020,,2021", "2020,2021-06-01,2021"))
    assert notes(build(project)) == ["… building 2019: 2020 lacks 6 values; see report check --year 2020"]


def test_no_note_when_the_newest_year_is_built_or_a_year_is_given(project):
    result = build(project)
    assert result.exit_code == 0, result.output
    assert notes(result) == []
    assert run("data", "new-year", 2020, "--project", project).exit_code == 0
    assert notes(build(project, "--year", 2019)) == []


def test_last_year_builds_while_the_next_is_being_filled(project):
    """Which values a year needs is found by rendering that year: a sentence guarded by
    `{% if x.first_year < year and x.rose %}` asks for last year's value only once there is one."""
    from builder.analysis.usage import default_year
    from builder.cache import Cache
    from builder.readers.project import load_project
    with (project / "data/indicators/main.csv").open("a", encoding="utf-8") as f:
        f.write("reach,2019,64.5,percent,普及率,Reach,test,\n")
    for lang, word in (("zh", "上升。"), ("en", "Rose.")):
        with (project / f"content/chapters/01-alpha/{lang}.md").open("a", encoding="utf-8") as f:
            f.write(f"\n{{% if reach.first_year < year and reach.rose %}}{word}{{% endif %}}\n")
    assert run("data", "new-year", 2020, "--project", project).exit_code == 0
    cache = Cache(project / ".cache")
    year, why = default_year(load_project(project, cache), cache)
    assert year == 2019 and why.startswith("building 2019: 2020 lacks ") and why.endswith("see report check --year 2020")
