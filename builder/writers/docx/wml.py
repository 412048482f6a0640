"""Raw WordprocessingML for what python-docx has no API for: fields, and elements that
must be inserted at their place in the schema's child order."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

# Children of w:pPr that come after w:pBdr.
AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
              "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
              "w:rPr", "w:sectPr", "w:pPrChange")
# Children of w:sectPr that come after w:pgNumType.
AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                   "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                   "w:sectPrChange")

_ROOT_TAG = re.compile(r"^<([\w:]+)")


def wml(markup: str):
    """Parse a WordprocessingML fragment written without its namespace declaration."""
    return parse_xml(_ROOT_TAG.sub(lambda m: f'<{m[1]} {nsdecls("w")}', markup, count=1))


def field(instruction: str, result: list) -> list:
    """The runs of a complex field: begin, `instruction`, separate, `result` (w:r elements,
    what Word shows until it updates the field, and what LibreOffice shows), end."""
    return [wml('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'),
            wml(f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'),
            wml('<w:r><w:fldChar w:fldCharType="separate"/></w:r>'),
            *result,
            wml('<w:r><w:fldChar w:fldCharType="end"/></w:r>')]
