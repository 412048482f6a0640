"""What the prose can say from data, in both languages, computed and never typed: ordinals
and ranks, groups and their leaders, one number for several things, approximate fractions,
ratios and growth in words, trends, dates as values, facts without a year, and labels and
source names that change by year. Each through the public render API on a small project
(a copy of tests/roots/mini with rows added), errors with file and line, and one CLI build."""
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.errors import ContentError, ProblemList
from builder.readers import phrases
from builder.readers.data import read_dataset
from builder.readers.templates import Recorder, render
from tests.projects import edit

MINI = Path(__file__).parent / "roots" / "mini"
EXTRA = "data/indicators/extra.csv"

ROWS = """id,year,value,unit,label_zh,label_en,source,notes
parks,2016,100,count,园区数,Industrial parks,test,
parks,2017,150,count,园区数,Industrial parks,test,
parks,2018,210,count,园区数,Industrial parks,test,
parks,2019,250,count,园区数,Industrial parks,test,
patents,2017,80,count,专利数,Patents,test,
patents,2018,120,count,专利数,Patents,test,
patents,2019,100,count,专利数,Patents,test,
world_rank,2018,3,rank,世界排名,World rank,test,
world_rank,2019,2,rank,世界排名,World rank,test,
released,2018,2019-04,date,发布日期,Release date,test,
released,2019,2020-03-15,date,发布日期,Release date,test,
plan_issued,,2017-07-20,date,规划发布日期,Plan issued,test,
plan_goals,,3,count,规划目标数,Plan goals,test,A fact of the plan: valid in every year
univ_a,2019,15,count,北京,Beijing,test,
univ_b,2019,13,count,江苏,Jiangsu,test,
univ_c,2019,9,count,上海,Shanghai,test,
univ_d,2019,9,count,广东,Guangdong,test,
univ_e,2019,9,count,浙江,Zhejiang,test,
netizens,2018,8.29,yi_people,{{ prev_year }} 年底网民,Internet users at the end of {{ prev_year }},cnnic,
netizens,2019,9.04,yi_people,{{ year }} 年网民规模,Internet users in {{ year }},cnnic46,
"""
SOURCES = """cnnic,中国互联网络信息中心报告（截至 {{ year }} 年）,"CNNIC report (to {{ year }})"
cnnic46,中国互联网络信息中心第 46 次报告,CNNIC 46th report
"""
GROUPS = """# Groups of indicators for the prose
[regions]
members = ["univ_a", "univ_b", "univ_c", "univ_d", "univ_e"]
label = {zh = "五省市", en = "the five regions"}

[tied]
members = ["univ_c", "univ_d", "univ_e"]
"""


def make_project(root: Path) -> Path:
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns(".cache"))
    (root / EXTRA).write_text(ROWS, encoding="utf-8")
    with open(root / "data/sources.csv", "a", encoding="utf-8") as f:
        f.write(SOURCES)
    (root / "data/groups.toml").write_text(GROUPS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("values") / "p")
    return read_dataset(root / "data", root)


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def fill(text, data, lang="zh", year=2019, record=None):
    return render(text, data, year, lang, "x.md", record)


# ---- through render, both languages ------------------------------------------------------

