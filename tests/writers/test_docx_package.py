"""The DOCX's zip is written by hand (so that kept compressed bytes go in as they are): it
must be byte for byte what zipfile writes."""
import io
import zipfile
from datetime import datetime

from builder.cache import Cache
from builder.writers.docx.package import _compressed, compress, zip_bytes


def test_zip_bytes_are_zipfiles():
    when = datetime(2020, 1, 1)
    entries = [("[Content_Types].xml", b"<Types/>"), ("word/media/image1.png", bytes(range(256)) * 300),
               ("word/名字.xml", "中文".encode() * 1000), ("empty", b"")]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, blob in entries:
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(entry, blob)
    assert zip_bytes([(name, blob, compress(blob)) for name, blob in entries], when) == expected.getvalue()


def test_compressed_pictures_come_from_the_cache_and_a_damaged_one_is_made_again(tmp_path):
    cache = Cache(tmp_path)
    blob = b"png" * 1000
    assert _compressed("word/media/image1.png", blob, cache) == compress(blob)
    [kept] = (tmp_path / "docx-parts").glob("*.deflate")
    kept.write_bytes(b"planted")
    assert _compressed("word/media/image1.png", blob, cache) == compress(blob)
    assert _compressed("word/document.xml", blob, cache) == compress(blob)
    assert len(list((tmp_path / "docx-parts").glob("*.deflate"))) == 1   # the body is not kept
