"""Roll-forward: next year's edition is made by changing data/ only.

The default report is rehearsed for the year after its newest (`report data rehearse`:
every value moved, shares renormalised, ranks reshuffled, dates a year later) and its
text read in both languages, every placeholder's output wrapped in invisible markers
(each knowing which placeholder printed it). What is left outside the markers is the
prose typed by the writers, which next year's data cannot change; so it must not hold
(a) a number equal to a value the old year printed where the new year prints its own,
a typed claim of builder/words.py TYPED_CLAIMS, (b) the old data year or the one before
unless marked with fixed(); and (c) the two languages must print the same values, (d)
every rank, leader and comparison word the one the rehearsed data give.

REPORT_ROLL_FORWARD_PROJECT=path runs the same checks on another report folder (the
content before the rewrite, `git show 2149cca:content`, fails them)."""
from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from builder.analysis.rehearse import rehearse
from builder.analysis.typed import HOLE, LEADER, LEADS, NUMBER, _not_a_figure, typed_words
from builder.cache import Cache
from builder.model import Figure, Heading, Paragraph, Table
from builder.numbers import format_value
from builder.readers.chapters import read_chapter, read_front
from builder.readers.project import load_project
from builder.readers.templates import Recorder
from builder.words import CHANGE, MONTHS_EN
from tests.projects import REPO

PROJECT = Path(os.environ.get("REPORT_ROLL_FORWARD_PROJECT") or REPO)
OPEN, CLOSE, INDEX = "\ue000", "\ue001", "\ue002"   # around a placeholder's output: OPEN text INDEX n CLOSE
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")


class Text:
    """The rehearsed report as read, placeholders marked: per (chapter, lang) the texts
    printed and the values used."""

    def __init__(self, root: Path, year: int, cache: Cache):
        self.expressions: list[str] = []
        for path in sorted((root / "content").rglob("*")):
            if path.suffix in (".md", ".toml") and path.name != "report.toml":
                path.write_text(PLACEHOLDER.sub(self._mark, path.read_text(encoding="utf-8")), encoding="utf-8")
        self.project = load_project(root, cache)
        self.texts: dict[tuple[str, str], list[str]] = {}
        self.uses: dict[tuple[str, str], set] = {}
        for lang in ("zh", "en"):
            record = Recorder()
            self.texts["front", lang] = [t for part in read_front(self.project, lang, year, record)
                                         for t in chapter_texts(part)]
            self.uses["front", lang] = record.uses
            for entry in self.project.manifest.chapters:
                record = Recorder()
                chapter = read_chapter(self.project, entry, lang, year, cache, record)
                self.texts[entry.id, lang] = chapter_texts(chapter)
                self.uses[entry.id, lang] = record.uses

    def _mark(self, m: re.Match) -> str:
        self.expressions.append(m.group(1).strip())
        return f"{OPEN}{m.group(0)}{INDEX}{len(self.expressions) - 1}{CLOSE}"

    def split(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """(the typed prose, each placeholder's output replaced by a hole, or by a leader
        mark for one naming a group's leader; [(expression, text printed)])."""
        typed, printed, depth, start = [], [], 0, 0
        for pos, ch in enumerate(text):
            if ch == OPEN:
                depth += 1
                start = pos if depth == 1 else start
            elif ch == CLOSE:
                depth -= 1
                if depth == 0:
                    body, _, index = text[start + 1:pos].rpartition(INDEX)
                    expression = self.expressions[int(index)]
                    printed.append((expression, plain(body)))
                    typed.append(LEADER if LEADS.search(expression) else HOLE)
            elif depth == 0:
                typed.append(ch)
        return "".join(typed), printed


def plain(text: str) -> str:
    """Text with the markers of nested placeholders (a macro's) taken out."""
    return re.sub(f"{INDEX}\\d+", "", text).replace(OPEN, "").replace(CLOSE, "")


def chapter_texts(chapter) -> list[str]:
    texts = [chapter.heading.text]
    for block in chapter.blocks:
        if isinstance(block, Heading):
            texts.append(block.text)
        elif isinstance(block, Paragraph):
            texts += [block.text] + ["".join(r.text for r in note.runs) for note in block.footnotes]
        elif isinstance(block, (Figure, Table)):
            texts.append(block.caption)
    return texts


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory):
    src = tmp_path_factory.mktemp("report")
    for folder in ("content", "data"):
        shutil.copytree(PROJECT / folder, src / folder)
    cache = Cache(tmp_path_factory.mktemp("cache"))
    project = load_project(src, cache)
    newest = max(project.dataset.edition_of)
    year = newest + 1 if project.dataset.published.get(newest) else newest
    made = rehearse(project, cache, year, year, src / "output" / f"rehearsal-{year}")
    return Text(made.root, year, cache), year