CASES = [
    # ordinals and the rank unit
    ("{{ world_rank }}", "2", "2"),
    ("{{ world_rank.ordinal }}", "第二", "second"),
    ("{{ world_rank.prev.ordinal }}", "第三", "third"),
    ("{{ plan_goals.ordinal }}", "第三", "third"),
    # groups
    ("{{ regions.top.label }}", "北京", "Beijing"),
    ("{{ regions.top }}", "15", "15"),
    ("{{ regions.bottom_is_unique }}", "False", "False"),
    ("{{ univ_b.rank_in(regions) }}", "第二", "second"),
    ("{{ univ_c.rank_in(regions) }}{% if univ_c.rank_in(regions).tied %}*{% endif %}", "第三*", "third*"),
    ("{% if univ_b.rank_in(regions).number <= 2 %}top two{% endif %}", "top two", "top two"),
    ("{{ regions.label }}", "五省市", "the five regions"),
    ("{{ regions.total }}", "55", "55"),
    ("{{ regions.sorted|map(attribute='label')|join(',') }}", "北京,江苏,上海,广东,浙江",
     "Beijing,Jiangsu,Shanghai,Guangdong,Zhejiang"),
    ("{{ tied.top_all|map(attribute='label')|join(',') }}", "上海,广东,浙江", "Shanghai,Guangdong,Zhejiang"),
    ("{% if tied.top_is_unique %}{{ tied.top.label }}{% else %}tie{% endif %}", "tie", "tie"),
    # approximate fractions, of a percent value and of a computed share
    ("{{ share_bj.approx }}", "超过四成", "more than two in five"),
    ("{{ regions.total.share_of(universities) }} {{ regions.total.share_of(universities).approx }}",
     "50.5% 约一半", "50.5% about half"),
    ("{{ univ_b.share_of(regions.total).approx }}", "接近四分之一", "nearly a quarter"),
    # ratios and growth in words
    ("{{ univ_a.times(univ_c) }}", "约 1.7 倍", "1.7 times"),
    ("{{ parks.times(univ_a) }}", "十倍以上", "more than ten times"),
    ("{{ parks.growth_since(2016) }}", "增长了约 1.5 倍", "grew about 2.5-fold"),
    ("{{ parks.growth_since(2018) }}", "增长了 19.0%", "grew by 19.0%"),
    ("{{ patents.growth_since(prev_year) }}", "下降了 16.7%", "fell by 16.7%"),
    # trends
    ("{{ parks.trend }}", "持续增长", "rose every year"),
    ("{{ patents.trend }}", "先升后降", "rose, then fell"),
    ("{{ patents.prev.trend }}", "持续增长", "rose every year"),
    ("{{ parks.first_year }}—{{ year }} {{ parks.trend_since(2018) }}", "2016—2019 持续增长",
     "2016—2019 rose every year"),
    # dates as values
    ("{{ released }}", "2020 年 3 月 15 日", "March 15, 2020"),
    ("{{ released.prev }}", "2019 年 4 月", "April 2019"),
    ("{{ released.month_year }} / {{ released.month }} / {{ released.month_day }}",
     "2020 年 3 月 / 3 月 / 3 月 15 日", "March 2020 / March / March 15"),
    ("{% if released.calendar_year == year + 1 %}next{% endif %}", "next", "next"),
    ("{{ plan_issued }}", "2017 年 7 月 20 日", "July 20, 2017"),
    # facts without a year
    ("{{ plan_goals }}", "3", "3"),
    # labels by year, with {{ year }} / {{ prev_year }} filled
    ("{{ netizens.label }}", "2019 年网民规模", "Internet users in 2019"),
]


@pytest.mark.parametrize("text, zh, en", CASES, ids=[c[0][:40] for c in CASES])
def test_words_in_both_languages(data, text, zh, en):
    assert fill(text, data, "zh") == zh
    assert fill(text, data, "en") == en


def test_each_says_one_number_for_several_things(data):
    assert fill('{{ each(univ_c, univ_d, unit="所") }}', data, "zh") == "各 9 所"
    assert fill('{{ each(univ_a, univ_b, unit="所") }}', data, "zh") == "分别为 15 所和 13 所"
    assert fill('{{ each(univ_a, univ_b, univ_c, unit="所") }}', data, "zh") == "分别为 15 所、13 所和 9 所"
    assert fill('{{ each(tied, unit="所") }}', data, "zh") == "各 9 所"
    assert fill("{{ each(share_bj, share_sh) }}", data, "zh") == "分别为 42.5% 和 15.3%"
    assert fill('{{ each(univ_c, univ_d, unit="universities") }}', data, "en") == "9 universities each"
    assert fill('{{ each(univ_a, univ_b, unit="universities") }}', data, "en") == \
        "15 and 13 universities respectively"
    assert fill('{{ each(univ_a, univ_b, univ_c, unit="universities") }}', data, "en") == \
        "15, 13 and 9 universities respectively"
    assert fill("{{ each(share_bj, share_sh) }}", data, "en") == "42.5% and 15.3% respectively"


def test_labels_follow_the_year_built(data):
    assert fill("{{ netizens.label }}", data, "zh", 2018) == "2017 年底网民"
    assert fill("{{ netizens.label }}", data, "en", 2018) == "Internet users at the end of 2017"
    # No 2020 row yet: the latest row's label, filled for 2020.
    assert fill("{{ netizens.label }}", data, "zh", 2020) == "2020 年网民规模"


