"""A corpus of bad input. Each case edits a copy of the mini report and asserts the exact
outcome of a build: the exit code and the one-line error naming file and line."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main

ALPHA_EN = "content/chapters/01-alpha/en.md"
ALPHA_ZH = "content/chapters/01-alpha/zh.md"
FIGURES = "content/chapters/01-alpha/figures.toml"
MANIFEST = "content/report.toml"
MAIN_CSV = "data/indicators/main.csv"


def replace(file, old, new):
    def edit(root: Path):
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def append(file, text):
    def edit(root: Path):
        with open(root / file, "a", encoding="utf-8") as f:
            f.write(text)
    return edit


def write_bytes(file, data: bytes):
    return lambda root: (root / file).write_bytes(data)


def delete(file):
    return lambda root: (root / file).unlink()


CSV_HEADER = "id,year,value,unit,label_zh,label_en,source,notes\n"

# (case id, edit, exit code, start of the first error line)
CASES = [
    # content
    ("unknown placeholder", replace(ALPHA_EN, "{{ firms }}", "{{ firmz }}"), 1,
     f"{ALPHA_EN}:5: unknown placeholder: 'firmz' is undefined"),
    ("placeholder syntax", replace(ALPHA_EN, "{{ funding }}", "{{ funding "), 1,
     ALPHA_EN + ":5: unclosed placeholder: {{ needs }} on the same line"),
    ("sandbox escape", replace(ALPHA_EN, "{{ funding }}", "{{ funding.__class__.__init__ }}"), 1,
     f"{ALPHA_EN}:5: placeholder error: access to attribute"),
    ("value of a year with no data", replace(ALPHA_EN, "{{ funding }}", "{{ funding.at(1999) }}"), 1,
     f"{ALPHA_EN}:5: no value for funding in 1999"),
    ("missing chapter file", delete(ALPHA_ZH), 1,
     f"{ALPHA_ZH}: missing chapter file (01-alpha is listed in content/report.toml)"),
    ("missing front matter", delete("content/front/zh.md"), 1, "content/front/zh.md: missing front matter file"),
    ("chapter without title", replace(ALPHA_EN, "# Enterprises\n", ""), 1,
     f"{ALPHA_EN}:2: a chapter starts with its '# title' line"),
    ("two titles", append(ALPHA_EN, "\n# Again\n"), 1, f"{ALPHA_EN}:17: only one '# title' line"),
    ("heading too deep", append(ALPHA_EN, "\n#### Deep\n"), 1, f"{ALPHA_EN}:17: headings go down to ### only"),
    ("code block", append(ALPHA_EN, "\n```python\nimport os\n```\n"), 1, f"{ALPHA_EN}:17: a fenced block must be"),
    ("indented code", append(ALPHA_EN, "\n    indented\n"), 1, f"{ALPHA_EN}:17: a fenced block must be"),
    ("unknown figure", replace(ALPHA_EN, "{figure} firms_years", "{figure} firms_yeers"), 1,
     f"{ALPHA_EN}:7: no figure 'firms_yeers' in {FIGURES}"),
    ("image path", append(ALPHA_EN, "\nSee ![x](/etc/passwd).\n"), 1, f"{ALPHA_EN}:17: images are not placed in text"),
    ("footnote without text", append(ALPHA_EN, "\nText[^a].\n"), 1,
     f"{ALPHA_EN}:17: footnote [^a] has no text"),
    ("unknown reference", append(ALPHA_EN, "\nSee {numref}`nope`.\n"), 1,
     f"{ALPHA_EN}:17: {{numref}}`nope`: no figure, table or chapter has this id"),
    ("control character", append(ALPHA_ZH, "\n响铃\x07字符\n"), 1, f"{ALPHA_ZH}:17: control character U+0007"),
    ("not utf-8", write_bytes(ALPHA_ZH, "# 企业\n\n正文\n".encode("gbk")), 1, f"{ALPHA_ZH}:1: not UTF-8 text"),
    ("horizontal rule", append(ALPHA_EN, "\n---\n"), 1, f"{ALPHA_EN}:17: hr is not supported"),
    ("figure in unnumbered chapter", append("content/chapters/03-end/en.md", "\n```{figure} x\n```\n"), 1,
     "content/chapters/03-end/en.md:5: no figure 'x'"),
    ("no glyph in any font", append(ALPHA_ZH, "\n私用区\ue000字符\n"), 3,
     f"{ALPHA_ZH}:17: column 4: no font has a glyph for U+E000"),
    ("symlink out of the project", lambda root: ((root / ALPHA_ZH).unlink(),
                                                 (root / ALPHA_ZH).symlink_to("/etc/hostname")), 1,
     f"{ALPHA_ZH}: resolves to a file outside the report folder"),
    ("data symlinked from outside", lambda root: (root / "data/indicators/extra.csv").symlink_to(
        root / ".." / "outside.csv"), 1, "data/indicators/extra.csv: resolves to a file outside the report folder"),
    ("paragraph too long", append(ALPHA_EN, "\n" + "Many words. " * 2000 + "\n"), 1,
     f"{ALPHA_EN}:17: paragraph of 23999 characters: the limit is 20000"),
    ("file too large", append(ALPHA_EN, ("\n" + "Many words. " * 1000) * 200), 1,
     f"{ALPHA_EN}: file of "),
    # config
    ("manifest syntax", replace(MANIFEST, 'author = "', 'author = '), 1, f"{MANIFEST}:1: TOML does not parse"),
    ("manifest unknown key", replace(MANIFEST, 'front = "front"', 'frnt = "front"'), 1,
     f"{MANIFEST}:2: unknown key 'frnt'"),
    ("manifest missing language", replace(MANIFEST, 'en = "Mini Report {{ edition }}"\n', ""), 1,
     f"{MANIFEST}:4: title must be a table with non-empty zh and en strings"),
    ("chapter listed twice", append(MANIFEST, '[[chapters]]\nid = "01-alpha"\n'), 1,
     f"{MANIFEST}:40: chapter '01-alpha' listed twice"),
    ("chapter key typo", append(MANIFEST, '[[chapters]]\nid = "04-x"\nnumberd = false\n'), 1,
     f"{MANIFEST}:41: unknown key 'numberd' in [[chapters]]"),
    ("missing manifest", delete(MANIFEST), 1, f"{MANIFEST}: missing report manifest"),
    ("figure unknown key", replace(FIGURES, 'kind = "years"', 'kind = "years"\ncolour = "red"'), 1,
     f"{FIGURES}:2: figure firms_years: unknown key 'colour'"),
    ("figure unknown kind", replace(FIGURES, 'kind = "years"', 'kind = "radar"'), 1,
     f"{FIGURES}:2: figure firms_years: kind must be one of"),
    ("figure unknown indicator", replace(FIGURES, '["firms"]', '["frims"]'), 1,
     f"{FIGURES}:2: figure firms_years: unknown indicator 'frims'"),
    ("table header mismatch", replace(FIGURES, '["地区", "占比"]', '["地区"]'), 1,
     f"{FIGURES}:9: table regions: columns must be from"),
    # data
    ("thousands separator", replace(MAIN_CSV, "firms,2017,600,", 'firms,2017,"1,011",'), 1,
     f"{MAIN_CSV}:2: column value: '1,011' has a thousands separator: write 1011"),
    ("percent string", replace(MAIN_CSV, "share_bj,2019,42.5,", "share_bj,2019,42.5%,"), 1,
     f"{MAIN_CSV}:8: column value: '42.5%' has a percent sign: write 42.5 with unit percent"),
    ("full-width digits", replace(MAIN_CSV, "firms,2017,600,", "firms,2017,６００,"), 1,
     f"{MAIN_CSV}:2: column value: full-width characters in '６００': use ASCII digits"),
    ("NA value", replace(MAIN_CSV, "firms,2017,600,", "firms,2017,NA,"), 1,
     f"{MAIN_CSV}:2: column value: 'NA' is not a number"),
    ("leading zero", replace(MAIN_CSV, "firms,2017,600,", "firms,2017,0600,"), 1,
     f"{MAIN_CSV}:2: column value: '0600' has a leading zero: write 600"),
    ("control character in a label", replace(MAIN_CSV, "北京,Beijing", "北\x1b京,Beijing"), 1,
     f"{MAIN_CSV}:7: column label_zh: control character U+001B"),
    ("rank not a whole number from 1", replace(MAIN_CSV, "firms,2017,600,count", "firms,2017,1.5,rank"), 1,
     f"{MAIN_CSV}:2: column value: '1.5' is not a rank: write a whole number from 1 (first) for unit rank"),
    ("rank 0", replace(MAIN_CSV, "firms,2017,600,count", "firms,2017,0,rank"), 1,
     f"{MAIN_CSV}:2: column value: '0' is not a rank"),
    ("unknown unit", replace(MAIN_CSV, "firms,2017,600,count", "firms,2017,600,pieces"), 1,
     f"{MAIN_CSV}:2: column unit: unknown unit 'pieces'"),
    ("unknown source", replace(MAIN_CSV, "企业数,Enterprises,test,\nfirms,2018", "企业数,Enterprises,tset,\nfirms,2018"),
     1, f"{MAIN_CSV}:2: column source: unknown source 'tset'"),
    ("duplicate row", append(MAIN_CSV, "firms,2019,800,count,企业数,Enterprises,test,\n"), 1,
     f"{MAIN_CSV}:15: column year: duplicate row for firms 2019 (first at {MAIN_CSV}:4)"),
    ("bad year", replace(MAIN_CSV, "firms,2017,", "firms,20x7,"), 1,
     f"{MAIN_CSV}:2: column year: year '20x7' is not a four-digit year"),
    ("wrong header", replace(MAIN_CSV, "label_en", "label_eng"), 1, f"{MAIN_CSV}:1: header must be"),
    ("unit changes between rows", replace(MAIN_CSV, "firms,2018,700,count", "firms,2018,700,percent"), 1,
     f"{MAIN_CSV}:3: column unit: firms has unit count elsewhere, percent here"),
    ("gbk csv", write_bytes("data/indicators/extra.csv", (CSV_HEADER + "x,2019,1,count,企业,X,test,\n").encode("gbk")),
     1, "data/indicators/extra.csv:2: not UTF-8 text"),
    ("unbalanced quote", append(MAIN_CSV, 'x,2019,"1,count,x,x,test,\n'), 1, f"{MAIN_CSV}"),
    ("bad publication date", replace("data/editions.csv", "2020-06-24", "24/06/2020"), 1,
     "data/editions.csv:3: column published: published '24/06/2020' must be YYYY-MM-DD"),
    ("missing sources", delete("data/sources.csv"), 1, "data/sources.csv: missing"),
]


@pytest.fixture
def project(make_project):
    """A new copy of the mini root, nothing cached: each case is read as in a first build."""
    return make_project("mini")


@pytest.mark.parametrize("case, edit, code, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(project, case, edit, code, expected):
    edit(project)
    out = project / "out"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "zh", "-e", "en",
                                       "-f", "docx", "-o", str(out)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors, result.output
    assert errors[0].removeprefix("error: ").startswith(expected), errors
    assert not out.exists()


def test_raw_html_and_entities_print_literally(rebuilt_root):
    project = rebuilt_root("mini")   # built already: only the edited chapter is read and written again
    append(ALPHA_EN, "\n<script>alert(1)</script> &amp; &lt;b&gt; <b>bold?</b>\n")(project)
    out = project / "out"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-e", "en", "-f", "docx",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    import docx
    text = "\n".join(p.text for p in docx.Document(str(out / "report-2019-en.docx")).paragraphs)
    assert "<script>alert(1)</script> &amp; &lt;b&gt; <b>bold?</b>" in text


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
