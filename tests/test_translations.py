"""`report translations`: pairs whose one side changed since they were confirmed, with
file:line and a short diff; `--confirm` writes each chapter's translations.toml, the
same bytes when nothing changed; `report check` warns, one line per chapter."""
import pytest
from click.testing import CliRunner

from builder.analysis.translations import normalize, short_diff
from builder.cli import main
from tests.projects import copy_root, edit as edit_file

ALPHA = "content/chapters/01-alpha"
ZH, EN, FILE = f"{ALPHA}/zh.md", f"{ALPHA}/en.md", f"{ALPHA}/translations.toml"


@pytest.fixture
def project(tmp_path):
    """A copy of the mini root, whose pairs are confirmed (its translations.toml files); not
    make_project: these tests need no session build."""
    return copy_root("mini", tmp_path / "p")


def run(project, *args):
    result = CliRunner().invoke(main, ["translations", "--project", str(project), *args])
    assert "Traceback" not in result.output
    return result


def edit(project, rel, old, new):
    edit_file(project / rel, old, new, 1)


def test_the_mini_root_is_confirmed(project):
    result = run(project)
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"{ALPHA}: all 7 pair(s) confirmed", "content/chapters/02-beta: all 4 pair(s) "
                                          "confirmed", "content/chapters/03-end: all 2 pair(s) confirmed"]


def test_an_edit_on_one_side_is_listed_with_a_diff(project):
    edit(project, EN, "Beijing has", "Beijing holds")
    lines = run(project).output.splitlines()
    assert lines[:3] == [f"{ALPHA}: 1 of 7 pair(s) to confirm",
                         f"  {EN}:12 (zh.md:12): en.md changed since confirmed",
                         "      Beijing [-has-]{+holds+} {{share_bj}} and…"]
    edit(project, ZH, "## 地区", "## 区域")
    assert f"  {ZH}:10 (en.md:10): zh.md changed since confirmed" in run(project).output


def test_check_warns_once_per_chapter_and_strict_fails(project):
    edit(project, EN, "Beijing has", "Beijing holds")
    edit(project, EN, "## Regions", "## Areas")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if "translation" in line] == [
        f"warning: {EN}:10 (zh.md:10): 2 translation pair(s) new or changed since confirmed, the first here: "
        "see `report translations`"]
    result = CliRunner().invoke(main, ["check", "--project", str(project), "--strict"])
    assert result.exit_code == 1 and f"error: {EN}:10 (zh.md:10): 2 translation pair(s)" in result.output


def test_confirm_then_clean_and_the_file_is_stable(project):
    before = (project / FILE).read_bytes()
    result = run(project, "--confirm")
    assert result.exit_code == 0 and f"{ALPHA}: 7 pair(s) confirmed (unchanged)" in result.output
    assert (project / FILE).read_bytes() == before
    lines = before.decode().splitlines()
    assert len([line for line in lines if line.startswith("  {zh = ")]) == 7   # one line per pair
    edit(project, EN, "Beijing has", "Beijing holds")
    result = run(project, "--confirm", "alpha")
    assert f"{ALPHA}: 7 pair(s) confirmed\n" in result.output and "02-beta" not in result.output
    after = (project / FILE).read_text(encoding="utf-8").splitlines()
    assert [i for i, (a, b) in enumerate(zip(lines, after)) if a != b] == [8]   # that pair's line only
    assert run(project).output.splitlines()[0] == f"{ALPHA}: all 7 pair(s) confirmed"


def test_whitespace_only_edits_do_not_count(project):
    edit(project, ZH, "北京占 {{ share_bj }}，上海占", "北京占{{share_bj}}，\n上海 占")
    edit(project, EN, "Beijing has {{ share_bj }} and", "Beijing  has\n{{ share_bj }}   and")
    assert run(project).output.splitlines()[0] == f"{ALPHA}: all 7 pair(s) confirmed"
    assert normalize("共有 企业\u3000{{ firms }} 家。 ") == "共有企业{{firms}}家。"
    assert normalize(" deep   learning\n5G  ") == "deep learning 5G"


def test_a_chapter_without_a_file_is_unconfirmed(project):
    (project / FILE).unlink()
    assert run(project).output.splitlines()[0] == (f"{ALPHA}: not confirmed yet (7 pair(s)): "
                                                   "run `report translations --confirm 01-alpha`")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert (f"warning: {ZH}:1: translations not confirmed yet (7 pair(s)): check them, then run "
            "`report translations --confirm 01-alpha`") in result.output


def test_confirm_refuses_texts_that_do_not_correspond(project):
    before = (project / FILE).read_bytes()
    edit(project, EN, "Beijing has", "New.\n\nBeijing has")
    result = run(project, "--confirm")
    assert result.exit_code == 1
    assert f"error: {EN}:12: paragraph in en.md only; its partner would be between zh.md:10 and zh.md:12" \
        in result.output
    assert (project / FILE).read_bytes() == before


def test_bad_file_and_unknown_chapter_are_one_line(project):
    (project / FILE).write_text("pairs = [1]\n", encoding="utf-8")
    result = run(project)
    assert result.exit_code == 1 and result.output.startswith(
        f"error: {FILE}: not as `report translations --confirm` writes it: run it again")
    result = run(project, "--confirm", "9")
    assert result.exit_code == 1 and "error: content/report.toml: no chapter '9'" in result.output


def test_short_diff_is_a_few_lines():
    old = " ".join(f"word{i}" for i in range(200))
    new = old.replace("word10 ", "w10 ").replace("word100 ", "").replace("word150", "word150 more")
    lines = short_diff(old, new)
    assert lines == ["…word6 word7 word8 word9 [-word10-]{+w10+} word11 word12 word13 word14…",
                     "…word96 word97 word98 word99 [-word100 -]word101 word102 word103 word104…",
                     "…word147 word148 word149 word150 {+more +}word151 word152 word153 word154…"]
    assert short_diff("共有企业。", "共有公司。") == ["共有[-企业-]{+公司+}。"]