def test_a_fact_without_a_year_prints_in_every_year_and_is_recorded_as_fixed(data):
    for year in (2018, 2019, 2030):
        record = Recorder()
        assert fill("{{ plan_goals }} {{ plan_issued }}", data, "en", year, record) == "3 July 20, 2017"
        assert {u.fixed for u in record.uses} == {True}
    assert data.indicators["plan_goals"].rows == {}


def test_a_trend_records_past_years_as_fixed(data):
    record = Recorder()
    fill("{{ parks.trend }}", data, record=record)
    assert {(u.year, u.fixed) for u in record.uses} == {(2016, True), (2017, True), (2018, True), (2019, False)}


ERRORS = [
    ("a\n{{ tied.top.label }}", "x.md:2: group tied (data/groups.toml:6): univ_c, univ_d and univ_e tie for the "
                                "top in 2019 (9); the prose names one"),
    ("{{ tied.bottom }}", "x.md:1: group tied (data/groups.toml:6): univ_c, univ_d and univ_e tie for the bottom"),
    ("\n\n{{ univ_a.rank_in(tied) }}", "x.md:3: univ_a is not a member of group tied (data/groups.toml:6)"),
    ("{{ univ_a.rank_in(firms) }}", "x.md:1: univ_a.rank_in needs a group of data/groups.toml"),
    ("{{ regions }}", "x.md:1: regions is a group (data/groups.toml:2)"),
    ("{{ tied.label }}", "x.md:1: group tied has no label in data/groups.toml:6"),
    ("{{ each(univ_a) }}", "x.md:1: each() needs two values from data or more"),
    ("{{ each(univ_a, share_bj) }}", "x.md:1: each(): the values have different units (count, percent)"),
    ("{{ firms.approx }}", "x.md:1: firms.approx needs a percentage"),
    ("{{ share_bj.ordinal }}", "x.md:1: share_bj.ordinal needs a whole number"),
    ("{{ univ_a.times(2) }}", "x.md:1: univ_a.times needs a value from data"),
    ("{{ world_rank.trend_since(2019) }}", "x.md:1: world_rank: a trend needs values in two years or more"),
    ("\n{{ released.growth }}", "x.md:2: released is a date: it cannot be used as a number"),
    ("{{ released.prev.month_day }}", "x.md:1: released has no day"),
    ("{{ firms.month }}", "x.md:1: firms.month is for values of unit date"),
    ("a\nb\n{{ plan_goals.prev }}", "x.md:3: plan_goals is a fact without a year (data/indicators/extra.csv:14)"),
    ("{{ plan_goals.growth_since(2015) }}", "x.md:1: plan_goals is a fact without a year"),
    ("{{ plan_goals.trend }}", "x.md:1: plan_goals is a fact without a year"),
    ("{{ firms.at('two') }}", "x.md:1: placeholder error: invalid literal for int()"),
]


@pytest.mark.parametrize("text, message", ERRORS, ids=[e[0][:40] for e in ERRORS])
def test_errors_name_file_and_line(data, text, message):
    for lang in ("zh", "en"):
        with pytest.raises(ContentError) as info:
            fill(text, data, lang)
        assert str(info.value).startswith(message), str(info.value)


def test_check_mode_does_not_report_ties_of_stand_ins(data):
    # In 2018 the group's values are missing: check mode records them, and the stand-ins
    # (all equal) are no tie to report.
    record = Recorder.checking()
    assert fill("{{ regions.top.label }}", data, "zh", 2018, record) == "北京"
    assert {u.indicator for u in record.missing} == {"univ_a", "univ_b", "univ_c", "univ_d", "univ_e"}


# ---- the words themselves ------------------------------------------------------------------

@pytest.mark.parametrize("percent, zh, en", [
    ("50", "约一半", "about half"), ("50.9", "约一半", "about half"), ("52", "超过一半", "more than half"),
    ("48.5", "接近一半", "nearly half"), ("45", "超过四成", "more than two in five"),
    ("38", "接近四成", "nearly two in five"), ("33.0", "约三分之一", "about a third"),
    ("66", "约三分之二", "about two thirds"), ("76.5", "超过四分之三", "more than three quarters"),
    ("8", "接近一成", "nearly a tenth"), ("5", "不到一成", "less than a tenth"),
    ("0", "不到一成", "less than a tenth"), ("95", "超过九成", "more than nine in ten"),
])
def test_approx_thresholds(percent, zh, en):
    assert phrases.approx(Decimal(percent), "zh") == zh
    assert phrases.approx(Decimal(percent), "en") == en


