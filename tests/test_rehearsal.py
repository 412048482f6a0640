"""`report data diff` flags, [[ratio]] rules of data/checks.toml, and `report data rehearse`:
made-up data that keep the rules, and draft editions stamped on every page."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.readers.rules import broken

from builder.analysis.rehearse import rehearse
from builder.cache import Cache
from builder.cli import main
from builder.readers.project import load_project
from builder.words import DRAFT
from tests.projects import REPO, copy_root

CSV = "data/indicators/main.csv"
RATIO = '[[ratio]]\nshare = "share_sh"\npart = "universities"\nwhole = "firms"\n'


@pytest.fixture
def mini(make_project):
    return make_project("mini")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def edit(path: Path, *pairs: str):
    text = path.read_text(encoding="utf-8")
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def rows(output: str) -> dict[str, str]:
    return {line.split()[0]: line for line in output.splitlines()[1:-1] if line.strip()}


# ---- diff -------------------------------------------------------------------------------

def test_diff_flags_what_breaks_prose_and_where_it_is_printed(mini):
    # share_sh is universities / firms (its notes say so): 14.3 in 2018, not updated in 2019.
    edit(mini / CSV, "firms,2019,797,", "firms,2019,650,",                     # 600, 700, 650: reverses
         "universities,2019,109,", "universities,2019,100,",                    # same as 2018
         "share_sh,2018,20.0,percent,上海,Shanghai,test,", "share_sh,2018,14.3,percent,上海,Shanghai,test,100 / 700",
         "share_other,2018,40.0,", "share_other,2018,45.7,",
         "share_bj,2018,40.0,", "share_bj,2018,40.00,")                         # 40.00 -> 42.5
    result = run("data", "diff", 2018, 2019, "--project", mini)
    assert result.exit_code == 0, result.output
    found = rows(result.output)
    assert "trend reverses: +16.7% into 2018, -7.1% into 2019" in found["firms"]
    assert "same as 2018" in found["universities"]
    assert "fewer decimals: 40.00 -> 42.5" in found["share_bj"]
    assert "+2.50 pp" in found["share_bj"]                                       # points, not percent
    assert found["funding"].rstrip().endswith("yi_yuan")   # 12000.5 -> 15298.06: more decimals, not flagged
    assert ("derived: share_sh is 15.3 in 2019, but universities / firms is 15.38% (per its notes, 100 / 700; "
            'declare it in data/checks.toml: [[ratio]] share = "share_sh", part = "universities", '
            'whole = "firms")') in found["share_sh"]
    assert "firms: content/chapters/01-alpha/en.md:5, content/chapters/01-alpha/figures.toml:2 (figure " \
           "firms_years)" in result.output
    assert "derived" not in found["firms"] and "derived" not in found["universities"]   # the share is flagged
    assert result.output.splitlines()[-1] == "7 indicator(s), 4 flagged"


def test_diff_flags_a_broken_ratio_rule(mini):
    edit(mini / CSV, "share_sh,2018,20.0,", "share_sh,2018,14.3,", "share_other,2018,40.0,", "share_other,2018,45.7,")
    (mini / "data/checks.toml").write_text(RATIO, encoding="utf-8")
    result = run("data", "diff", 2018, 2019, "--project", mini)
    assert "share_sh is 15.3 in 2019, but universities / firms is 13.68% ± 0.05" in rows(result.output)["share_sh"]
    check = run("check", "--project", mini)
    assert check.exit_code == 1
    assert ("error: data/indicators/main.csv:10: column value: share_sh is 15.3 in 2019, but universities / firms "
            "is 13.68% ± 0.05 (ratio at data/checks.toml:1)") in check.output.splitlines(), check.output


@pytest.mark.parametrize("rule, expected", [
    ('[[ratio]]\nshare = "firms"\npart = "universities"\nwhole = "firms"\n',
     "share firms has unit count: a ratio's share is a percent"),
    ('[[ratio]]\nshare = "share_sh"\npart = "funding"\nwhole = "firms"\n',
     "part and whole have units yi_yuan and count: they need one unit, not date"),
    ('[[ratio]]\nshare = "share_sh"\npart = "universities"\n', "needs share, part and whole"),
    ('[[ratio]]\nshare = "share_sh"\npart = "nope"\nwhole = "firms"\n', "unknown indicator 'nope'"),
    ('[[ratio]]\nshare = "share_sh"\npart = "firms"\nwhole = "firms"\ntolerance = -1\n',
     "tolerance must be a number >= 0"),
    ('[[ratios]]\n', "unknown section 'ratios' (use [[breakdown]], [[sum]] or [[ratio]])"),
])
def test_ratio_rules_are_checked(mini, rule, expected):
    (mini / "data/checks.toml").write_text(rule, encoding="utf-8")
    result = run("check", "--project", mini)
    assert result.exit_code == 1 and expected in result.output, result.output


# ---- made-up data -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The default report rehearsed twice with one seed, once with another."""
    src = copy_root("default", tmp_path_factory.mktemp("report") / "p")
    cache = Cache(tmp_path_factory.mktemp("cache"))
    project = load_project(src, cache)
    year = max(project.dataset.edition_of) + 1
    done = [rehearse(project, cache, year, seed, src / "output" / f"r{i}") for i, seed in enumerate((7, 7, 8))]
    return project, done, [load_project(r.root, cache) for r in done]


