"""Numbers said in words, per language: approximate fractions, ratios, growth between
two years, the trend of a series, one number for several things. Pure functions of
numbers; the words are in builder.words. Templates reach them through readers.values.

Thresholds (documented in the README as well):
- approx(p), p a percentage from 0 to 100, against the fractions of words.FRACTIONS
  (a tenth ... nine in ten): within 1 point of a fraction: "about" (约); 1 to 3 points
  below one: "nearly" (接近); otherwise "more than" (超过) the fraction below, and under
  7% "less than a tenth" (不到一成).
- times(r), r = a / b: 1.8-2.2 "about twice" (约两倍), 2.7-3.3 "about three times" (约三倍),
  3.5-10 "several times" (数倍), 10 or more "more than ten times" (十倍以上), otherwise the
  ratio to one decimal ("1.4 times", "约 1.4 倍": every Chinese form starts with a Chinese
  character, so the text before it needs no space).

- growth(r), r = now / then: 1.8-2.2 "doubled" (翻了一番), 3.6-4.4 "quadrupled" (翻了两番),
  above 2.2 otherwise "grew about N-fold" with N = r (zh "增长了约 N 倍", N = r - 1),
  N to one decimal below 10 and whole from 10; below 1.8 the percentage change
  ("grew by 30.0%", "fell by 12.5%"); equal: "stayed the same".
"""
from __future__ import annotations

from decimal import Decimal

from builder.numbers import plain
from builder.words import APPROX, EACH, FRACTIONS, GROWTH, TIMES, TRENDS

ABOUT = Decimal(1)        # points: "about" a fraction
NEARLY = Decimal(3)       # points below a fraction: "nearly" it
NEAR_RATIO = Decimal("0.1")   # "about twice": within 10% of 2


def _fractions() -> list[tuple[Decimal, dict[str, str]]]:
    out = []
    for percent, zh, en in FRACTIONS:
        top, _, bottom = percent.partition("/")
        out.append((Decimal(top) / Decimal(bottom or 1), {"zh": zh, "en": en}))
    return out


def approx(percent: Decimal, lang: str) -> str:
    """A percentage as the nearest simple fraction, with its qualifier: 52% -> 超过一半 /
    more than half; 38% -> 接近四成 / nearly two in five; 33.1% -> 约三分之一 / about a third."""
    fractions = _fractions()
    words = APPROX[lang]
    value, name = min(fractions, key=lambda f: (abs(percent - f[0]), f[0]))
    if abs(percent - value) <= ABOUT:
        return words["about"].format(f=name[lang])
    above = [f for f in fractions if f[0] > percent]
    below = [f for f in fractions if f[0] < percent]
    if above and above[0][0] - percent <= NEARLY:
        return words["nearly"].format(f=above[0][1][lang])
    if not below:
        return words["under"].format(f=fractions[0][1][lang])
    return words["over"].format(f=below[-1][1][lang])


def _near(ratio: Decimal, whole: int) -> bool:
    return abs(ratio - whole) <= whole * NEAR_RATIO


def times(ratio: Decimal, lang: str) -> str:
    """How many times b a is, r = a / b: 约两倍 / about twice, 数倍 / several times..."""
    words = TIMES[lang]
    for whole in (2, 3):
        if _near(ratio, whole):
            return words[whole]
    if ratio >= 10:
        return words["ten"]
    if ratio >= Decimal("3.5"):
        return words["several"]
    return words["number"].format(n=plain(ratio, 1))


def _fold(n: Decimal) -> str:
    text = plain(n, 1 if n < 10 else 0)
    return text[:-2] if text.endswith(".0") else text


def growth(ratio: Decimal, lang: str) -> str:
    """Growth from then to now, r = now / then: 翻了一番 / doubled, 翻了两番 / quadrupled,
    增长了约 2 倍 / grew about 3-fold, 增长了 30.0% / grew by 30.0%, 下降了 ... / fell by ..."""
    words = GROWTH[lang]
    if _near(ratio, 2) or _near(ratio, 4):
        return words[2 if ratio < 3 else 4]
    if ratio > 2:
        return words["fold"].format(n=_fold(ratio - 1 if lang == "zh" else ratio))
    if ratio == 1:
        return words["same"]
    key = "rose" if ratio > 1 else "fell"
    return words[key].format(p=plain(abs(ratio - 1) * 100, 1))


def trend(values: list[Decimal], lang: str) -> str:
    """The shape of a series (two values or more): 持续增长 / rose every year, 先升后降 /
    rose, then fell, 有升有降 / rose and fell, 稳中有升 / rose or held steady..."""
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:])]
    moves = [s for s in steps if s]
    shape = [s for i, s in enumerate(moves) if i == 0 or s != moves[i - 1]]
    flat = 0 in steps
    if not shape:
        key = "same"
    elif len(shape) == 1:
        key = ("rose" if shape[0] > 0 else "fell") + ("_flat" if flat else "")
    elif len(shape) == 2:
        key = "rose_fell" if shape[0] > 0 else "fell_rose"
    else:
        key = "mixed"
    return TRENDS[lang][key]


def each(texts: list[str], equal: bool, unit: str, lang: str) -> str:
    """One number for several things: zh 各 4 所 / 分别为 4 所、3 所和 2 所;
    en 4 institutes each / 4, 3 and 2 institutes respectively."""
    words = EACH[lang]
    if equal:
        return words["equal"].format(v=_with_unit(texts[0], unit, lang))
    if lang == "zh":
        items = [_with_unit(t, unit, lang) for t in texts]
        last = items[-1]
        before = words["sep"].join(items[:-1])
        joined = (before + (" " if before[-1].isascii() else "") + words["and"]
                  + (" " if last[0].isascii() else "") + last)
    else:
        joined = words["sep"].join(texts[:-1]) + words["and"] + _with_unit(texts[-1], unit, lang)
    return words["list"].format(v=joined)


def _with_unit(text: str, unit: str, lang: str) -> str:
    return f"{text} {unit}" if unit else text
