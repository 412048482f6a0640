"""Footnotes: the /word/footnotes.xml part, which python-docx cannot create itself."""
from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.text.paragraph import Paragraph as DocxParagraph

from builder.model import Footnote
from builder.writers.docx.runs import add_runs
from builder.writers.docx.wml import wml

FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# Word's two separator notes (ids -1 and 0, declared in settings.xml too); notes count from 1.
SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing'
    ' w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>')


class Footnotes:
    """The footnotes part of `doc`, filled as the body refers to notes."""

    def __init__(self, doc):
        self.doc = doc
        self.element = wml(f"<w:footnotes>{SEPARATORS}</w:footnotes>")
        part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CONTENT_TYPE, self.element,
                       doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        self.next_id = 1

    def again(self, note: Footnote):
        """A later citation of `note`: its number as a note mark. Word gives a note one
        reference, so this is not a second one (Word would print a second note)."""
        return wml(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>{note.number}</w:t></w:r>')

    def reference(self, note: Footnote, lang: str):
        """Add the footnote text to the part; return the w:r that marks it in the body.

        The mark is the model's per-chapter number, as in the PDF, given as a custom mark
        (customMarkFollows): Word would number notes continuously through the document,
        and its per-section restart (numRestart eachSect) is mis-imported by LibreOffice
        (it prints 1, 0, 0...). The note itself keeps w:footnoteRef, which LibreOffice
        fills with the custom mark; literal text there would print the number twice."""
        note_id = self.next_id
        self.next_id += 1
        footnote = wml(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        self.element.append(footnote)
        add_runs(DocxParagraph(footnote[0], self.doc.part), note.runs, lang)
        return wml(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                   f'<w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/>'
                   f'<w:t>{note.number}</w:t></w:r>')