def data_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "data").rglob("*.csv"))}


def test_made_up_data_are_reproducible_and_every_value_moves(made):
    project, (a, b, c), (rehearsed, _, _) = made
    assert data_files(a.root) == data_files(b.root) != data_files(c.root)
    assert data_files(project.root) == {k: v for k, v in data_files(REPO).items()}   # copied, untouched
    year, old = a.year, a.base
    moved = {i: (ind.value(old), ind.value(year)) for i, ind in rehearsed.dataset.indicators.items()
             if year in ind.rows and ind.value(old) is not None}
    assert a.moved == len(moved) and a.up and a.down
    assert all(new != before for before, new in moved.values())
    for ident, (before, new) in moved.items():
        unit = rehearsed.dataset.indicators[ident].unit
        assert new.as_tuple().exponent == before.as_tuple().exponent or unit == "date", ident   # decimals kept
        if unit in ("count", "yi_yuan", "wan", "wanyi_yuan", "yi_people") and before > 20:
            assert Decimal("0.69") < new / before < Decimal("1.31"), ident


def test_made_up_data_keep_the_rules_ranks_and_dates(made):
    _, (a, _, _), (rehearsed, _, _) = made
    dataset, year = rehearsed.dataset, a.year
    for rule in rehearsed.rules:
        if rule.kind == "ratio":   # a share recomputed from its parts, to its printed precision
            assert broken(rule, dataset, year) is None, rule
            continue
        values = [dataset.indicators[p].value(year) for p in rule.parts]
        total = dataset.indicators[rule.total].value(year) if rule.kind == "sum" else rule.total
        assert sum(values) == total, rule   # exactly, not within the tolerance
    ranks = {i: (ind.value(year - 1), ind.value(year)) for i, ind in dataset.indicators.items()
             if ind.unit == "rank" and year in ind.rows}
    assert ranks and all(new >= 1 and 1 <= abs(new - old) <= 2 for old, new in ranks.values())
    dates = [(ind.value(year - 1), ind.value(year)) for ind in dataset.indicators.values()
             if ind.unit == "date" and year in ind.rows]
    assert dates and all(new - old == (10000 if old > 10**7 else 100) for old, new in dates)
    share = dataset.indicators["firms_cn_share_world"].value(year)   # derived per its notes: recomputed
    firms = [dataset.indicators[i].value(year) for i in ("firms_cn", "firms_world")]
    assert share == (firms[0] * 100 / firms[1]).quantize(Decimal("0.01"))
    assert dataset.published[year] == "2021-06-24" and dataset.edition_of[year] == 2021
    assert all(ind.fixed is None or year not in ind.rows for ind in dataset.indicators.values())


def test_rehearsal_refuses_a_year_that_is_not_next(made):
    project, _, _ = made
    result = run("data", "rehearse", 2030, "--project", project.root)
    assert result.exit_code == 1 and "2030 is not the next data year" in result.output


def test_rehearsal_keeps_to_its_own_work_folder(mini):
    (mini / "output" / "rehearsal-2020").mkdir(parents=True)
    (mini / "output" / "rehearsal-2020" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("data", "rehearse", 2020, "--project", mini)
    assert result.exit_code == 1 and "not a rehearsal's work folder (it holds notes.txt)" in result.output
    assert (mini / "output" / "rehearsal-2020" / "notes.txt").exists()
    result = run("data", "rehearse", 2020, "--project", mini, "-o", mini / "data")
    assert result.exit_code == 1 and "needs a work folder of its own" in result.output


# ---- draft editions ---------------------------------------------------------------------

def test_rehearse_builds_draft_editions_stamped_on_every_page(make_project):
    mini = make_project("mini")   # the session build's charts and fonts
    before = data_files(mini)
    result = run("data", "rehearse", 2020, "--project", mini, "-e", "en", "-e", "zh", "-f", "pdf", "-f", "docx",
                 "-j", 1)
    assert result.exit_code == 0, result.output
    assert re.search(r"Made up 6 value\(s\) for 2020 from 2019 \(seed 2020\): \d+ up, \d+ down", result.output)
    assert "report data diff 2019 2020 of the rehearsal: 7 indicator(s)" in result.output
    assert data_files(mini) == before   # the user's data/ untouched
    out = mini / "output"
    assert sorted(p.name for p in out.glob("report-*")) == [
        f"report-2020-{e}-rehearsal.{f}" for e in ("en", "zh") for f in ("docx", "pdf")]
    assert (out / "rehearsal-2020" / "data" / "editions.csv").read_text().endswith("2020,2021-06-24,2021\n")
    for edition in ("en", "zh"):
        stamp = DRAFT[edition]
        with zipfile.ZipFile(out / f"report-2020-{edition}-rehearsal.docx") as z:
            document = z.read("word/document.xml").decode()
            headers = [n for n in z.namelist() if re.fullmatch(r"word/header\d+\.xml", n)]
            assert len(headers) == document.count("<w:sectPr") >= 3   # one header per section, covers too
            assert all(stamp in z.read(n).decode() for n in headers)
        if shutil.which("pdftotext"):
            pdf = out / f"report-2020-{edition}-rehearsal.pdf"
            pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split("\f")[:-1]
            assert len(pages) > 3 and all(stamp.replace(" ", "") in re.sub(r"\s", "", p) for p in pages)
