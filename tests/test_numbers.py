from decimal import Decimal

import pytest

from builder.numbers import format_value, roman, zh_numeral


@pytest.mark.parametrize("value, unit, zh, en", [
    ("15298.06", "yi_yuan", "15298.06 亿元", "1.53 trillion yuan"),
    ("1", "yi_yuan", "1 亿元", "100 million yuan"),
    ("14.1", "yi_people", "14.1 亿", "1.41 billion"),
    ("1862.1", "yi_yuan", "1862.1 亿元", "186.21 billion yuan"),
    ("5386", "count", "5386", "5,386"),
    ("14.80", "percent", "14.80%", "14.80%"),
    ("9.04", "yi_people", "9.04 亿", "904 million"),
    ("130000", "wan", "13 万", "130,000"),
    ("10.63", "wanyi_yuan", "10.63 万亿元", "10.63 trillion yuan"),
])
def test_format_value_per_language(value, unit, zh, en):
    assert format_value(Decimal(value), unit, "zh") == zh
    assert format_value(Decimal(value), unit, "en") == en


def test_chapter_numerals():
    assert [zh_numeral(n) for n in (1, 3, 10, 11, 20, 100, 105, 110, 115)] == [
        "一", "三", "十", "十一", "二十", "一百", "一百零五", "一百一十", "一百一十五"]
    assert [roman(n) for n in (1, 4, 9, 10)] == ["I", "IV", "IX", "X"]
