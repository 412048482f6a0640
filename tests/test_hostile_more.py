"""More input from a careless or hostile user (issue 16), as an outside tester would try
it: placeholders that grow a value without end, config files of the wrong shape or with
characters no report may print, files planted outside the report folder, pipes, values
and texts too large for their place, option values that mean nothing, a planted or
damaged cache. Each ends in one error line naming the file and line (or in a usage
error), no traceback, nothing read or written outside the report folder."""
import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.projects import copy_root

ALPHA = "content/chapters/01-alpha"
EN, FIGURES, MANIFEST, MAIN = f"{ALPHA}/en.md", f"{ALPHA}/figures.toml", "content/report.toml", "data/indicators/main.csv"


def append(rel, text):
    def edit(root: Path, outside: Path):
        with open(root / rel, "a", encoding="utf-8") as f:
            f.write(text)
    return edit


def replace(rel, old, new):
    def edit(root: Path, outside: Path):
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def write(rel, text):
    def edit(root: Path, outside: Path):
        (root / rel).write_text(text, encoding="utf-8")
    return edit


def write_bytes(rel, data: bytes):
    def edit(root: Path, outside: Path):
        (root / rel).write_bytes(data)
    return edit


def link_outside(rel):
    """`rel` replaced by a link to a copy of it outside the report folder."""
    def edit(root: Path, outside: Path):
        target = outside / Path(rel).name
        target.write_bytes((root / rel).read_bytes() if (root / rel).exists() else b"[g]\nmembers = []\n")
        (root / rel).unlink(missing_ok=True)
        (root / rel).symlink_to(target)
    return edit


def fifo(rel):
    def edit(root: Path, outside: Path):
        (root / rel).unlink()
        os.mkfifo(root / rel)
    return edit


def placeholder(text):
    return append(EN, f"\n{text}\n")


TOO_MUCH = "would make a text or list of more than 10,000,000 items"

