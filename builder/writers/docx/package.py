"""The .docx file itself: python-docx's parts zipped with fixed times (python-docx stamps
the current time), each entry compressed once. Compressing the charts' PNGs and the
styles is most of the zipping and they rarely change: their compressed bytes are kept
in the cache. The zip is written as zipfile writes it (tests/writers/test_docx_package.py
compares the two), so that it can take compressed bytes as they are."""
from __future__ import annotations

import hashlib
import io
import struct
import zlib
from datetime import datetime

from docx.opc.pkgwriter import PackageWriter

from builder.cache import Cache

NAMESPACE = "docx-parts"
KEPT = ("word/media/", "word/styles.xml")   # entries whose compressed bytes the cache keeps
VERSION = 20          # zip 2.0: deflate
UNIX = 3              # the system that made the file, as zipfile says off Windows (the same file everywhere)
DEFLATED = 8
PERMISSIONS = 0o600 << 16   # rw------- , as zipfile gives an entry written from bytes


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


def docx_bytes(doc, when: datetime, cache: Cache) -> bytes:
    """The saved document, its zip entries stamped `when`."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = _Entries()
    PackageWriter._write_content_types_stream(entries, parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    PackageWriter._write_parts(entries, parts)
    return zip_bytes([(name, blob, _compressed(name, blob, cache)) for name, blob in entries.items], when)


class _Entries:
    """Where python-docx's package writer writes: each entry's name and bytes, in order."""

    def __init__(self):
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))


def compress(blob: bytes) -> bytes:
    """Raw deflate at zipfile's default level."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(blob) + compressor.flush()


def _compressed(name: str, blob: bytes, cache: Cache) -> bytes:
    path = cache.file(NAMESPACE, hashlib.sha256(blob).hexdigest() + ".deflate") if name.startswith(KEPT) else None
    if path is not None and path.is_file() and cache.verified(path):
        return path.read_bytes()
    data = compress(blob)
    if path is not None:
        try:
            cache.keep(path, data)
        except OSError:   # a read-only or full cache folder only costs speed
            pass
    return data


def zip_bytes(entries: list[tuple[str, bytes, bytes]], when: datetime) -> bytes:
    """A zip of (name, bytes, deflated bytes) entries, byte for byte as zipfile writes
    ZipInfo(name, when) entries deflated into a new seekable file."""
    out = io.BytesIO()
    date = (when.year - 1980) << 9 | when.month << 5 | when.day
    time = when.hour << 11 | when.minute << 5 | when.second // 2
    central = []
    for name, blob, data in entries:
        encoded, flags = (name.encode("ascii"), 0) if name.isascii() else (name.encode(), 0x800)
        fields = (flags, DEFLATED, time, date, zlib.crc32(blob), len(data), len(blob), len(encoded))
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", VERSION, UNIX, VERSION, 0, *fields, 0, 0, 0,
                                   0, PERMISSIONS, out.tell()) + encoded)
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", VERSION, 0, *fields, 0) + encoded)
        out.write(data)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()
