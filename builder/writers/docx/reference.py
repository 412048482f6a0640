"""Word styles from a reference .docx (the theme's reference_docx, as pandoc's
--reference-doc): each of its styles replaces the builder's of the same id, its document
defaults and Office theme replace the builder's; a style only the builder defines stays."""
from __future__ import annotations

import copy

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn


def use_reference_styles(doc, path: str) -> None:
    reference = Document(path)
    ours, theirs = doc.styles.element, reference.styles.element
    for tag in ("w:docDefaults", "w:latentStyles"):
        mine, given = ours.find(qn(tag)), theirs.find(qn(tag))
        if mine is not None and given is not None:
            mine.addprevious(copy.deepcopy(given))
            ours.remove(mine)
    by_id = {s.get(qn("w:styleId")): s for s in ours.findall(qn("w:style"))}
    for style in theirs.findall(qn("w:style")):
        mine = by_id.get(style.get(qn("w:styleId")))
        if mine is not None:
            mine.addprevious(copy.deepcopy(style))
            ours.remove(mine)
        else:
            ours.append(copy.deepcopy(style))
    _copy_office_theme(doc, reference)


def _copy_office_theme(doc, reference) -> None:
    """The reference's theme part (its theme fonts and colours, which its styles may name)."""
    def theme_part(document):
        for rel in document.part.rels.values():
            if rel.reltype == RT.THEME:
                return rel.target_part
        return None
    mine, given = theme_part(doc), theme_part(reference)
    if mine is not None and given is not None:
        mine._blob = given.blob