# (case id, edit, start of the first error line); `report check` exits 1
CHECKED = [
    # placeholders: every way to grow a value is limited (line 17: the text appended)
    ("padding a text", placeholder('{{ "x"|center(1000000000) }}'), f"{EN}:17: placeholder error: |center {TOO_MUCH}"),
    ("a method padding", placeholder('{{ "a".ljust(1000000000) }}'), f"{EN}:17: placeholder error: .ljust() {TOO_MUCH}"),
    ("a replacement", placeholder('{{ ("a"*99999).replace("a", "b"*99999) }}'),
     f"{EN}:17: placeholder error: .replace() {TOO_MUCH}"),
    ("a replace filter", placeholder('{{ ("a"*99999)|replace("a", "b"*99999) }}'),
     f"{EN}:17: placeholder error: |replace {TOO_MUCH}"),
    ("a join of a range", placeholder('{{ range(99999)|join("y"*99999) }}'), f"{EN}:17: placeholder error: |join {TOO_MUCH}"),
    ("indenting many lines", placeholder('{{ ("a\\n"*50000)|indent(50000) }}'),
     f"{EN}:17: placeholder error: |indent {TOO_MUCH}"),
    ("a wide % format", placeholder('{{ "%0999999999d" % 1 }}'),
     f"{EN}:17: placeholder error: %: a format wider than 100,000 characters"),
    ("a wide str.format", placeholder('{{ "{:>999999999}".format(1) }}'),
     f"{EN}:17: placeholder error: .format(): a format wider than 100,000 characters"),
    ("a wide format filter", placeholder('{{ "%.999999999f"|format(1.5) }}'),
     f"{EN}:17: placeholder error: |format: a format wider than 100,000 characters"),
    ("squaring in a loop", placeholder("{% set ns = namespace(a=2**5000) %}{% for i in range(40) %}"
                                       "{% set ns.a = ns.a*ns.a %}{% endfor %}{{ ns.a > 1 }}"),
     f"{EN}:17: placeholder error: a product of more than 10,000 bits is too large a number"),
    ("doubling with ~", placeholder('{% set ns = namespace(s="ab") %}{% for i in range(60) %}'
                                    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"),
     f"{EN}:17: placeholder error: joins a text of more than 10,000,000 characters"),
    ("doubling with +", placeholder('{% set ns = namespace(s="ab") %}{% for i in range(60) %}'
                                    "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}"),
     f"{EN}:17: placeholder error: adds up to a text or list of more than 10,000,000 items"),
    ("a list extending itself", placeholder("{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}"),
     f"{EN}:17: placeholder error: .extend() {TOO_MUCH}"),
    ("a placeholder printing an override", placeholder('{{ "a\\u202eb" }}'),
     f"{EN}:17: placeholder error: prints the control character U+202E; remove it"),
    ("a placeholder printing a lone surrogate", placeholder('{{ fixed("\\ud800") }}'),
     f"{EN}:17: placeholder error: prints the control character U+D800; remove it"),
    ("Latin filler", placeholder("{{ lipsum(1000000) }}"), f"{EN}:17: unknown placeholder: 'lipsum' is undefined"),
    ("a division by zero", placeholder("{{ 1/0 }}"), f"{EN}:17: placeholder error: division by zero"),
    ("a title's placeholder", replace(MANIFEST, 'en = "Mini Report {{ edition }}"', 'en = "{{ 1/0 }}"'),
     f"{MANIFEST}:6: placeholder error: division by zero"),
    ("a subtitle's unknown name", replace(MANIFEST, 'en = "For tests"', 'en = "{{ nope }}"'),
     f"{MANIFEST}:10: unknown placeholder: 'nope' is undefined"),
    ("a running header's missing value", replace(MANIFEST, "[theme]\n",
                                                 '[theme]\nrunning_header = {zh = "a", en = "{{ firms.at(1) }}"}\n'),
     f"{MANIFEST}:22: no value for firms in 1"),
    # report.toml
    ("front as an absolute path", replace(MANIFEST, 'front = "front"', 'front = "/etc"'),
     f"{MANIFEST}:2: front '/etc': the name of a folder in content/ (no path)"),
    ("a chapter id leaving the folder", replace(MANIFEST, 'id = "02-beta"', 'id = "../../outside"'),
     f"{MANIFEST}:34: chapter id '../../outside': the name of a folder in content/chapters/ (no path)"),
    ("an absolute chapter id", replace(MANIFEST, 'id = "02-beta"', 'id = "/tmp"'),
     f"{MANIFEST}:34: chapter id '/tmp': the name of a folder"),
    ("an empty chapter id", replace(MANIFEST, 'id = "02-beta"', 'id = ""'), f"{MANIFEST}:34: chapter id '': the name"),
    ("a number as chapter id", replace(MANIFEST, 'id = "02-beta"', "id = 5"),
     f"{MANIFEST}:34: each [[chapters]] needs id = \"folder-name\""),
    ("a right-to-left override in the title", replace(MANIFEST, 'en = "Mini Report {{ edition }}"',
                                                      r'en = "Mini\u202eReport"'),
     f"{MANIFEST}:6: control character U+202E in text; remove it"),
    ("a NUL in the subtitle", replace(MANIFEST, 'en = "For tests"', r'en = "a\U00000000b"'),
     f"{MANIFEST}:10: control character U+0000 in text; remove it"),
    ("report.toml linked from outside", link_outside(MANIFEST),
     f"{MANIFEST}: resolves to a file outside the report folder; copy it in instead"),
    ("a theme font that is no font", lambda root, outside: (
        (root / "x.ttf").write_text("not a font"),
        replace(MANIFEST, 'latin_font = "Liberation Serif"', 'latin_font = "x.ttf"')(root, outside)),
     f"{MANIFEST}:27: theme latin_font: 'x.ttf' is not a TrueType or OpenType font file"),
    # figures.toml, checks.toml, groups.toml
    ("a figure note's placeholder", replace(FIGURES, 'axis = {zh = "家", en = "Enterprises"}',
                                            'axis = {zh = "家", en = "Enterprises"}\nnote = {zh = "{{ 1/0 }}", en = "x"}'),
     f"{FIGURES}:6: placeholder error: division by zero"),
    ("[figure] instead of [[figure]]", write(FIGURES, "[figure]\nid = 1\n"),
     f"{FIGURES}:1: figure must be written [[figure]] (a list of tables)"),
    ("breakdown = 5", write("data/checks.toml", "breakdown = 5\n"),
     "data/checks.toml:1: breakdown must be written [[breakdown]] (a list of tables)"),
    ("a bidi control in an axis label", replace(FIGURES, 'axis = {zh = "家", en = "Enterprises"}',
                                                r'axis = {zh = "家\u202e", en = "Enterprises"}'),
     f"{FIGURES}:5: control character U+202E in text; remove it"),
    ("a figure title of 100,000 characters", replace(FIGURES, "Number of enterprises", "Long " * 20000),
     f"{FIGURES}:2: figure firms_years: title of 100,000 characters: the limit is 200"),
    ("a chart of 41 lines", replace(FIGURES, 'indicators = ["firms"]', "indicators = [" + ", ".join(['"firms"'] * 41) + "]"),
     f"{FIGURES}:2: figure firms_years: a chart of kind years shows at most 12 indicators, not 41"),
    ("lists nested 100,000 deep", append(FIGURES, "x = " + "[" * 100000 + "]" * 100000 + "\n"),
     f"{FIGURES}: TOML nests lists or tables too deeply to read"),
    ("tables nested 5,000 deep", append("data/checks.toml", "x = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n"),
     "data/checks.toml: TOML nests lists or tables too deeply to read"),
    ("figures.toml a pipe", fifo(FIGURES), f"{FIGURES}: not a file"),
    ("checks.toml linked from outside", link_outside("data/checks.toml"),
     "data/checks.toml: resolves to a file outside the report folder"),
    ("groups.toml linked from outside", link_outside("data/groups.toml"),
     "data/groups.toml: resolves to a file outside the report folder"),
    ("a bidi control in a group label", write("data/groups.toml", '[grp]\nmembers = ["firms", "universities"]\n'
                                                                  'label = {zh = "a\\u2067", en = "b"}\n'),
     "data/groups.toml:3: control character U+2067 in text; remove it"),
    # data
    ("a 32-digit value", replace(MAIN, "firms,2019,797,", "firms,2019,12345678901234567890123456789012,"),
     f"{MAIN}:4: column value: '12345678901234567890'… has 32 digits: the limit is 15"),
    ("a quoted note over three lines", lambda root, outside: (
        replace(MAIN, "firms,2017,600,count,企业数,Enterprises,test,",
                'firms,2017,600,count,企业数,Enterprises,test,"a\nb\nc"')(root, outside),
        replace(MAIN, "share_bj,2019,42.5,", "share_bj,2019,x,")(root, outside)),
     f"{MAIN}:10: column value: 'x' is not a number"),
    ("a label of 200,000 characters", append(MAIN, "x,2019,1,count,a," + "L" * 200000 + ",test,\n"),
     f"{MAIN}:15: column label_en: text of 200,000 characters: the limit is 200"),
    ("a source name of 1,000 characters", append("data/sources.csv", "long,x," + "y" * 1000 + "\n"),
     "data/sources.csv:3: "),
    ("an override in a source's name", replace("data/sources.csv", "test,", "test,\u202e"),
     "data/sources.csv:2: column name_zh: control character U+202E in text; remove it"),
    ("checks.toml in GBK", lambda root, outside: (root / "data/checks.toml").write_bytes(
        "# 地区占比\n".encode("gbk") + (root / "data/checks.toml").read_bytes()),
     "data/checks.toml:1: not UTF-8 text (byte 2); save the file as UTF-8"),
    ("a CSV in GBK on its second line", write_bytes("data/indicators/gbk.csv",
                                                    ("id,year,value,unit,label_zh,label_en,source,notes\n"
                                                     "x,2019,1,count,企业,X,test,\n").encode("gbk")),
     "data/indicators/gbk.csv:2: not UTF-8 text (byte 65); save the file as UTF-8"),
    ("500 unknown columns", write("data/indicators/wide.csv", ",".join(
        ["id", "year", "value", "unit", "label_zh", "label_en", "source", "notes"] + [f"c{i}" for i in range(500)]) + "\n"),
     "data/indicators/wide.csv:1: header must be id,year,value,unit,label_zh,label_en,source,notes; "
     "unknown c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 490 more"),
    ("a CSV of 2 GB (sparse)", lambda root, outside: os.truncate(root / MAIN, 2**31),
     f"{MAIN}: file of 2,147,483,648 bytes: the limit is 1,000,000"),
    ("a chapter of 2 GB (sparse)", lambda root, outside: os.truncate(root / EN, 2**31),
     f"{EN}: file of 2,147,483,648 bytes: the limit is 2,000,000"),
    ("a folder named .csv", lambda root, outside: (root / "data/indicators/sub.csv").mkdir(),
     "data/indicators/sub.csv: not a file"),
]


@pytest.fixture
def project(tmp_path):
    """A fresh copy of the mini root to edit, and a folder outside it."""
    (tmp_path / "outside").mkdir()
    return copy_root("mini", tmp_path / "p"), tmp_path / "outside"


def errors_of(result) -> list[str]:
    assert "Traceback" not in result.output, result.output
    return [line.removeprefix("error: ") for line in result.output.splitlines() if line.startswith("error: ")]


def first_problem(root: Path) -> str:
    """What `report check` says first of the files the cases edit, read as it reads them
    (in this process, without its slower analyses): report.toml, data/, each chapter."""
    from builder.cache import Cache
    from builder.errors import ProblemList, ReportError
    from builder.readers.chapters import read_chapter
    from builder.readers.project import load_project
    from builder.readers.report import manifest_text
    try:
        project = load_project(root, Cache(None))
        for lang in ("zh", "en"):
            for key in (*project.manifest.texts, "running_header"):
                manifest_text(project, key, lang, 2019)
            for entry in project.manifest.chapters:
                read_chapter(project, entry, lang, 2019, Cache(None))
    except ProblemList as exc:
        return str(exc.problems[0])
    except ReportError as exc:
        return str(exc)
    return "no problem"


@pytest.mark.parametrize("case, edit, expected", CHECKED, ids=[c[0] for c in CHECKED])
def test_the_first_problem_names_the_file_and_line(project, case, edit, expected):
    root, outside = project
    edit(root, outside)
    before = sorted(p.name for p in outside.iterdir())
    assert first_problem(root).startswith(expected)
    assert sorted(p.name for p in outside.iterdir()) == before   # nothing written outside


# One case of each kind through `report check` itself: the same line, printed once, exit 1.
THROUGH_CHECK = ["padding a text", "a chapter id leaving the folder", "breakdown = 5", "a 32-digit value",
                 "report.toml linked from outside", "figures.toml a pipe"]


@pytest.mark.parametrize("case", THROUGH_CHECK)
def test_report_check_prints_one_line(project, case):
    root, outside = project
    _, edit, expected = next(c for c in CHECKED if c[0] == case)
    edit(root, outside)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1, result.output
    errors = errors_of(result)
    assert errors and errors[0].startswith(expected), errors


def test_translations_linked_from_outside_are_refused(project):
    root, outside = project
    link_outside(f"{ALPHA}/translations.toml")(root, outside)
    secret = (outside / "translations.toml").read_bytes()
    result = CliRunner().invoke(main, ["translations", "--confirm", "--project", str(root)])
    assert result.exit_code == 1
    assert errors_of(result) == [f"{ALPHA}/translations.toml: resolves to a file outside the report folder; "
                                 "copy it in instead"]
    assert (outside / "translations.toml").read_bytes() == secret


# (arguments, what the usage error says): click's usage errors exit 2
OPTIONS = [
    (["data", "diff", "2018", "2019", "--factor", "nan"], "Invalid value for '--factor': nan: give a number above 1"),
    (["data", "diff", "2018", "2019", "--factor", "-1"], "Invalid value for '--factor': -1.0: give a number above 1"),
    (["data", "diff", "2018", "2019", "--factor", "1"], "Invalid value for '--factor': 1.0: give a number above 1"),
    (["build", "-o", ""], "Invalid value for '--output' / '-o': an empty name: give a folder"),
    (["check", "--project", " "], "Invalid value for '--project': an empty name: give a folder"),
    (["init", ""], "Invalid value for 'FOLDER': an empty name: give a folder"),
]


@pytest.mark.parametrize("args, expected", OPTIONS, ids=[" ".join(a) for a, _ in OPTIONS])
def test_option_values_that_mean_nothing_are_refused(project, args, expected, monkeypatch):
    root, _ = project
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert expected in result.output
    assert not (root / "output").exists()


def test_a_character_no_font_draws_is_named_where_it_is_typed(project):
    """Not drawn as a box: an error at its file, line and column."""
    root, outside = project
    append(EN, "\nSmile 😀 here.\n")(root, outside)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert errors_of(result) == [f"{EN}:17: column 7: no font has a glyph for U+1F600 '😀': replace the characters "
                                 "or configure a font that has them"]


@pytest.mark.parametrize("args, expected", [
    (["data", "diff", "0", "2019"], "data/editions.csv: no data year 0: data/ has 2017 to 2019"),
    (["data", "diff", "2019", "202"], "data/editions.csv: no data year 202: data/ has 2017 to 2019"),
    (["translations", "--confirm"], f"{ALPHA}/translations.toml: not a file"),
])
def test_years_and_files_that_are_not_there(project, args, expected):
    root, _ = project
    (root / ALPHA / "translations.toml").unlink()
    (root / ALPHA / "translations.toml").mkdir()   # (only the translations case reads it)
    result = CliRunner().invoke(main, [*args, "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert errors_of(result) == [expected]


def test_an_output_folder_linked_outside_is_refused(project, monkeypatch):
    """A received report folder whose output/ leads elsewhere: nothing is written there."""
    root, outside = project
    (root / "output").symlink_to(outside)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "-e", "en", "-f", "pdf", "-j", "1"])
    assert result.exit_code == 1
    assert errors_of(result) == ["output: a link to a folder outside the report folder: the files are not written "
                                 "through it (remove it, or name the folder with -o)"]
    assert not list(outside.iterdir())


def test_an_output_that_is_a_file_is_refused(project, monkeypatch):
    root, _ = project
    (root / "output").write_text("mine")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "-e", "en", "-f", "pdf", "-j", "1"])
    assert result.exit_code == 1
    assert errors_of(result) == ["output: not a folder: the files go into a folder of this name (rename the file, "
                                 "or use -o)"]
    assert (root / "output").read_text() == "mine"


