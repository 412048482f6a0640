"""A TrueType (glyf) font of some characters of a font file, which reportlab needs: Debian's
Noto CJK fonts are CFF collections (builder.fonts makes the CJK subsets with it).

Built directly rather than with fontTools' subsetter and then converted: the subsetter
interprets every CFF charstring three times (closure, desubroutinizing, drawing) and the
conversion compiles the glyphs twice, while reportlab needs only outlines, metrics and a
character map (it does no shaping). Here each glyph is drawn once, at a third of the time.
"""
from __future__ import annotations


def truetype_subset(source, chars: set[str], postscript_name: str):
    """A new fontTools TTFont holding the glyphs of `chars` (those `source` has) with their
    advance widths, as quadratic glyf outlines, named `postscript_name`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cmap = source.getBestCmap()
    mapping = {ord(c): cmap[ord(c)] for c in chars if ord(c) in cmap}
    # In the source's glyph order, so the result does not depend on how chars was made.
    order = [".notdef", *sorted(set(mapping.values()) - {".notdef"}, key=source.getGlyphID)]
    glyph_set = source.getGlyphSet()
    cubic = "glyf" not in source
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True) if cubic else pen)
        glyphs[name] = pen.glyph()

    head, hhea = source["head"], source["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.font.recalcTimestamp = False   # else the head's date is the time of saving
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(mapping)
    builder.setupGlyf(glyphs)
    glyf = builder.font["glyf"]
    hmtx = source["hmtx"]
    builder.setupHorizontalMetrics({n: (hmtx[n][0], getattr(glyf[n], "xMin", 0)) for n in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    builder.setupHead(unitsPerEm=head.unitsPerEm, fontRevision=head.fontRevision, created=head.created,
                      modified=head.modified, macStyle=head.macStyle, lowestRecPPEM=head.lowestRecPPEM)
    builder.font["name"] = source["name"]
    for record in builder.font["name"].names:
        if record.nameID == 6:
            record.string = postscript_name
    builder.font["OS/2"] = source["OS/2"]
    builder.setupMaxp()
    builder.setupPost()
    return builder.font
