"""A chapter's zh.md and en.md as pairs of blocks: `report check` names where the two
texts stop corresponding, with file:line on both sides, the first divergence only."""
import pytest
from click.testing import CliRunner

from builder.analysis.pairs import align, read_blocks
from builder.cli import main
from tests.projects import copy_root, edit as edit_file

ZH = "content/chapters/01-alpha/zh.md"
EN = "content/chapters/01-alpha/en.md"
ALPHA = "content/chapters/01-alpha"


@pytest.fixture
def project(tmp_path):
    """A copy of the mini root (not make_project: these tests need no session build)."""
    return copy_root("mini", tmp_path / "p")


def edit(project, rel, old, new):
    edit_file(project / rel, old, new, 1)


def check(project, command="translations"):
    """`report translations` reports the pairs as `report check` does, without reading data."""
    result = CliRunner().invoke(main, [command, "--project", str(project)])
    assert "Traceback" not in result.output
    return result


def pair_lines(result) -> list[str]:
    """The check's lines about pairs (not compare_languages' coarse ones)."""
    return [line for line in result.output.splitlines()
            if (f"{ALPHA}/zh.md:" in line or f"{ALPHA}/en.md:" in line) and "placeholders in" not in line
            and "translation" not in line]


def test_blocks_have_kinds_and_lines():
    text = ("# T\n\nA {{ a }} b^[n].\n\n- one\n- two {{ b.prev }}\n\n> said\n\n"
            "```{figure} f1\n```\n\n## S {{ c }}\n")
    blocks = read_blocks(text)
    assert [(b.kind, b.start, b.end) for b in blocks] == [
        ("heading", 1, 1), ("paragraph", 3, 3), ("item", 5, 5), ("item", 6, 6), ("quote", 8, 8),
        ("fence", 10, 11), ("heading", 13, 13)]
    assert blocks[1].names == {"a"} and blocks[1].notes == 1
    assert blocks[3].names == {"b"} and blocks[5].fence == "figure f1" and blocks[6].level == 2


def test_names_leave_out_macros_loop_variables_and_globals():
    text = ("# T{% macro lc(t) %}{{ t|lower }}{% endmacro %}\n\n"
            "{% for m in g.sorted %}{{ lc(m.label) }}{% endfor %} {{ each(a, b, unit=\"x\") }} {{ fixed(\"y\") }}\n\n"
            "{% if x.rose %}\n\nup {{ y }}\n\n{% endif %}\n")
    blocks = read_blocks(text)
    assert [set(b.names) for b in blocks] == [set(), {"g", "a", "b"}, {"x"}, {"y"}, set()]


def test_the_mini_root_corresponds(project):
    result = check(project, "check")
    assert result.exit_code == 0 and pair_lines(result) == [], result.output
    edit(project, EN, "{{ share_sh }}", "{{ funding }}")
    edit(project, ZH, "北京占", "新增一段。\n\n北京占")
    result = check(project, "check")
    assert f"error: {ZH}:14: placeholders differ from en.md:12: zh only: share_sh; en only: funding" in result.output
    assert f"warning: {ZH}:12: paragraph in zh.md only; its partner would be between en.md:10 and en.md:12" \
        in result.output


def test_a_paragraph_missing_in_en_is_one_warning_naming_both_sides(project):
    edit(project, ZH, "北京占", "新增一段。\n\n北京占")
    result = check(project)
    assert pair_lines(result) == [f"warning: {ZH}:12: paragraph in zh.md only; its partner would be "
                                  "between en.md:10 and en.md:12"], result.output


def test_a_paragraph_missing_at_the_end(project):
    (project / EN).write_text((project / EN).read_text(encoding="utf-8") + "\nOne more.\n", encoding="utf-8")
    assert pair_lines(check(project)) == [
        f"warning: {EN}:17: paragraph in en.md only; its partner would be after zh.md:14, at the end"]


def test_a_missing_section_is_one_warning(project):
    edit(project, EN, "## Regions\n\nBeijing has {{ share_bj }} and Shanghai {{ share_sh }}.\n\n", "")
    assert pair_lines(check(project)) == [
        f"warning: {ZH}:10: 2 blocks from this heading (##) on in zh.md only; its partner would be "
        "between en.md:7 and en.md:10"]


def test_a_heading_level_differs(project):
    edit(project, EN, "## Regions", "### Regions")
    result = check(project)
    assert pair_lines(result) == [f"error: {ZH}:10: heading level differs: ## here, ### at en.md:10"]


def test_a_placeholder_differs(project):
    edit(project, EN, "{{ share_sh }}", "{{ funding }}")
    assert pair_lines(check(project)) == [
        f"error: {ZH}:12: placeholders differ from en.md:12: zh only: share_sh; en only: funding"]


def test_a_footnote_missing(project):
    edit(project, EN, "^[Enterprises are selected on three criteria.]", "")
    assert pair_lines(check(project)) == [f"error: {ZH}:5: 1 footnote(s) here, 0 at en.md:5"]


def test_texts_that_stop_corresponding_are_one_line(project):
    edit(project, EN, "## Regions\n\nBeijing has", "- Beijing has")
    edit(project, EN, "```{table} regions\n```\n", "- a\n- b\n- c\n- d\n")
    assert pair_lines(check(project)) == [
        f"warning: {ZH}:10: the texts stop corresponding here: heading (##) in zh.md, list item at en.md:10; "
        "the rest of the chapter is not compared"]


def test_the_first_divergence_only_after_a_shift():
    """A paragraph missing before a run of paragraphs with placeholders: one message, not
    one per shifted pair."""
    zh = read_blocks("# 标题\n\n多出的一段。\n\n甲 {{ a }}。\n\n乙 {{ b }}。\n\n丙 {{ c }}。\n")
    en = read_blocks("# Title\n\nA {{ a }}.\n\nB {{ b }}.\n\nC {{ c }}.\n")
    result = align(zh, en, "x")
    assert result.problems == [] and len(result.pairs) == 4
    assert result.gaps == ["content/chapters/x/zh.md:3: paragraph in zh.md only; its partner would be "
                           "between en.md:1 and en.md:3"]


def test_a_placeholder_differing_in_a_long_run_is_not_a_gap():
    zh = read_blocks("# 标题\n\n甲 {{ a }}。\n\n" + "乙。\n\n" * 8 + "## 节\n")
    en = read_blocks("# Title\n\nA {{ b }}.\n\n" + "B.\n\n" * 8 + "## Section\n")
    result = align(zh, en, "x")
    assert result.gaps == [] and len(result.pairs) == 11
    assert result.problems == ["content/chapters/x/zh.md:3: placeholders differ from en.md:3: zh only: a; en only: b"]