def test_a_cache_folder_linked_outside_is_not_used(project):
    """prune() would delete the least recently used files of wherever .cache/data led."""
    root, outside = project
    (outside / "keep").write_bytes(b"x" * 1000)
    (root / ".cache").mkdir()
    (root / ".cache" / "data").symlink_to(outside)
    from builder.cache import LIMITS_MB, Cache
    cache = Cache(root / ".cache")
    assert cache.problem and not cache.root.is_relative_to(root)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    cache.prune()
    assert [p.name for p in outside.iterdir()] == ["keep"]
    assert set(LIMITS_MB) >= {"data", "charts", "fonts"}


def test_the_report_command_removes_the_cache_folder_of_its_own(project, tmp_path):
    """A planted .cache/ gives the command a cache folder of its own, removed when it ends,
    though the command ends without tearing its interpreter down (cli.run)."""
    root, _ = project
    (root / ".cache").write_text("mine")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = subprocess.run([str(Path(sys.executable).parent / "report"), "check", "--project", str(root)],
                          capture_output=True, text=True, env=dict(os.environ, TMPDIR=str(temporary)))
    assert done.returncode == 0, done.stderr
    assert list(temporary.iterdir()) == []


def test_planted_cache_entries_are_computed_again(tmp_path):
    """Entries that are folders, links to /dev/zero or pipes are ignored, not read."""
    from builder.cache import Cache
    cache = Cache(tmp_path / ".cache")
    cache.memo("data", ("k",), lambda: 1)
    (entry,) = (tmp_path / ".cache" / "data").iterdir()
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert cache.memo("data", ("k",), lambda: 2) == 2   # stored again over the link
    entry.unlink()
    os.mkfifo(entry)
    assert cache.load("data", entry.stem) is None
    chart = cache.file("charts", "c.svg")
    chart.parent.mkdir(parents=True)
    (chart.parent / "c.svg.seal").mkdir()
    chart.symlink_to("/dev/zero")
    assert not cache.verified(chart)
    cache.keep(chart, b"<svg/>")
    assert cache.verified(chart) and not chart.is_symlink()


