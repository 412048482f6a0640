"""Charts in figures.toml: a note and a source line under the chart, axis labels, value
labels on or off, points at their own year (id@2015), and a series of years with a gap
where data has no row."""
import math
import re
import subprocess
from pathlib import Path

import docx
import pytest

from builder.errors import ContentError
from builder.media.charts import vector
from builder.model import ChartSpec, Figure
from builder.readers.figures import read_definitions
from tests.background import REPORT
from tests.reading import context, read_edition

BETA = "content/chapters/02-beta"
MORE_FIGURES = '''
[[figure]]
id = "two_years"
kind = "barh"
title = {zh = "企业与高校", en = "Enterprises and universities"}
axis_y = {zh = "指标", en = "Indicator"}
indicators = ["firms@2017", "universities"]
value_labels = false

[[figure]]
id = "patents_years"
kind = "years"
title = {zh = "专利", en = "Patents"}
indicators = ["patents"]
'''
PATENTS = "".join(f"patents,{y},{v},count,专利,Patents,test,\n" for y, v in ((2015, 300), (2016, 320), (2019, 450)))


def figures(report) -> dict[str, Figure]:
    found = [b for ch in report.chapters for b in ch.blocks if isinstance(b, Figure)]
    return {f.caption: f for f in found}


@pytest.fixture(scope="module")
def edited(make_project) -> Path:
    """The mini root with a chart of two years' points and a series of years with gaps."""
    root = make_project("mini")
    with open(root / BETA / "figures.toml", "a", encoding="utf-8") as f:
        f.write(MORE_FIGURES)
    for lang in ("zh", "en"):
        with open(root / BETA / f"{lang}.md", "a", encoding="utf-8") as f:
            f.write("\n```{figure} two_years\n```\n\n```{figure} patents_years\n```\n")
    with open(root / "data/indicators/main.csv", "a", encoding="utf-8") as f:
        f.write(PATENTS)
    return root


def test_note_source_and_axes_in_the_model(edited):
    for lang, note, source, axis in (
            ("zh", "注：占比按 2019 年企业数计算。", "资料来源：作者根据测试数据整理。", "地区"),
            ("en", "Note: Shares of the enterprises of 2019.", "Source: compiled by the authors from test data.",
             "Region")):
        figure = figures(read_edition(edited, lang))["地区" if lang == "zh" else "Regions"]
        assert (figure.note, figure.source) == (note, source)
        assert figure.chart.category_label == axis and figure.chart.labelled


def test_points_at_their_own_year_and_a_series_with_gaps(edited):
    zh, en = figures(read_edition(edited, "zh")), figures(read_edition(edited, "en"))
    chart = en["Enterprises and universities"].chart
    assert chart.categories == ["Enterprises (2017)", "Universities"]
    assert chart.series == [("2019", [600.0, 109.0])]   # firms of 2017, universities of 2019
    assert (chart.category_label, chart.labelled) == ("Indicator", False)
    assert zh["企业与高校"].chart.categories == ["企业数（2017 年）", "高校"]
    series = en["Patents"].chart
    assert series.categories == ["2015", "2016", "2017", "2018", "2019"]
    assert [round(v) if not math.isnan(v) else None for v in series.series[0][1]] == [300, 320, None, None, 450]
    assert en["Patents"].source == "Source: Test data."


def test_a_gap_breaks_the_line(tmp_path):
    spec = ChartSpec("years", ["2015", "2016", "2017", "2018"], [("a", [1.0, 2.0, math.nan, 4.0])], "", "{:.0f}",
                     "en")
    operators = "".join(p for p in vector(spec, context(tmp_path))[2] if isinstance(p, str))
    paths = [re.findall(r"(?:^| )([mlch])$", shape, re.M) for shape in operators.split("Q\n")]
    assert ["m", "l", "m"] in paths   # 2015 to 2016, then 2018 alone: not joined over 2017
    assert ["m", "l", "l"] not in paths and ["m", "l", "l", "l"] not in paths


def test_pdf_and_docx_print_note_and_source_under_the_chart(mini_report):
    for lang, caption, note, source in (
            ("zh", "图 2-1", "注：占比按 2019 年企业数计算。", "资料来源：作者根据测试数据整理。"),
            ("en", "Figure 2-1", "Note: Shares of the enterprises of 2019.",
             "Source: compiled by the authors from test data.")):
        pdf = mini_report.output / f"report-2019-{lang}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        at = next(i for i, line in enumerate(lines) if line.startswith(caption))
        assert lines[at + 1:at + 3] == [note, source]
        paras = [p for p in docx.Document(mini_report.output / f"report-2019-{lang}.docx").paragraphs if p.text]
        at = next(i for i, p in enumerate(paras) if p.text.startswith(caption))
        assert [(p.text, p.style.name) for p in paras[at + 1:at + 3]] == [(note, "Source"), (source, "Source")]


BAD_FIGURES = [
    ('note = "a note"', "note needs zh and en texts"),
    ('indicators = ["share_bj@19"]', "indicator 'share_bj@19' is not an id, nor an id@year"),
    ('value_labels = "no"', "value_labels is true or false"),
    ('axis_y = {zh = "y", en = "y"}', "axis and axis_y both label the value axis of a bar chart"),
]


@pytest.mark.parametrize("line, message", BAD_FIGURES, ids=[b[1][:20] for b in BAD_FIGURES])
def test_bad_figure_keys_name_the_line(tmp_path, line, message):
    path = tmp_path / "figures.toml"
    text = '[[figure]]\nid = "f"\nkind = "bar"\ntitle = {zh = "t", en = "t"}\naxis = {zh = "a", en = "a"}\n'
    key = line.split(" ")[0]
    rest = "" if key == "indicators" else 'indicators = ["share_bj"]\n'
    path.write_text(text + rest + line + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read_definitions(path, "content/chapters/02-beta/figures.toml")
    assert str(info.value).startswith(f"content/chapters/02-beta/figures.toml:2: figure f: {message}")


def test_check_prints_each_figure_error_once_in_one_line(make_project):
    root = make_project("mini")
    path = root / BETA / "figures.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "bar"', 'kind = "bar"\nnotes = "x"'),
                    encoding="utf-8")
    path = root / "content/chapters/01-alpha/figures.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('["firms"]', '["firms@2017"]'), encoding="utf-8")
    result = subprocess.run([REPORT, "check", "--project", str(root)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: content/chapters/01-alpha/figures.toml:2: figure firms_years: a chart of kind years shows "
        "years of its own: write its indicators without @year",
        f"error: {BETA}/figures.toml:2: figure regions_bar: unknown key 'notes' (known: axis, axis_x, axis_y, "
        "id, indicators, kind, note, source, title, value_labels, width, years)",
        "2 error(s), 0 warning(s)"]