def number(m: re.Match) -> tuple[bool, Decimal]:
    """A number found by NUMBER: (a percentage?, its value)."""
    return bool(m.group(3)), Decimal(m.group(1).replace(",", "") + (m.group(2) or "")).normalize()


def old_values(text: Text, year: int) -> dict[tuple[bool, Decimal], str]:
    """The numbers the old year's values print as (either language), for the values the
    rehearsed year prints: (a percentage?, number) -> indicator."""
    dataset = text.project.dataset
    found = {}
    for uses in text.uses.values():
        for use in uses:
            ind = dataset.indicators[use.indicator]
            old = ind.value(year - 1)
            if use.year != year or use.fixed or old is None or ind.unit == "date" or old == ind.value(year):
                continue
            for lang in ("zh", "en"):
                for m in NUMBER.finditer(format_value(old, ind.unit, lang)):
                    found[number(m)] = use.indicator
    return found


def typed_prose(text: Text):
    for (chapter, lang), texts in text.texts.items():
        for t in texts:
            yield chapter, lang, text.split(t)[0]


def shown(prose: str, m: re.Match) -> str:
    return "…" + prose[max(m.start() - 40, 0):m.end() + 20].replace(HOLE, "{…}").replace(LEADER, "{…}") + "…"


def stale_values(text: Text, year: int) -> list[str]:
    """(a) Numbers of the typed prose that the old year's values printed as, where the
    rehearsed year prints its own (numbers below 10, years and dates aside: typed.py's
    rule), and the data-dependent claims of builder/words.py TYPED_CLAIMS."""
    old = old_values(text, year)
    problems = []
    for chapter, lang, prose in typed_prose(text):
        for m in NUMBER.finditer(prose):
            key = number(m)
            if key in old and not _not_a_figure(prose, m, key[1]):
                problems.append(f"{chapter} {lang}: {m.group(0).strip()} typed, {old[key]}'s {year - 1} "
                                f"value: {shown(prose, m)}")
        problems += [f"{chapter} {lang}: {w.split(':')[0]}" for w in typed_words(prose, lang)]
    return problems


def stale_years(text: Text, year: int) -> list[str]:
    """(b) The old data year or the one before typed, not through a placeholder
    ({{ prev_year }}, a label) or fixed()."""
    return [f"{chapter} {lang}: {m.group(0)} typed: {shown(prose, m)}"
            for chapter, lang, prose in typed_prose(text) for m in NUMBER.finditer(prose)
            if not m.group(2) and not m.group(3) and m.group(1) in (str(year - 1), str(year - 2))]


def test_no_old_value_typed_in_the_prose(rehearsed):
    """(a) Nothing the old year said is left where the rehearsed year speaks."""
    text, year = rehearsed
    assert len(old_values(text, year)) > 20
    problems = stale_values(text, year)
    assert not problems, "\n".join(problems)


def test_no_old_year_typed_in_the_prose(rehearsed):
    """(b) Years follow the data year, or are marked as fixed facts."""
    text, year = rehearsed
    problems = stale_years(text, year)
    assert not problems, "\n".join(problems)


