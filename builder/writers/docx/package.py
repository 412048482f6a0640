"""The .docx file itself: python-docx's parts zipped with fixed times (python-docx stamps
the current time), each entry compressed once; the charts' PNGs, compressed already, are
stored as they are (deflating them again was most of the zipping and gained nothing)."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx.opc.pkgwriter import PackageWriter


def remember_image_digests(doc) -> None:
    """python-docx hashes every image of the document each time a picture is added (to
    share one part between identical pictures): hash each once."""
    images = doc.part.package.image_parts
    digests: dict = {}

    def get_by_sha1(sha1: str):
        for part in images:
            if part not in digests:
                digests[part] = part.sha1
            if digests[part] == sha1:
                return part
        return None
    images._get_by_sha1 = get_by_sha1


def docx_bytes(doc, when: datetime) -> bytes:
    """The saved document, its zip entries stamped `when`."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = _Entries()
    PackageWriter._write_content_types_stream(entries, parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    PackageWriter._write_parts(entries, parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for name, blob in entries.items:
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED if name.startswith("word/media/") else zipfile.ZIP_DEFLATED
            zipped.writestr(entry, blob)
    return out.getvalue()


class _Entries:
    """Where python-docx's package writer writes: each entry's name and bytes, in order."""

    def __init__(self):
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))
