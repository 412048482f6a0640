"""How a number is printed in each language, by unit.

Chinese keeps the report's own convention (no thousands separators, 亿/万 units);
English uses thousands separators and converts 亿 to millions/billions.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from builder.words import DATES, MONTHS_EN, ORDINAL_ZH, ORDINALS_EN

ZH_NUMERALS = "零一二三四五六七八九十"
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _places(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def decimals(value: Decimal) -> int:
    """How many decimals a value is written with: 45.80 has 2, 45.8 has 1, 797 none."""
    return _places(value)


def plain(value: Decimal, places: int | None = None, grouping: bool = False) -> str:
    places = _places(value) if places is None else places
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}" if grouping else f"{q:.{places}f}"


# English names of large amounts, largest first: a reader expects "1.53 trillion yuan",
# not "1,529.81 billion yuan", and "100 million yuan", not "0.1 billion yuan".
SCALES_EN = (("trillion", 12), ("billion", 9), ("million", 6))


def scaled_en(value: Decimal) -> str:
    """An amount in the largest English scale it reaches, with the decimals it needs there
    (at most two): 1529806000000 -> "1.53 trillion", 18621000000 -> "18.62 billion",
    100000000 -> "100 million"; below a million, the number itself ("950,000")."""
    for word, power in SCALES_EN:
        if abs(value) >= Decimal(10) ** power:
            scaled = (value / Decimal(10) ** power).normalize()
            return f"{plain(scaled, min(_places(scaled), 2), grouping=True)} {word}"
    return plain(value.normalize(), min(_places(value.normalize()), 2), grouping=True)


def _yuan(power: int):
    """English formatter of an amount of yuan given in units of 10**power (亿元: 8)."""
    return lambda v: f"{scaled_en(v * Decimal(10) ** power)} yuan"


# unit -> (zh formatter, en formatter). Counts carry no unit word: the prose has it
# ("797 家" / "797 enterprises"); money and people carry theirs because English rescales.
UNITS = {
    "count": (lambda v: plain(v), lambda v: plain(v, grouping=True)),
    "percent": (lambda v: f"{plain(v)}%", lambda v: f"{plain(v)}%"),
    "wan": (lambda v: f"{plain(v / 10000)} 万", lambda v: plain(v, grouping=True)),
    "yi_yuan": (lambda v: f"{plain(v)} 亿元", _yuan(8)),
    "wanyi_yuan": (lambda v: f"{plain(v)} 万亿元", _yuan(12)),
    "yi_people": (lambda v: f"{plain(v)} 亿", lambda v: scaled_en(v * Decimal(10) ** 8)),
    # A place in a ranking: the digits alone ({{ x.ordinal }} prints 第五 / fifth).
    "rank": (lambda v: plain(v), lambda v: plain(v)),
    # A calendar year (2019; zh writes 年 after it, as after {{ year }}) and a number
    # printed as written, without thousands separators (a code, a count of 1,000s).
    "year": (lambda v: plain(v), lambda v: plain(v)),
    "number": (lambda v: plain(v), lambda v: plain(v)),
    # A date, stored as the number YYYYMM or YYYYMMDD (see date_parts).
    "date": (lambda v: format_date(v, "zh"), lambda v: format_date(v, "en")),
}


def format_value(value: Decimal, unit: str, lang: str) -> str:
    zh, en = UNITS[unit]
    return zh(value) if lang == "zh" else en(value)


def date_parts(value: Decimal) -> tuple[int, int, int | None]:
    """(year, month, day or None) of a date value: data.py stores 2020-03 as 202003 and
    2020-03-15 as 20200315."""
    n = int(value)
    if n >= 10**7:
        return n // 10000, n // 100 % 100, n % 100
    return n // 100, n % 100, None


def format_date(value: Decimal, lang: str, form: str = "") -> str:
    """A date value in words: the whole date by default (with its day when it has one),
    or one of the forms of words.DATES: month_year, month, month_day."""
    year, month, day = date_parts(value)
    form = form or ("day" if day else "month_year")
    return DATES[lang][form].format(y=year, m=month, d=day, M=MONTHS_EN[month - 1])


def ordinal(n: int, lang: str) -> str:
    """1 -> 第一 / first; 11 -> 第十一 / 11th; 22 -> 第二十二 / 22nd (1..999)."""
    if lang == "zh":
        return ORDINAL_ZH.format(n=zh_numeral(n))
    if n <= len(ORDINALS_EN):
        return ORDINALS_EN[n - 1]
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def zh_numeral(n: int) -> str:
    """1..999 as Chinese numerals: 三, 十一, 二十, 一百零五."""
    if n <= 10:
        return ZH_NUMERALS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (ZH_NUMERALS[tens] if tens > 1 else "") + "十" + (ZH_NUMERALS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + ZH_NUMERALS[rest] if rest < 10 else
                                 (ZH_NUMERALS[1] if rest < 20 else "") + zh_numeral(rest))
    return ZH_NUMERALS[hundreds] + "百" + tail


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out