@pytest.mark.parametrize("ratio, zh, en", [
    ("2", "约两倍", "about twice"), ("1.85", "约两倍", "about twice"), ("3.2", "约三倍", "about three times"),
    ("3.4", "约 3.4 倍", "3.4 times"), ("3.5", "数倍", "several times"), ("9.9", "数倍", "several times"),
    ("10", "十倍以上", "more than ten times"), ("1.4", "约 1.4 倍", "1.4 times"), ("0.5", "约 0.5 倍", "0.5 times"),
])
def test_times_thresholds(ratio, zh, en):
    assert phrases.times(Decimal(ratio), "zh") == zh
    assert phrases.times(Decimal(ratio), "en") == en


@pytest.mark.parametrize("ratio, zh, en", [
    ("2", "翻了一番", "doubled"), ("2.1", "翻了一番", "doubled"), ("4", "翻了两番", "quadrupled"),
    ("3.7", "翻了两番", "quadrupled"), ("3", "增长了约 2 倍", "grew about 3-fold"),
    ("12.4", "增长了约 11 倍", "grew about 12-fold"), ("1.3", "增长了 30.0%", "grew by 30.0%"),
    ("0.8", "下降了 20.0%", "fell by 20.0%"), ("1", "保持不变", "stayed the same"),
])
def test_growth_thresholds(ratio, zh, en):
    assert phrases.growth(Decimal(ratio), "zh") == zh
    assert phrases.growth(Decimal(ratio), "en") == en


@pytest.mark.parametrize("values, zh, en", [
    ([1, 2, 3], "持续增长", "rose every year"), ([3, 2, 1], "持续下降", "fell every year"),
    ([1, 3, 2], "先升后降", "rose, then fell"), ([3, 1, 2], "先降后升", "fell, then rose"),
    ([1, 2, 1, 2], "有升有降", "rose and fell"), ([2, 2], "保持不变", "stayed the same"),
    ([1, 1, 2], "稳中有升", "rose or held steady"), ([3, 3, 2], "稳中有降", "fell or held steady"),
    ([1, 2, 2, 1], "先升后降", "rose, then fell"),
])
def test_trend_shapes(values, zh, en):
    values = [Decimal(v) for v in values]
    assert phrases.trend(values, "zh") == zh
    assert phrases.trend(values, "en") == en


# ---- data errors: one line each, with file, line and column ---------------------------------

