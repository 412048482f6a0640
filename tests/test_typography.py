"""Typography per language (builder/transforms/typography.py): the rules on made-up text,
as a new year's numbers would give it, then every text of the real report's editions as
the writers get them, and its Data sources chapter."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from builder.model import Figure, Heading, Paragraph, Ref, Run, Table
from builder.numbers import scaled_en
from builder.transforms.typography import typeset, typeset_runs
from tests.reading import context, read_edition

HAN = "\u3400-\u4dbf\u4e00-\u9fff"


@pytest.mark.parametrize("text, lang, printed", [
    ("China's \"pole and core\" structure", "en", "China\u2019s \u201cpole and core\u201d structure"),
    ("the firms' shares ('core' firms)", "en", "the firms\u2019 shares (\u2018core\u2019 firms)"),
    ("founded in 2012-2016, 5-10 of them", "en", "founded in 2012\u20132016, 5\u201310 of them"),
    ("see Figure 1-3", "en", "see Figure 1-3"),
    ("less than 0.1 billion yuan", "en", "less than 100 million yuan"),
    ("0.1-1 billion yuan", "en", "100 million\u20131 billion yuan"),
    ("1,529.81 billion yuan", "en", "1.53 trillion yuan"),
    ("2,450 million people", "en", "2.45 billion people"),
    ("COVID-19 and X-MAN 3.0", "en", "COVID-19 and X-MAN 3.0"),
    ("建成 5G 基站超过 13 万 个", "zh", "建成 5G 基站超过 13 万个"),
    ("居全球第 1 位，第 3 名", "zh", "居全球第一位，第三名"),
    ("第 45 次《报告》，第 12 位", "zh", "第 45 次《报告》，第 12 位"),
    ("达1011家，占14.80%的企业（ 21% ）", "zh", "达 1011 家，占 14.80% 的企业（21%）"),
    ("阿里巴巴\"AI 谣言粉碎机\"准确率", "zh", "阿里巴巴\u201cAI 谣言粉碎机\u201d准确率"),
    ("2019-2020 年", "zh", "2019\u20142020 年"),
])
def test_rules(text, lang, printed):
    assert typeset(text, lang) == printed
    assert typeset(printed, lang) == printed   # applied again, nothing changes


@pytest.mark.parametrize("value, printed", [
    ("1529806000000", "1.53 trillion"), ("18621000000", "18.62 billion"), ("100000000", "100 million"),
    ("904000000", "904 million"), ("950000", "950,000"), ("2025000000", "2.03 billion")])
def test_amounts_in_the_scale_a_reader_expects(value, printed):
    assert scaled_en(Decimal(value)) == printed


def test_runs_keep_their_own_text_and_cross_references_theirs():
    runs = [Run("企业数见"), Run("图 1-1", ref=Ref("x", "f", 1)), Run("，共有"), Run("1011", bold=True), Run("家")]
    typeset_runs(runs, "zh")
    assert [r.text for r in runs] == ["企业数见", "图 1-1", "，共有 ", "1011 ", "家"]
    runs = [Run('He said "'), Run("yes", bold=True), Run('" to the 2012-2016 plan.')]
    typeset_runs(runs, "en")
    assert "".join(r.text for r in runs) == "He said \u201cyes\u201d to the 2012\u20132016 plan."


@pytest.fixture(scope="module")
def editions(default_report, tmp_path_factory):
    ctx = context(default_report.project, tmp_path_factory.mktemp("cache"))
    return {e: read_edition(default_report.project, e, ctx=ctx) for e in ("zh", "en", "bilingual")}


def texts(report, prose_only: bool = False):
    """(lang, text) of every text of an edition the writers print, cross-references apart;
    `prose_only`: not the cells of tables."""
    for cover in report.covers:
        yield from ((cover.lang, t) for t in (cover.title, cover.subtitle, cover.date, cover.institute))
    for chapter in report.front + report.chapters:
        yield chapter.lang, chapter.heading.text
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                runs = block.runs + [r for n in block.footnotes for r in n.runs]
                yield block.lang, "".join("\u2060" if r.ref or r.footnote else r.text for r in runs)
            elif isinstance(block, Heading):
                yield block.lang, block.text
            elif isinstance(block, Figure):
                yield from ((block.lang, t) for t in (block.caption, block.note, block.source))
            elif isinstance(block, Table):
                cells = [] if prose_only else [*block.header, *(c for row in block.rows for c in row)]
                yield from ((block.lang, t) for t in [block.caption, block.source, *cells])


def test_english_typography_of_the_real_report(editions):
    for edition in ("en", "bilingual"):
        for lang, text in texts(editions[edition]):
            if lang != "en":
                continue
            assert not re.search("['\"]", text), f"straight quote in {text!r}"
            assert not re.search(r"(?<![\w.-])(19|20)\d\d-(19|20)?\d\d\b", text), f"hyphen in a range: {text!r}"
            for number, scale in re.findall(r"(\d[\d,]*(?:\.\d+)?) (billion|million|trillion)", text):
                value = Decimal(number.replace(",", ""))
                assert 1 <= value < 1000 or scale == "trillion", f"{number} {scale} in {text!r}"
    for lang, text in texts(editions["en"], prose_only=True):
        # (a term such as "5G" is a word, not a numeral)
        assert not re.search(r"(^|[.!?]\s+)\d[\d,.]*%?(?!\w)", text), f"a sentence starts with a numeral: {text!r}"


def test_chinese_typography_of_the_real_report(editions):
    for edition in ("zh", "bilingual"):
        for lang, text in texts(editions[edition]):
            if lang != "zh":
                continue
            assert not re.search(f"[{HAN}，。、；：）]\\s+[{HAN}（，。、；：]", text), f"a stray space: {text!r}"
            assert not re.search(f"[{HAN}][A-Za-z0-9]|[A-Za-z0-9%][{HAN}]", text), f"no space: {text!r}"
            assert not re.search(r"第\s*([1-9]|10)\s*[位名]", text), f"a small rank in digits: {text!r}"


def test_data_sources_list_full_references(editions):
    for edition in ("zh", "en"):
        report = editions[edition]
        sources = next(c for c in report.chapters if c.id == "sources")
        entries = ["".join(r.text for r in p.runs) for p in sources.blocks]
        assert len(entries) >= 5
        with_year = [e for e in entries if re.search(r"(19|20)\d\d", e)]
        assert len(with_year) >= len(entries) - 2, entries
        assert any("http" in e for e in entries)
        if edition == "en":
            assert all(any(r.italic for r in p.runs) for p in sources.blocks), "titles in italics"
            assert any("Statistical Report on China\u2019s Internet Development" in e for e in entries)
        else:
            assert any("中国互联网络信息中心（CNNIC）：第 45 次《中国互联网络发展状况统计报告》，2020 年。" in e for e in entries)
