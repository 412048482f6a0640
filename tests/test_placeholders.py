import pytest

from builder.readers.data import read_dataset
from builder.errors import ContentError
from builder.readers.templates import Recorder, render


@pytest.fixture(scope="module")
def data(make_project):
    """The mini root's data, read."""
    root = make_project("mini")
    return read_dataset(root / "data", root)


def fill(text, data, lang="zh", year=2019, record=None):
    return render(text, data, year, lang, "x.md", record)


def test_values_follow_language_and_year(data):
    assert fill("{{ funding }}", data, "zh") == "15298.06 亿元"
    assert fill("{{ funding }}", data, "en") == "1.53 trillion yuan"
    assert fill("{{ firms }} {{ firms.prev }} {{ firms.change }}", data, year=2018) == "700 600 100"
    assert fill("{% if share_sh.rose %}up{% else %}down{% endif %} {{ share_sh.points }}", data) == "down 4.7"
    assert fill("{{ firms.at(2017) }} {{ universities.share_of(firms) }}", data) == "600 13.7%"


def test_uses_are_recorded(data):
    record = Recorder()
    fill("{{ firms.prev }}", data, record=record)
    assert {(u.indicator, u.year) for u in record.uses} == {("firms", 2018)}


@pytest.mark.parametrize("text, message", [
    ("a\n\n{{ nope }}", "x.md:3: unknown placeholder: 'nope' is undefined"),
    ("a\n{{ firms.at(2000) }}", "x.md:2: no value for firms in 2000"),
    ("{{ firms ", "x.md:1: unclosed placeholder"),
    ("{{ firms }} {% if %}{% endif %}", "x.md:1: placeholder syntax"),
    ("{{ firms.__class__.__mro__ }}", "x.md:1: placeholder error: access to attribute '__class__'"),
])
def test_errors_name_file_and_line(data, text, message):
    with pytest.raises(ContentError) as info:
        fill(text, data)
    assert str(info.value).startswith(message)
