"""`report check` finds what the prose types instead of binding to data: years, numbers
glued to Chinese, thousands separators, ranks and data-dependent words, in both
languages and in figure titles, each as `file:line`; `{{ fixed("…") }}` and
placeholders are quiet; `--strict` makes the warnings errors."""
from decimal import Decimal

import pytest
from click.testing import CliRunner

from builder.analysis.typed import scan_line
from builder.cli import main
from builder.readers.templates import ENVIRONMENT

ZH = "content/chapters/01-alpha/zh.md"
EN = "content/chapters/01-alpha/en.md"
KNOWN = {(False, Decimal(1011)): "dl_ai_firms", (False, Decimal(109)): "universities",
         (True, Decimal("42.5")): "share_bj"}


@pytest.fixture
def project(make_project):
    """A new copy of the mini root (conftest), nothing cached."""
    return make_project("mini")


def check(project, *extra):
    result = CliRunner().invoke(main, ["check", "--project", str(project), *extra])
    assert "Traceback" not in result.output
    return result


def append(project, rel, text):
    path = project / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [text]) + "\n", encoding="utf-8")
    return len(lines) + 1


def snapshot(project):
    return {p: p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def flagged(text, lang):
    return scan_line(text, lang, 2019, KNOWN)


# --- through the command line --------------------------------------------------------

def test_typed_figures_in_both_languages_named_by_file_and_line(project):
    zh = append(project, ZH, "截至2019年底，共有企业达1011家，另有 1,011 家。")
    en = append(project, EN, "By 2018 there were 1,011 firms, ranking fifth, more than half of them new.")
    before = snapshot(project)
    result = check(project)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert f"warning: {ZH}:{zh}: 2019 is typed in the text; it is the data year: use {{{{ year }}}}" in \
        "\n".join(warnings)
    assert f"warning: {ZH}:{zh}: 1011 is typed in the text, glued to Chinese (达1011家); data has it as " \
           "dl_ai_firms" not in "\n".join(warnings)   # mini has no such indicator:
    assert f"warning: {ZH}:{zh}: 1011 is typed in the text, glued to Chinese (达1011家); no indicator" in \
        "\n".join(warnings)
    assert f"warning: {ZH}:{zh}: 1,011 is typed in the text with a thousands separator" in "\n".join(warnings)
    assert f"warning: {EN}:{en}: 2018 is typed in the text; it is the year before: use {{{{ prev_year }}}}" in \
        "\n".join(warnings)
    assert f"warning: {EN}:{en}: 1,011 is typed in the text with a thousands separator" in "\n".join(warnings)
    assert f'warning: {EN}:{en}: typed rank "ranking fifth"' in "\n".join(warnings)
    assert f'warning: {EN}:{en}: typed share "more than half of"' in "\n".join(warnings)
    assert snapshot(project) == before   # check changes nothing


def test_a_number_data_holds_names_its_indicator(project):
    line = append(project, ZH, "高校达109所。")
    result = check(project)
    assert f"warning: {ZH}:{line}: 109 is typed in the text, glued to Chinese (达109所); data has it " \
           "as universities: use {{ universities }}" in result.output


def test_fixed_facts_and_placeholders_are_quiet(project):
    """(Text inside a figure fence is an error now: test_hostile.)"""
    append(project, ZH, '{{ fixed("2019 年 6 月") }}，工业和信息化部发放 5G 商用牌照，{{ fixed("居第二") }}。')
    append(project, EN, 'In {{ fixed("June 2019") }} the ministry issued 5G licences, {{ fixed("ranking fifth") }}.')
    CliRunner().invoke(main, ["translations", "--confirm", "--project", str(project)])   # new pairs warn
    result = check(project)
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output, result.output
    assert "OK: no errors, 0 warning(s)" in result.output


def test_fixed_prints_its_text_unchanged():
    assert ENVIRONMENT.from_string('{{ fixed("2019 年 6 月") }}，发放').render() == "2019 年 6 月，发放"
    assert ENVIRONMENT.from_string('In {{ fixed("June 2019") }} the').render() == "In June 2019 the"


def test_fixed_in_one_language_only_is_not_a_placeholder_mismatch(project):
    append(project, ZH, '{{ fixed("2019 年 6 月") }}，工业和信息化部发放商用牌照。')
    append(project, EN, "Then the ministry issued licences.")
    result = check(project)
    assert result.exit_code == 0, result.output


def test_figure_titles_are_prose(project):
    path = project / "content/chapters/01-alpha/figures.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title = {zh = "企业数量", en = "Number of enterprises"}',
        'title = {zh = "2019 年企业数量稳步增长", en = "Enterprises in {{ year }}: the top five regions"}'),
        encoding="utf-8")
    result = check(project)
    rel = "content/chapters/01-alpha/figures.toml"
    assert f"warning: {rel}:4: figure firms_years title (zh): 2019 is typed in the text" in result.output
    assert f'warning: {rel}:4: figure firms_years title (zh): typed trend "稳步增长"' in result.output
    assert f'warning: {rel}:4: figure firms_years title (en): typed rank "top five"' in result.output
    assert "title (en): 2019" not in result.output   # {{ year }} is bound


