import pytest

from builder.readers.data import parse_number, read_dataset
from builder.errors import ProblemList


def test_reads_indicators_by_year(project):
    data = read_dataset(project / "data", project)
    assert str(data.indicators["firms"].value(2019)) == "797"
    assert data.years == [2017, 2018, 2019]
    assert data.edition_of[2019] == 2020


@pytest.mark.parametrize("text, message", [
    ("1,011", "thousands separator"), ("42.5%", "percent sign"), ("", "empty"),
    ("１２", "full-width"), ("NA", "not a number")])
def test_refuses_ambiguous_numbers(text, message):
    with pytest.raises(ValueError, match=message):
        parse_number(text)


def test_reports_every_bad_row_with_file_line_and_column(project):
    csv = project / "data" / "indicators" / "main.csv"
    csv.write_text(csv.read_text(encoding="utf-8") +
                   "bad,2019,1,count,坏,Bad,nosource,\n"
                   "firms,2019,800,count,企业数,Enterprises,test,\n"
                   "x,2019,1,furlongs,x,x,test,\n", encoding="utf-8")
    with pytest.raises(ProblemList) as info:
        read_dataset(project / "data", project)
    messages = [str(p) for p in info.value.problems]
    assert messages == [
        "data/indicators/main.csv:15: column source: unknown source 'nosource' (add it to data/sources.csv)",
        "data/indicators/main.csv:16: column year: duplicate row for firms 2019 (first at data/indicators/main.csv:4)",
        "data/indicators/main.csv:17: column unit: unknown unit 'furlongs' (known: count, percent, wan, "
        "yi_yuan, wanyi_yuan, yi_people, rank, year, number, date)",
    ]


def test_csv_that_does_not_parse(project):
    (project / "data" / "indicators" / "broken.csv").write_text(
        'id,year,value,unit,label_zh,label_en,source,notes\na,2019,"1,count\n', encoding="utf-8")
    with pytest.raises(ProblemList) as info:
        read_dataset(project / "data", project)
    assert str(info.value.problems[0]).startswith("data/indicators/broken.csv")


def test_non_utf8_file_is_named(project):
    (project / "data" / "indicators" / "gbk.csv").write_bytes(
        "id,year,value,unit,label_zh,label_en,source,notes\nq,2019,1,count,企业,Q,test,\n".encode("gbk"))
    with pytest.raises(ProblemList) as info:
        read_dataset(project / "data", project)
    assert "data/indicators/gbk.csv:2: not UTF-8" in str(info.value.problems[0])


def test_utf8_with_byte_order_mark_is_read(project):
    csv = project / "data" / "indicators" / "main.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    assert str(read_dataset(project / "data", project).indicators["firms"].value(2019)) == "797"