def printed_numbers(text: Text, key: tuple[str, str]) -> set[Decimal]:
    """The numbers the placeholders of a chapter print from data (not fixed() facts), in
    one unit whichever the language (亿 and billions alike, months as numbers), to three
    significant digits (English prints 15298.06 亿元 as 1.53 trillion yuan)."""
    lang = key[1]
    scale = {"万亿": 12, "亿": 8, "万": 4, "trillion": 12, "billion": 9, "million": 6}
    numbers = set()
    for t in text.texts[key]:
        for expression, printed in text.split(t)[1]:
            if expression.startswith("fixed("):
                continue
            if lang == "en":
                printed = re.sub("|".join(MONTHS_EN), lambda m: str(MONTHS_EN.index(m.group(0)) + 1), printed)
            else:   # 增长了约 2 倍 is English's "grew about 3-fold": the increase, not the ratio
                printed = re.sub(r"增长了约 (\d+(?:\.\d+)?) 倍", lambda m: f"{Decimal(m.group(1)) + 1}-fold", printed)
            for m in re.finditer(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z\d])\s*"
                                 r"(万亿|亿|万|trillion|billion|million)?", printed):
                value = Decimal(m.group(1).replace(",", "") + (m.group(2) or "")).scaleb(scale.get(m.group(3), 0))
                numbers.add(Decimal(f"{value:.3g}") if value else value)
    return numbers


def language_differences(text: Text) -> list[str]:
    """(c) Per chapter, the values (indicator, year) the zh and en texts use, and the
    numbers they print, where they differ."""
    problems = []
    for chapter in sorted({c for c, _ in text.texts}):
        uses = {lang: {(u.indicator, u.year) for u in text.uses[chapter, lang]} for lang in ("zh", "en")}
        if uses["zh"] != uses["en"]:
            problems.append(f"{chapter}: only zh uses {sorted(uses['zh'] - uses['en'])}, "
                            f"only en {sorted(uses['en'] - uses['zh'])}")
        numbers = {lang: printed_numbers(text, (chapter, lang)) for lang in ("zh", "en")}
        if numbers["zh"] != numbers["en"]:
            problems.append(f"{chapter}: only zh prints {sorted(numbers['zh'] - numbers['en'])}, "
                            f"only en {sorted(numbers['en'] - numbers['zh'])}")
    return problems