def test_strict_makes_every_warning_an_error(project):
    line = append(project, EN, "Beijing ranks first.")
    append(project, ZH, "北京。")   # its partner, confirmed: the rank is the one warning
    CliRunner().invoke(main, ["translations", "--confirm", "--project", str(project)])
    assert check(project).exit_code == 0
    result = check(project, "--strict")
    assert result.exit_code == 1
    assert f'error: {EN}:{line}: typed rank "ranks first"' in result.output
    assert "1 error(s), 0 warning(s)" in result.output


def test_strict_passes_a_clean_report(project):
    result = check(project, "--strict")
    assert result.exit_code == 0, result.output


# --- the rules, example by example ---------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("北京位居第二。", "居第二"),
    ("中国稳居世界第二。", "世界第二"),
    ("排名第一与第四的差距", "排名第一与第四"),
    ("江苏排在第三位", "第三位"),
    ("获得第五名", "第五名"),
    ("在新设联盟中却退居第二", "退居第二"),
    ("北京居首，上海次之", "居首"),
    ("超过一半的企业", "超过一半"),
    ("不到四分之一", "四分之一"),
    ("接近四成的联盟", "接近四成"),
    ("约占三成", "约占三成"),
    ("融资额翻了一番", "翻了一番"),
    ("会议数量稳步增长", "稳步增长"),
    ("规模逐年扩大", "逐年"),
    ("数量数倍于输入关系", "数倍"),
    ("清华大学发文最多", "最多"),
    ("国际论文发表数排名前五的中国高校", "排名前五的"),
    ("发明专利数前十的机构", "前十的"),
    ("{{ g.top.label }}以 {{ g.top }} 所居首，江苏位居第二。", "居第二"),
])
def test_chinese_claims_flagged(text, found):
    assert any(f'"{found}"' in m for m in flagged(text, "zh")), flagged(text, "zh")


@pytest.mark.parametrize("text", [
    "见第一章第二节。",
    "作为第四次工业革命的引擎。",
    "第一，技术封锁；第二，基础研究。",
    "公安部第一研究所。",
    "第一类是人才关系。",
    "机器翻译接近人类的平均水平。",
    "中国约占 {{ firms_cn_share_world }}。",
    "领先企业把能力输出给传统行业。",
    "专利集中在存储和智能合约两个方向。",
    "共有企业 {{ firms }} 家，位居{{ rank }}。",
    "发放 5G 商用牌照。",
    "截至 {{ year }} 年底。",
    "与前两年相比。",
    "{{ univ_regions.top.label }}以 {{ univ_regions.top }} 所居首。",
    "中国位居世界{{ dl_ai_firms_rank.ordinal }}。",
    "{% if g.top_is_unique %}{{ g.top.label }}的企业最多{% endif %}。",
])
def test_chinese_structure_not_flagged(text):
    assert flagged(text, "zh") == []


@pytest.mark.parametrize("text, found", [
    ("China ranks second behind the US.", "ranks second"),
    ("ZTE, ranking fifth.", "ranking fifth"),
    ("It is in fifth place.", "fifth place"),
    ("second only to the United States", "second only to"),
    ("comes only second here", "comes only second"),
    ("ZTE seventh with {{ cert_zte }}.", "seventh with {{…}}"),
    ("Beijing leads with {{ univ_beijing }}.", "leads with"),
    ("more than half of the national total", "more than half of"),
    ("close to two in five alliances", "close to two in five"),
    ("fewer than a quarter have raised", "a quarter"),
    ("a several-fold expansion", "several-fold"),
    ("Funding doubled.", "doubled"),
    ("The steady growth shows", "steady"),
    ("Conferences grew every year.", "grew every year"),
    ("nearly 800 firms", "nearly 800"),
    ("the highest of any year", "the highest"),
    ("{{ g.top.label }} leads with {{ g.top }}, and Jiangsu ranks second.", "ranks second"),
])
def test_english_claims_flagged(text, found):
    assert any(f'"{found}"' in m for m in flagged(text, "en")), flagged(text, "en")


@pytest.mark.parametrize("text", [
    "First, the blockade breaks the cycle. Second, basic research.",
    "Baidu became the first company to set up a deep-learning institute.",
    "for the first time; first-line cities; the first half of 2015",
    "CNNIC's 45th Statistical Report on China's Internet Development",
    "the First Research Institute of the Ministry of Public Security",
    "AI firms need to be close to talent and capital.",
    "The leaders are close to one another.",
    "about {{ firms_cn_share_world }} of the world total",
    "a third-party platform",
    "In {{ year }} there were {{ firms }} 5G base stations.",
    "Leading firms pass algorithms on.",
    "{{ univ_regions.top.label }} leads with {{ univ_regions.top }}.",
    "China ranks {{ dl_ai_firms_rank.ordinal }}.",
])
def test_english_structure_not_flagged(text):
    assert flagged(text, "en") == []


@pytest.mark.parametrize("text, lang", [
    ("北京占 42.5%。", "zh"), ("Beijing has 42.5%.", "en"),
])
def test_a_typed_value_of_data_names_the_indicator(text, lang):
    assert flagged(text, lang) == ["42.5 is typed in the text; data has it as share_bj: use {{ share_bj }}"]


@pytest.mark.parametrize("text", ["不足 1 亿元的企业", "超过 10 亿元", "raised over 10 billion yuan",
                                  "2010—2017 年间", "in 2012-2016", "December 31, 2015"])
def test_thresholds_and_other_years_are_not_data(text):
    assert flagged(text, "zh" if any(ord(c) > 0x3000 for c in text) else "en") == []
