"""The document's styles, font table and Office theme, made once per theme and paper and
kept in the cache as their XML (making them with python-docx is a tenth of a DOCX)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

from builder.cache import cache_key
from builder.context import BuildContext
from builder.model import Theme
from builder.writers.docx.cached import NAMESPACE, load_entry
from builder.writers.docx.reference import use_reference_styles
from builder.writers.docx.styles import setup_styles


def set_looks(doc, theme: Theme, ctx: BuildContext) -> None:
    """The styles of `theme` (and of its reference document) in `doc`, whose paper is set."""
    reference = theme.reference_docx
    given = hashlib.sha256(Path(reference).read_bytes()).hexdigest() if reference else ""
    path = ctx.cache.file(NAMESPACE, cache_key(NAMESPACE, "looks", theme, given, ctx.options) + ".json")
    parts = _parts(doc)
    entry = load_entry(ctx.cache, path) if path else None
    if entry is not None and set(entry) == set(parts) and all(isinstance(v, str) for v in entry.values()):
        for name, part in parts.items():
            if name == "styles":
                part._element = parse_xml(entry[name].encode())
            else:
                part._blob = entry[name].encode()
        return
    setup_styles(doc, theme)
    if reference:
        use_reference_styles(doc, reference)
    if path is not None:
        try:
            ctx.cache.keep(path, json.dumps({n: p.blob.decode() for n, p in parts.items()}, ensure_ascii=False).encode())
        except OSError:   # a read-only or full cache folder only costs speed
            pass


def _parts(doc) -> dict:
    """The parts the looks are in: styles (XML), font table and theme (bytes)."""
    found = {"styles": doc.part._styles_part}
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.FONT_TABLE, RT.THEME):
            found["fonts" if rel.reltype == RT.FONT_TABLE else "theme"] = rel.target_part
    return found
