"""A TrueType (glyf) font of some characters of a font file, which reportlab needs: Debian's
Noto CJK fonts are CFF collections (builder.fonts makes the CJK subsets with it).

Built directly rather than with fontTools' subsetter and then converted: the subsetter
interprets every CFF charstring three times (closure, desubroutinizing, drawing) and the
conversion compiles the glyphs twice, while reportlab needs only outlines, metrics and a
character map (it does no shaping). Each glyph is drawn and compiled once and kept in a
store (builder.fonts keeps it in the cache), so that a subset with one new character
costs that character, not the whole set again. The font is assembled from the store
alone, so it is the same bytes whichever glyphs were drawn when.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from builder.cache import Cache


@dataclass(frozen=True)
class StoredGlyph:
    data: bytes          # the compiled glyf record
    advance: int
    bounds: tuple[int, int, int, int] | None   # xMin, yMin, xMax, yMax; None: no outline
    points: int
    contours: int
    glyph_id: int        # in the source: a subset's glyphs are in the source's order


def draw_glyphs(source, glyphs: dict[str, int]) -> dict[str, StoredGlyph]:
    """The glyphs of fontTools TTFont `source` named (name -> glyph id) in `glyphs`, as
    quadratic glyf records. A CFF font's are drawn from their charstrings, read by glyph
    id, and their advances from the hmtx table's bytes: fontTools would first read the
    names, charstring offsets (and for a glyph set the metrics) of all 65,000 glyphs of
    a CJK font."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cubic = "glyf" not in source
    if cubic:
        charstring, hmtx, metrics = _charstrings(source), source.reader["hmtx"], source["hhea"].numberOfHMetrics
        outline = lambda name, gid: charstring(gid)   # noqa: E731
        advance = lambda name, gid: struct.unpack_from(">H", hmtx, 4 * min(gid, metrics - 1))[0]   # noqa: E731
    else:
        glyph_set, hmtx = source.getGlyphSet(), source["hmtx"]
        outline = lambda name, gid: glyph_set[name]   # noqa: E731
        advance = lambda name, gid: hmtx[name][0]   # noqa: E731
    drawn = {}
    for name, gid in glyphs.items():
        pen = TTGlyphPen(None)
        outline(name, gid).draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True) if cubic else pen)
        glyph = pen.glyph()
        contours = glyph.numberOfContours
        if contours:
            glyph.recalcBounds(None)
        drawn[name] = StoredGlyph(glyph.compile(None, recalcBBoxes=False), advance(name, gid),
                                  (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) if contours else None,
                                  len(glyph.coordinates) if contours else 0, max(contours, 0), gid)
    return drawn


def _charstrings(source):
    """Glyph id -> the CFF font's charstring of that glyph, read from its CharStrings
    INDEX (count, offset size, offsets, data) and given its private dict (a CID-keyed
    font's, through FDSelect, is its glyph's font dict's)."""
    from fontTools.misc.psCharStrings import T2CharString

    cff = source["CFF "].cff
    top = cff.topDictIndex[0]
    file, start = top.file, top.rawDict["CharStrings"]
    file.seek(start)
    count, size = struct.unpack(">HB", file.read(3))
    data = start + 2 + (count + 1) * size   # an INDEX's offsets count from 1

    def charstring(gid: int):
        file.seek(start + 3 + gid * size)
        raw = file.read(2 * size)
        begin, end = int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
        file.seek(data + begin)
        program = file.read(end - begin)   # (before the private dict: reading that moves the file)
        private = top.FDArray[top.FDSelect[gid]].Private if hasattr(top, "ROS") else top.Private
        return T2CharString(program, private=private, globalSubrs=cff.GlobalSubrs)
    return charstring


def glyph_names(source, chars: set[str] | None, cache: Cache | None = None,
                key: str | None = None) -> dict[int, tuple[str, int]]:
    """Code point -> (glyph name, glyph id), for the characters of `chars` (None: all)
    that `source` has. `key`: where `cache` keeps the whole cmap (decompiling a CJK
    font's takes a third of a second)."""
    cmap = cache.load("fonts", key) if key else None
    if cmap is None:
        cmap = {code: (name, source.getGlyphID(name)) for code, name in source.getBestCmap().items()}
        if key:
            cache.store("fonts", key, cmap)
    if chars is None:
        return dict(cmap)
    return {ord(c): cmap[ord(c)] for c in chars if ord(c) in cmap}


def assemble(source, mapping: dict[int, str], store: dict[str, StoredGlyph], postscript_name: str):
    """A new fontTools TTFont of the glyphs of `mapping` (all in `store`), with the
    vertical metrics and names of `source`, named `postscript_name`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    # In the source's glyph order, so the result does not depend on how chars was made.
    order = [".notdef", *sorted(set(mapping.values()) - {".notdef"}, key=lambda name: store[name].glyph_id)]
    glyphs = {name: store[name] for name in order}
    head, hhea = source["head"], source["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    font = builder.font
    # Bounds and maxima come from the store: glyphs are not decompiled to compute them.
    font.recalcBBoxes = False
    font.recalcTimestamp = False   # else the head's date is the time of saving
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(mapping)
    font["loca"], font["glyf"] = newTable("loca"), newTable("glyf")   # (setupGlyf would decompile them)
    font["glyf"].glyphs = {name: Glyph(g.data) for name, g in glyphs.items()}
    font["glyf"].glyphOrder = order
    builder.setupHorizontalMetrics({n: (g.advance, g.bounds[0] if g.bounds else 0) for n, g in glyphs.items()})
    drawn = [g for g in glyphs.values() if g.bounds] or [StoredGlyph(b"", 0, (0, 0, 0, 0), 0, 0, 0)]
    x_min, y_min = min(g.bounds[0] for g in drawn), min(g.bounds[1] for g in drawn)
    x_max, y_max = max(g.bounds[2] for g in drawn), max(g.bounds[3] for g in drawn)
    builder.setupHorizontalHeader(
        ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap,
        advanceWidthMax=max(g.advance for g in glyphs.values()), minLeftSideBearing=x_min,
        minRightSideBearing=min(g.advance - g.bounds[2] for g in drawn), xMaxExtent=x_max)
    builder.setupHead(unitsPerEm=head.unitsPerEm, fontRevision=head.fontRevision, created=head.created,
                      modified=head.modified, macStyle=head.macStyle, lowestRecPPEM=head.lowestRecPPEM,
                      xMin=x_min, yMin=y_min, xMax=x_max, yMax=y_max)
    font["name"] = source["name"]
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = postscript_name
    font["OS/2"] = source["OS/2"]
    builder.setupMaxp()
    font["maxp"].maxPoints = max(g.points for g in glyphs.values())
    font["maxp"].maxContours = max(g.contours for g in glyphs.values())
    builder.setupPost()
    return font
