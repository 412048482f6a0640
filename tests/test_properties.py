"""Property-based: any Unicode text in a paragraph, heading, footnote or table cell either
renders (and comes back through pdftotext and the DOCX XML) or stops the build with a
clean error before a writer runs."""
import html
import re
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from builder.errors import ContentError, FontError
from builder.model import Chapter, Cover, Footnote, Heading, Paragraph, Report, Run, Table
from builder.chars import report_chars
from builder.transforms.textcheck import check_text
from builder.writers.docx import write as write_docx
from builder.writers.pdf import write as write_pdf
from tests.reading import context

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

# Left-to-right scripts the fonts may or may not cover, markup characters and CJK.
CHARS = st.characters(
    categories=("Lu", "Ll", "Lo", "Nd", "Po", "Ps", "Pe", "Pd", "Sm", "Sc", "So", "Zs"),
).filter(lambda c: ord(c) < 0x590 or 0x2000 <= ord(c) < 0x2070 or 0x3000 <= ord(c) < 0x3040
         or 0x4E00 <= ord(c) < 0xA000 or 0xFF01 <= ord(c) < 0xFF5F)
TEXT = st.text(CHARS, min_size=1, max_size=40).filter(lambda t: t.strip())
# Characters that must be refused: controls, a lone surrogate, a non-character, private
# use and an emoji that no embedded font has.
BAD = st.sampled_from(["\x07", "\x1b", "\x9d", "\ud800", "\ufffe", "\ue000", "\U0001F600"])


def model(para: str, heading: str, note: str, cell: str, lang: str) -> Report:
    blocks = [Heading(2, "1.1", heading, lang, "s1"),
              Paragraph([Run(para), Run(footnote=Footnote(1, [Run(note)]))], lang),
              Table("Table 1-1", "T", ["A", "B"], [[cell, "1"]], ["left", "right"], "Source: x.", lang)]
    chapter = Chapter("01-x", 1, Heading(1, "I.", "Chapter", lang, "c1"), blocks, lang)
    return Report(lang, [lang], 2019, [Cover("Title", "Sub", "2020", "Inst", lang)], ["Contents"], [],
                  [chapter], "A", {lang: "Run"})


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_any_text_renders_or_fails_cleanly(tmp_path_factory, font_cache):
    """The examples run twice, derandomized, so the same both times: first only to gather
    the characters they print, then each is written and read back. All PDFs then share one
    CJK font subset, converted once, instead of one conversion (about a second) each."""
    chars: set[str] = set()
    writing = []   # empty while gathering characters

    @settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(para=TEXT, heading=TEXT, note=TEXT, cell=TEXT, lang=st.sampled_from(["zh", "en"]))
    def renders_or_fails_cleanly(para, heading, note, cell, lang):
        report = model(para, heading, note, cell, lang)
        try:
            check_text(report)
        except FontError as exc:  # a script the fonts do not cover: refused, never drawn as boxes
            assert str(exc).startswith("content/chapters/01-x: no font has a glyph for U+")
            return
        if not writing:
            chars.update(report_chars(report))
            return
        tmp = tmp_path_factory.mktemp("prop")
        pdf, docx = tmp / "r.pdf", tmp / "r.docx"
        ctx = context(tmp, font_cache)
        write_pdf(report, pdf, ctx, chars | report_chars(report))
        write_docx(report, docx, ctx)
        pdf_text = squash(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                         text=True, check=True).stdout)
        with zipfile.ZipFile(docx) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
        docx_text = squash(html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))))
        for text in (para, heading, note, cell):
            assert squash(text) in pdf_text
            assert squash(text) in docx_text

    renders_or_fails_cleanly()
    writing.append(True)
    renders_or_fails_cleanly()


@settings(max_examples=30, deadline=None, derandomize=True)
@given(text=TEXT, bad=BAD, where=st.integers(0, 3), at=st.integers(0, 40), lang=st.sampled_from(["zh", "en"]))
def test_unprintable_characters_are_refused_before_writing(text, bad, where, at, lang):
    fields = [text] * 4
    fields[where] = text[:at] + bad + text[at:]
    with pytest.raises((ContentError, FontError)) as info:
        check_text(model(*fields, lang))
    assert str(info.value).startswith("content/chapters/01-x: ")
    assert f"U+{ord(bad):04X}" in str(info.value)