DATA_ERRORS = [
    (EXTRA, "released,2019,2020-03-15", "released,2019,2021-02-30",
     "data/indicators/extra.csv:12: column value: '2021-02-30' is not a date (day is out of range for month)"),
    (EXTRA, "released,2019,2020-03-15", "released,2019,2020-13",
     "data/indicators/extra.csv:12: column value: '2020-13' is not a date (month must be in 1..12)"),
    (EXTRA, "released,2019,2020-03-15", "released,2019,20200315",
     "data/indicators/extra.csv:12: column value: '20200315' is not a date: write YYYY-MM or YYYY-MM-DD"),
    (EXTRA, "parks,2019,250", "parks,2019,2020-03",
     "data/indicators/extra.csv:5: column value: '2020-03' is a date: give the row unit date"),
    (EXTRA, "plan_goals,,3", "plan_goals,,",
     "data/indicators/extra.csv:14: column value: a row without a year is a fact valid in every year: it needs"),
    (EXTRA, "plan_goals,,3", "parks,,3",
     "data/indicators/extra.csv:14: column year: a row without a year for parks, which has yearly rows "
     "(first at data/indicators/extra.csv:2)"),
    (EXTRA, "univ_e,2019,9,count", "plan_goals,2019,9,count",
     "data/indicators/extra.csv:19: column year: a row with a year for plan_goals, which has a row without a "
     "year at data/indicators/extra.csv:14"),
    (EXTRA, "{{ year }} 年网民规模", "{{ firms }} 年网民规模",
     "data/indicators/extra.csv:21: column label_zh: only {{ year }} and {{ prev_year }} can be filled"),
    ("data/sources.csv", "CNNIC 46th report", "CNNIC {% if year %}46th{% endif %}",
     "data/sources.csv:4: column name_en: only {{ year }} and {{ prev_year }} can be filled"),
    (EXTRA, "univ_e,2019", "each,2019", "data/indicators/extra.csv:19: column id: 'each' is a word of the templates"),
    ("data/groups.toml", "[tied]", "[firms]", "data/groups.toml:6: group firms: 'firms' is an indicator id too"),
    ("data/groups.toml", "[tied]", "[year]", "data/groups.toml:6: group year: 'year' is a word of the templates"),
    ("data/groups.toml", '"univ_c", "univ_d", "univ_e"]', '"univ_c", "univ_x"]',
     "data/groups.toml:6: group tied: unknown indicator 'univ_x'"),
    ("data/groups.toml", '"univ_c", "univ_d", "univ_e"]', '"univ_c", "share_bj"]',
     "data/groups.toml:6: group tied: members have different units (count, percent)"),
    ("data/groups.toml", '"univ_c", "univ_d", "univ_e"]', '"univ_c"]',
     "data/groups.toml:6: group tied: members must be a list of at least two indicator ids"),
    ("data/groups.toml", '"univ_c", "univ_d", "univ_e"]', '"univ_c", "univ_c"]',
     "data/groups.toml:6: group tied: member 'univ_c' is listed twice"),
    ("data/groups.toml", '"univ_c", "univ_d", "univ_e"]', '"released", "plan_issued"]',
     "data/groups.toml:6: group tied: members are dates, which are not ranked"),
    ("data/groups.toml", "members = [\"univ_c\"", "member = [\"univ_c\"",
     "data/groups.toml:6: group tied: unknown key 'member' (known: label, members)"),
    ("data/groups.toml", 'label = {zh = "五省市", en = "the five regions"}', 'label = "五省市"',
     "data/groups.toml:2: group regions: label needs zh and en"),
    ("data/groups.toml", "[tied]", "[tied", "data/groups.toml:6: TOML does not parse"),
]


@pytest.mark.parametrize("file, old, new, message", DATA_ERRORS, ids=[e[3][:60] for e in DATA_ERRORS])
def test_data_errors_name_file_line_and_column(project, file, old, new, message):
    edit(project / file, old, new)
    with pytest.raises(ProblemList) as info:
        read_dataset(project / "data", project)
    problems = [str(p) for p in info.value.problems]
    assert any(p.startswith(message) for p in problems), problems


# ---- the command line: one build, errors, a new year -----------------------------------------

