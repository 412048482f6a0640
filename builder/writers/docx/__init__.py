"""The DOCX writer (python-docx): renders a Report as a Word document with real styles,
fields and footnotes, set like the PDF (its sizes, line heights and page numbering). Its
fields (contents, captions, references, the header's chapter title) are written with
their results, the contents' page numbers those of the PDF's layout (Report.pages).
python-docx covers paragraphs, tables, pictures, sections and core properties; what it
lacks (footnotes, fields, bookmarks, language tags, East Asian fonts) is added as raw
WordprocessingML. The model holds every final string: the writer only decides how things
look.

    document.py  write(): the front, the chapters' sections, reproducible saving
    styles.py    fonts, languages, styles, document settings
    pages.py     paper, margins, sections with running headers and page numbers
    front.py     covers, an extract's title block, the contents
    blocks.py    chapter content: headings, paragraphs, figures, tables
    captions.py  captions with SEQ fields, charts' alt text
    notes.py     the footnotes part
    runs.py      runs of text: bold, italic, language tags, footnote marks
    wml.py       raw WordprocessingML helpers
    cached.py    the front and each chapter's section from the cache, renumbered (keys.py: their keys)
    looks.py     styles, font table and theme from the cache
    package.py   the zip: fixed times, the PNGs stored as they are
"""
from builder.writers.docx.document import write

__all__ = ["write"]
