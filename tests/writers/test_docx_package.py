"""The DOCX's zip: fixed times, XML deflated, the PNGs (compressed already) stored."""
import zipfile


def test_entries_have_fixed_times_and_pictures_are_stored(sample_docx):
    path, report = sample_docx["zh"]
    with zipfile.ZipFile(path) as zipped:
        assert zipped.testzip() is None
        infos = zipped.infolist()
    assert {info.date_time for info in infos} == {(report.year + 1, 1, 1, 0, 0, 0)}
    pictures = [info for info in infos if info.filename.startswith("word/media/")]
    assert pictures and all(info.compress_type == zipfile.ZIP_STORED for info in pictures)
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos if info not in pictures)
