"""A new year's edition made by editing data alone: years, missing values, new-year rows,
the review diff, declared data rules, growing series and the sources appendix."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.readers.data import read_dataset
from builder.model import Figure, Paragraph, Table
from builder.analysis.usage import latest_year
from builder.cache import Cache
from builder.media.charts import draw
from builder.readers.project import load_project
from builder.readers.templates import render
from tests.reading import context, read_edition
from tests.projects import edit

CSV = "data/indicators/main.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def model(root: Path, year=None, edition="bilingual"):
    return read_edition(root, edition, year)


def blocks(report, kind):
    return [b for ch in report.chapters for b in ch.blocks if isinstance(b, kind)]


def texts(report):
    return [p.text for p in blocks(report, Paragraph)]


# ---- years and wording ------------------------------------------------------------------

def test_both_data_years_build_and_text_follows_the_year(project):
    old, new = model(project, 2018), model(project, 2019)
    assert any("2018 年共有企业 700 家，比上年增加 100 家" in t for t in texts(old))
    assert any("2019 年共有企业 797 家，比上年增加 97 家" in t for t in texts(new))
    assert any("In 2019 there were 797 enterprises, up 97" in t for t in texts(new))
    assert old.covers[0].title == "迷你报告 2019" and new.covers[0].title == "迷你报告 2020"


@pytest.mark.parametrize("lang, text, expected", [
    ("zh", "{{ firms.vs_prev }} {{ prev_year }} 年的 {{ firms.prev }} 家，{{ firms.up_down }} {{ firms.growth }}",
     "高于 2018 年的 700 家，增加 13.9%"),
    ("en", "{{ firms.vs_prev }} {{ firms.prev }} in {{ prev_year }}, {{ firms.up_down }} {{ firms.growth }}",
     "up from 700 in 2018, up 13.9%"),
    ("zh", "{{ share_sh.vs_prev }}上年，{{ share_sh.increase }} {{ share_sh.points }} 个百分点",
     "低于上年，下降 4.7 个百分点"),
    ("en", "{{ share_sh.vs_prev }} {{ share_sh.prev }}: {{ share_sh.increase }} of {{ share_sh.points }} points",
     "down from 20.0%: a decrease of 4.7 points"),
])
def test_change_words_in_both_languages(project, lang, text, expected):
    data = read_dataset(project / "data", project)
    assert render(text, data, 2019, lang, "x.md") == expected


def test_latest_year_is_the_newest_complete_one(project):
    cache = Cache(project / ".cache")
    assert latest_year(load_project(project, cache), cache) == 2019
    edit(project / CSV, "universities,2019,109,", "universities,2019,,")
    assert latest_year(load_project(project, cache), cache) == 2018


# ---- one value changed: text, table and chart follow -----------------------------------

def test_changing_one_value_changes_text_table_and_chart(project):
    before = model(project)
    csv = project / CSV
    edit(csv, "share_bj,2019,42.5,", "share_bj,2019,43.5,")
    edit(csv, "share_other,2019,42.2,", "share_other,2019,41.2,")   # the breakdown still sums to 100
    after = model(project)
    changed = [(a, b) for a, b in zip(texts(before), texts(after)) if a != b]
    assert [(a.count("42.5%"), b.count("43.5%")) for a, b in changed] == [(1, 1), (1, 1)]   # zh and en
    assert {"北京占 43.5%，上海占 15.3%。", "Beijing has 43.5% and Shanghai 15.3%."} <= set(texts(after))
    tables = [(a.rows, b.rows) for a, b in zip(blocks(before, Table), blocks(after, Table))]
    assert all(a[0][1] == "42.5%" and b[0][1] == "43.5%" for a, b in tables) and len(tables) == 2
    pairs = list(zip(blocks(before, Figure), blocks(after, Figure)))
    bars = [(a, b) for a, b in pairs if "Regions" in a.caption or "地区" in a.caption]
    assert len(bars) == 2
    ctx = context(project)
    drawn = lambda figure: draw(figure.chart, ctx, ["pdf"])["pdf"]   # noqa: E731
    for a, b in bars:
        assert drawn(a) != drawn(b) and drawn(a).read_bytes() != drawn(b).read_bytes()
    years = [(a, b) for a, b in pairs if (a, b) not in bars]
    assert all(drawn(a) == drawn(b) for a, b in years)   # firms did not change: same cached chart


# ---- missing values ---------------------------------------------------------------------

def test_a_year_with_a_missing_value_fails_check_naming_it_and_where(project):
    edit(project / CSV, "universities,2019,109,", "universities,2019,,")
    edit(project / CSV, "funding,2019,15298.06,", "funding,2019,,")
    result = run("check", "--project", project, "--year", 2019)
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert errors == [
        "error: data/indicators/main.csv:6: column value: funding (Funding) has no value for 2019; "
        "used at content/chapters/01-alpha/en.md:5, content/chapters/01-alpha/zh.md:5",
        "error: data/indicators/main.csv:14: column value: universities (Universities) has no value for "
        "2019; used at content/chapters/02-beta/en.md:3, content/chapters/02-beta/zh.md:3",
    ]
    # The complete year still checks and builds; the half-filled one is refused, listing all.
    assert run("check", "--project", project).exit_code == 0
    out = project / "out"
    result = run("build", "--project", project, "-f", "docx", "-e", "zh", "-o", out, "-j", 1)
    assert result.exit_code == 0 and [p.name for p in out.iterdir()] == ["report-2018-zh.docx"]
    result = run("build", "--project", project, "-f", "docx", "--year", 2019, "-o", out, "-j", 1)
    assert result.exit_code == 1 and result.output.count("has no value for 2019") == 2


# ---- new-year ---------------------------------------------------------------------------

def test_new_year_adds_rows_once_and_overwrites_nothing(project):
    files = [project / CSV, project / "data/editions.csv"]
    original = [f.read_text(encoding="utf-8").splitlines() for f in files]
    first = run("data", "new-year", 2020, "--project", project)
    assert first.exit_code == 0, first.output
    assert "Added 6 row(s) for 2020 and data/editions.csv row '2020,,2021'" in first.output
    assert "  data/indicators/main.csv:5  firms  Enterprises" in first.output
    assert "  data/indicators/main.csv:20  universities  Universities" in first.output
    lines = (project / CSV).read_text(encoding="utf-8").splitlines()
    assert lines[4] == "firms,2020,,count,企业数,Enterprises,test,"
    after = [f.read_bytes() for f in files]
    for old, f in zip(original, files):     # every old line is still there, in order
        new = f.read_text(encoding="utf-8").splitlines()
        assert [l for l in new if l in old] == old
    second = run("data", "new-year", 2020, "--project", project)
    assert "Added 0 row(s) for 2020 (nothing new" in second.output
    assert [f.read_bytes() for f in files] == after
    assert "6 value(s) to fill" in second.output
    # The half-filled year is reported, the previous one still builds by default.
    assert run("check", "--project", project).exit_code == 0
    result = run("check", "--project", project, "--year", 2020)
    assert result.exit_code == 1
    assert "data/editions.csv:4: column published: publication date for 2020 is empty" in result.output
    assert "data/indicators/main.csv:5: column value: firms (Enterprises) has no value for 2020" in result.output


def test_filling_a_new_year_grows_series_and_year_tables(project):
    # A year table next to the year chart: both must grow with the data alone.
    with (project / "content/chapters/01-alpha/figures.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[table]]\nid = "firms_table"\ntitle = {zh = "企业数", en = "Enterprises"}\n'
                'header = {zh = ["指标", "{year} 年"], en = ["Indicator", "{year}"]}\n'
                'columns = ["label", "years"]\nindicators = ["firms"]\n')
    for lang in ("zh", "en"):
        with (project / f"content/chapters/01-alpha/{lang}.md").open("a", encoding="utf-8") as f:
            f.write("\n```{table} firms_table\n```\n")
    def years_table_and_chart():
        report = model(project, edition="en")
        table = [t for t in blocks(report, Table) if t.caption == "Enterprises"][0]
        return table, [f.chart for f in blocks(report, Figure) if f.chart.kind == "years"][0]

    table, chart = years_table_and_chart()
    assert table.header == ["Indicator", "2017", "2018", "2019"] and table.rows == [["Enterprises", "600", "700", "797"]]
    assert chart.categories == ["2017", "2018", "2019"]
    assert run("data", "new-year", 2020, "--project", project).exit_code == 0
    csv = project / CSV
    for ident, value in (("firms", "1011"), ("funding", "16000"), ("share_bj", "40"), ("share_sh", "20"),
                         ("share_other", "40"), ("universities", "120")):
        edit(csv, f"{ident},2020,,", f"{ident},2020,{value},")
    edit(project / "data/editions.csv", "2020,,2021", "2020,2021-06-01,2021")
    table, chart = years_table_and_chart()
    assert table.header[-1] == "2020" and table.rows == [["Enterprises", "600", "700", "797", "1,011"]]
    assert chart.categories == ["2017", "2018", "2019", "2020"]
    assert run("check", "--project", project).exit_code == 0


# ---- diff -------------------------------------------------------------------------------

def test_diff_flags_suspicious_changes(project):
    csv = project / CSV
    edit(csv, "firms,2019,797,", "firms,2019,1500,")          # x2.14
    edit(csv, "universities,2019,109,", "universities,2019,-109,")
    edit(csv, "share_bj,2019,42.5,", "share_bj,2019,52.5,")   # breakdown sums to 110
    result = run("data", "diff", 2018, 2019, "--project", project)
    assert result.exit_code == 0, result.output
    lines = {l.split()[0]: l for l in result.output.splitlines()[1:-1]}
    assert "changed more than 2x" in lines["firms"] and "+800 (+114.3%)" in lines["firms"]
    assert "sign flip" in lines["universities"]
    assert "shares share_bj + share_sh + share_other sum to 110.0 in 2019" in lines["share_sh"]
    assert lines["funding"].rstrip().endswith("yi_yuan")      # nothing to flag
    assert "7 indicator(s), 5 flagged" in result.output
    assert "changed more than" not in run("data", "diff", 2018, 2019, "--project", project,
                                          "--factor", 3).output


# ---- validation -------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    ("share_bj,2019,42.5,", "share_bj,2019,52.5,",
     "error: data/indicators/main.csv:8: column value: shares share_bj + share_sh + share_other sum to "
     "110.0 in 2019, not 100 ± 0.5 (breakdown at data/checks.toml:2)"),
    ("share_bj,2019,42.5,", "share_bj,2019,42.5%,",
     "error: data/indicators/main.csv:8: column value: '42.5%' has a percent sign: write 42.5 with unit percent"),
    ("firms,2019,797,", 'firms,2019,"1,797",',
     "error: data/indicators/main.csv:4: column value: '1,797' has a thousands separator: write 1797"),
    ("universities,2019,109,count", "universities,2019,109,percent",
     "error: data/indicators/main.csv:14: column unit: universities has unit count elsewhere, percent here"),
])
def test_data_validation_names_file_line_and_column(project, old, new, expected):
    edit(project / CSV, old, new)
    result = run("build", "--project", project, "-f", "docx", "-o", project / "out")
    assert result.exit_code == 1 and expected in result.output.splitlines(), result.output


@pytest.mark.parametrize("rules, expected", [
    ('[[sum]]\ntotal = "universities"\nparts = ["firms", "firms"]\n',
     "error: data/indicators/main.csv:3: column value: firms + firms = 1400 in 2018, but universities is 100"),
    ('[[breakdown]]\nindicators = ["share_bj", "nope"]\n',
     "error: data/checks.toml:1: breakdown: unknown indicator 'nope'"),
    ('[[breakdown]]\nindicators = ["share_bj", "firms"]\n',
     "error: data/checks.toml:1: breakdown: indicators have different units (count, percent)"),
])
def test_declared_rules(project, rules, expected):
    (project / "data/checks.toml").write_text(rules, encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and any(l.startswith(expected) for l in result.output.splitlines()), result.output


# ---- sources appendix -------------------------------------------------------------------

def test_sources_appendix_lists_only_used_sources(project):
    with (project / "data/sources.csv").open("a", encoding="utf-8") as f:
        f.write("unused,未用来源,Unused source\n")
    report = model(project)
    last = report.chapters[-2:]
    assert [(c.id, c.number, c.in_contents, c.heading.text) for c in last] == [
        ("sources", None, True, "数据来源"), ("sources", None, True, "Data sources")]
    assert [(p.text, p.style) for p in last[0].blocks] == [("测试数据", "list")]
    assert [p.text for p in last[1].blocks] == ["Test data"]
    assert model(project, edition="en").chapters[-1].heading.text == "Data sources"