ZH = """
## 新内容

{{ regions.top.label }}居首，{{ univ_b.label }}位居{{ univ_b.rank_in(regions) }}；上海、广东和浙江{{ each(univ_c, univ_d, univ_e, unit="所") }}，五省市合计占{{ regions.total.share_of(universities).approx }}。园区数{{ parks.trend }}，自 {{ parks.first_year }} 年以来{{ parks.growth_since(parks.first_year) }}，是专利数的{{ parks.times(patents) }}。中国排名{{ world_rank.ordinal }}。报告发布于 {{ released }}，规划发布于 {{ plan_issued.month_year }}，共有 {{ plan_goals }} 项目标。网民 {{ netizens }}。
"""
EN = """
## New

{{ regions.top.label }} leads; {{ univ_b.label }} is {{ univ_b.rank_in(regions) }}; Shanghai, Guangdong and Zhejiang have {{ each(univ_c, univ_d, univ_e, unit="universities") }}, together {{ regions.total.share_of(universities).approx }} of the total. Parks {{ parks.trend }}; from {{ parks.first_year }} to {{ year }} they {{ parks.growth_since(parks.first_year) }}, to {{ parks.times(patents) }} the patents. China ranks {{ world_rank.ordinal }}. The report was released on {{ released }}, the plan in {{ plan_issued.month_year }}, with {{ plan_goals }} goals. Internet users: {{ netizens }}.
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def docx_text(path: Path) -> str:
    import docx
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_cli_build_prints_every_feature_in_both_languages(project):
    for lang, text in (("zh", ZH), ("en", EN)):
        with open(project / f"content/chapters/02-beta/{lang}.md", "a", encoding="utf-8") as f:
            f.write(text)
    edit(project / "data/indicators/main.csv", "share_bj,2019,42.5,percent,北京,Beijing",
         "share_bj,2019,42.5,percent,北京（{{ year }}）,Beijing ({{ year }})")
    result = run("build", "--project", project, "-f", "docx", "-e", "zh", "-e", "en", "-o", project / "out",
                 "-j", "1")
    assert result.exit_code == 0, result.output
    zh = docx_text(project / "out/report-2019-zh.docx")
    en = docx_text(project / "out/report-2019-en.docx")
    assert ("北京居首，江苏位居第二；上海、广东和浙江各 9 所，五省市合计占约一半。园区数持续增长，自 2016 年以来"
            "增长了约 1.5 倍，是专利数的约 2.5 倍。中国排名第二。报告发布于 2020 年 3 月 15 日，规划发布于 2017 年 7 月，"
            "共有 3 项目标。网民 9.04 亿。") in zh
    assert ("Beijing leads; Jiangsu is second; Shanghai, Guangdong and Zhejiang have 9 universities each, "
            "together about half of the total. Parks rose every year; from 2016 to 2019 they grew about 2.5-fold, "
            "to 2.5 times the patents. China ranks second. The report was released on March 15, 2020, the plan "
            "in July 2017, with 3 goals. Internet users: 904 million.") in en
    # A table label from the row of the year built, its {{ year }} filled; source names too.
    assert "北京（2019）" in zh and "Beijing (2019)" in en
    assert "中国互联网络信息中心第 46 次报告" in zh and "CNNIC 46th report" in en
    assert "{{" not in zh + en


def test_cli_sources_follow_the_row_of_each_value(project):
    with open(project / "content/chapters/02-beta/zh.md", "a", encoding="utf-8") as f:
        f.write("\n网民从 {{ netizens.prev }} 增至 {{ netizens }}。\n")
    with open(project / "content/chapters/02-beta/en.md", "a", encoding="utf-8") as f:
        f.write("\nInternet users went from {{ netizens.prev }} to {{ netizens }}.\n")
    result = run("build", "--project", project, "-f", "docx", "-e", "en", "-o", project / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    en = docx_text(project / "out/report-2019-en.docx")
    assert "CNNIC report (to 2019)" in en and "CNNIC 46th report" in en


@pytest.mark.parametrize("file, old, new, expected", [
    ("data/groups.toml", "[tied]", "[firms]",
     "error: data/groups.toml:6: group firms: 'firms' is an indicator id too; give the group another name"),
    (EXTRA, "released,2019,2020-03-15", "released,2019,2021-02-30",
     "error: data/indicators/extra.csv:12: column value: '2021-02-30' is not a date"),
    ("content/chapters/02-beta/zh.md", "共有高校", "{{ tied.top.label }}居首。共有高校",
     "error: content/chapters/02-beta/zh.md:3: group tied (data/groups.toml:6): univ_c, univ_d and univ_e tie"),
    ("content/chapters/02-beta/en.md", "There are", "{{ released.growth }} There are",
     "error: content/chapters/02-beta/en.md:3: released is a date: it cannot be used as a number"),
])
def test_cli_errors_are_one_line(project, file, old, new, expected):
    edit(project / file, old, new)
    result = run("build", "--project", project, "-f", "docx", "-o", project / "out", "-j", "1")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors and errors[0].startswith(expected), result.output


def test_new_year_asks_for_dated_values_never_for_facts_without_a_year(project):
    for lang in ("zh", "en"):
        with open(project / f"content/chapters/02-beta/{lang}.md", "a", encoding="utf-8") as f:
            f.write("\n{{ plan_goals }} {{ plan_issued }} {{ released }} {{ netizens }}\n")
    result = run("data", "new-year", "2020", "--project", project)
    assert result.exit_code == 0, result.output
    assert "released" in result.output and "netizens" in result.output
    assert "plan_goals" not in result.output and "plan_issued" not in result.output
    rows = (project / EXTRA).read_text(encoding="utf-8")
    assert "released,2020,,date,发布日期,Release date,test," in rows
    # The new row copies the latest row's label and source, {{ year }} kept as written.
    assert "netizens,2020,,yi_people,{{ year }} 年网民规模,Internet users in {{ year }},cnnic46," in rows
    assert "plan_goals,2020" not in rows and "plan_issued,2020" not in rows
    check = run("check", "--project", project, "--year", "2020")
    assert "released" in check.output and "plan_goals" not in check.output and "plan_issued" not in check.output