def test_both_languages_print_the_same_values(rehearsed):
    """(c) The zh and en texts carry the same values."""
    problems = language_differences(rehearsed[0])
    assert not problems, "\n".join(problems)


ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..999 in Chinese numerals: 十一, 二十, 一百零五, 一百一十."""
    if n < 10:
        return ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else ZH_DIGITS[tens]) + "十" + (ZH_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if not rest else "零" + ZH_DIGITS[rest] if rest < 10 else ("一" if rest < 20 else "") + zh_number(rest)
    return ZH_DIGITS[hundreds] + "百" + tail


def ordinal_word(n: int, lang: str) -> str:
    """Written here again, not taken from the builder: 2 -> 第二 / second, 21 -> 第二十一 / 21st."""
    if lang == "zh":
        return "第" + zh_number(n)
    if n <= 10:
        return ORDINAL_WORDS[n - 1]
    return f"{n}{'th' if n % 100 in (11, 12, 13) else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def expected_word(expression: str, text: Text, year: int, lang: str) -> str | None:
    """What a rank, leader or comparison placeholder must print with the rehearsed data,
    derived here from the values; None for other placeholders."""
    dataset = text.project.dataset
    expression = re.sub(r"\|\s*\w+$", "", re.sub(r"^lc\((.*)\)$", r"\1", expression)).strip()

    def value(ident):
        return dataset.indicators[ident].value(year)

    def members(group):
        return dataset.groups[group].members
    if m := re.fullmatch(r"(\w+)\.ordinal", expression):
        return ordinal_word(int(value(m[1])), lang)
    if (m := re.fullmatch(r"(\w+)\.rank_in\((\w+)\)", expression)) and m[2] in dataset.groups:
        return ordinal_word(1 + sum(1 for o in members(m[2]) if value(o) > value(m[1])), lang)
    if (m := re.fullmatch(r"(\w+)\.(top|bottom)\.label", expression)) and m[1] in dataset.groups:
        pick = max if m[2] == "top" else min
        end = pick(value(o) for o in members(m[1]))
        leaders = [o for o in members(m[1]) if value(o) == end]
        assert len(leaders) == 1, f"{expression}: a tie in the rehearsed data printed as one leader"
        return dataset.indicators[leaders[0]].label_in(year, lang)
    if m := re.fullmatch(r"(\w+)\.(vs_prev|up_down|increase)", expression):
        now, before = value(m[1]), dataset.indicators[m[1]].value(year - 1)
        return CHANGE[m[2]][lang][0 if now > before else 1 if now < before else 2]
    return None


def wrong_words(text: Text, year: int) -> tuple[int, list[str]]:
    """(d) Every ordinal, rank in a group, group leader and comparison with the year
    before that is printed, against the word the rehearsed data give: (how many were
    checked, those that differ)."""
    checked, problems = 0, []
    for (chapter, lang), texts in text.texts.items():
        for t in texts:
            for expression, printed in text.split(t)[1]:
                want = expected_word(expression, text, year, lang)
                if want is None:
                    continue
                checked += 1
                if printed.lower() != want.lower():
                    problems.append(f"{chapter} {lang}: {{{{ {expression} }}}} printed {printed!r}, the data "
                                    f"give {want!r}")
    return checked, problems


def test_ranks_leaders_and_comparisons_follow_the_data(rehearsed):
    """(d) Ranks, leaders and comparison words are those of the rehearsed data."""
    checked, problems = wrong_words(*rehearsed)
    assert not problems, "\n".join(problems)
    assert checked >= 20, f"only {checked} rank, leader or comparison words found"


def test_the_checks_catch_what_they_look_for(rehearsed):
    """Each check finds a planted problem: an old value, the old year and a rank typed,
    a leader printed from other data, one language printing a number the other does not."""
    text, year = rehearsed
    (ident, value), = [(i, v) for i, v in [(u.indicator, text.project.dataset.indicators[u.indicator].value(year - 1))
                                            for u in text.uses["03-enterprises", "en"] if u.year == year]
                       if v is not None and v >= 100 and text.project.dataset.indicators[i].unit == "count"][:1]
    small = next(i for i, ind in sorted(text.project.dataset.indicators.items()) if ind.unit in ("count", "rank")
                 and ind.value(year) in range(1, 100))
    planted = Text.__new__(Text)
    planted.expressions = [*text.expressions, f"{small}.ordinal"]
    planted.project, planted.uses, ordinal = text.project, text.uses, len(text.expressions)
    planted.texts = {key: list(texts) for key, texts in text.texts.items()}
    planted.texts["03-enterprises", "en"].append(
        f"In {year - 1} there were {value} of them, and China ranks second; it is "
        f"{OPEN}nowhere{INDEX}{ordinal}{CLOSE}, with {OPEN}12,345{INDEX}{text.expressions.index(ident)}{CLOSE} "
        "firms.")
    assert any(f"{value} typed, {ident}'s" in p for p in stale_values(planted, year))
    assert any('typed rank "ranks second"' in p for p in stale_values(planted, year))
    assert any(f"{year - 1} typed" in p for p in stale_years(planted, year))
    assert any("printed 'nowhere'" in p for p in wrong_words(planted, year)[1])
    assert any("only zh prints [], only en [Decimal('1.23E+4')]" in p for p in language_differences(planted)), \
        language_differences(planted)