def test_stale_temporary_files_are_pruned(tmp_path):
    from builder.cache import prune
    old, new = tmp_path / ".a.1-x.tmp", tmp_path / ".b.2-y.tmp"
    old.write_bytes(b"a")
    new.write_bytes(b"b")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    prune(tmp_path, 10**9)
    assert not old.exists() and new.exists()


def test_a_full_cache_disk_costs_only_speed(tmp_path, monkeypatch, capsys):
    """The disk of .cache/ fills up during a build: built again with a cache of its own."""
    import click

    from builder import cli_support
    from builder.cache import Cache
    from builder.context import BuildContext

    root = tmp_path / "p"
    (root / ".cache").mkdir(parents=True)
    ctx = BuildContext(root, root / "output", Cache(root / ".cache"))
    caches = []

    def build(ctx, *args):
        caches.append(ctx.cache.root)
        if len(caches) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return args

    monkeypatch.setattr(cli_support, "_full", lambda folder: True)
    with click.Context(main) as context:
        assert cli_support.build_with_cache(ctx, build, "a") == ("a",)
        assert caches[0] == root / ".cache" and caches[1] != caches[0]
        assert "No space left on device: nothing this build makes is kept" in capsys.readouterr().err
        full = BuildContext(root, root / "output", Cache(caches[1]))
        with pytest.raises(OSError):   # the output's disk full: an error, not a retry
            cli_support.build_with_cache(full, lambda ctx: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    del context
