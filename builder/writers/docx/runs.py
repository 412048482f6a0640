"""Runs of text: inline bold and italic, language tags, footnote marks. python-docx
escapes run text, so markup-looking text stays literal."""
from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.text.run import Run as DocxRun

from builder.model import Run
from builder.writers.docx.wml import field, wml

# Children of w:rPr that come after w:rFonts (schema order).
AFTER_RFONTS = ("w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
                "w:color", "w:sz", "w:szCs", "w:u", "w:vertAlign", "w:lang")


def add_text(para, text: str, lang: str):
    """A run of `text` in language `lang` at the end of `para`; returns it."""
    run = para.add_run(text)
    set_lang(run, lang)
    return run


def add_runs(para, runs: list[Run], lang: str, notes=None, marks=None) -> None:
    """The model's runs at the end of `para`; a footnote run becomes a reference to its
    note in `notes` (a `notes.Footnotes`), or, without `notes`, an empty run; a
    cross-reference to a bookmark of `marks` (a `blocks.Bookmarks`) a link to it, and to
    a caption a REF field of its label and number too."""
    for item in runs:
        if item.footnote is not None and notes is not None:
            para._p.append(notes.again(item.footnote) if item.again else notes.reference(item.footnote, lang))
            continue
        run = para.add_run(item.text)
        run.bold = item.bold or None
        run.italic = item.italic or None
        set_lang(run, lang)
        bookmark = marks.link(item.ref.anchor) if item.ref and marks else None
        if bookmark:   # a link to the bookmark, in LibreOffice too
            hyperlink = wml(f'<w:hyperlink w:anchor="{bookmark}" w:history="1"/>')
            run._r.addprevious(hyperlink)
            hyperlink.append(run._r)
        if bookmark and marks.is_caption(item.ref.anchor):
            # a REF field: the caption's bookmarked label and number ("图 1-1"), its result the text
            begin, instruction, separate, end = field(f"REF {bookmark} \\h", [])
            run._r.addprevious(begin)
            run._r.addprevious(instruction)
            run._r.addprevious(separate)
            run._r.addnext(end)


def loose_run(text: str, lang: str, para):
    """A w:r of `text` in `lang`, not yet placed (for field results and links)."""
    run = DocxRun(OxmlElement("w:r"), para)
    run.text = text
    set_lang(run, lang)
    return run._r


def set_lang(run, lang: str) -> None:
    """Tag a run with its language the way Word does: Chinese text gets the East Asian
    hint (so quotes and dashes use the CJK font) and eastAsia="zh-CN"; English gets
    val="en-US" (spell checking, hyphenation)."""
    rpr = run._r.get_or_add_rPr()
    if lang == "zh":
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert_element_before(fonts, *AFTER_RFONTS)
        fonts.set(qn("w:hint"), "eastAsia")
        attrs = 'w:val="en-US" w:eastAsia="zh-CN"'
    else:
        attrs = 'w:val="en-US"'
    rpr.append(wml(f"<w:lang {attrs}/>"))
