import pytest

from builder.readers.markdown import Fence, parse_chapter
from builder.errors import ContentError
from builder.model import Heading, Paragraph


def test_markdown_becomes_blocks_with_inline_footnotes():
    parsed = parse_chapter("# 标题\n\n正文**粗**^[注 *一*]。\n\n## 节\n\n- 甲\n- 乙\n\n```{figure} f1\n```\n",
                           "zh", "c.md")
    assert parsed.title == "标题"
    para, heading, item1, item2, fence = parsed.blocks
    assert [r.text for r in para.runs] == ["正文", "粗", "", "。"]
    assert para.runs[1].bold and para.footnotes[0].number == 1
    assert [r.text for r in para.footnotes[0].runs] == ["注 ", "一"]
    assert isinstance(heading, Heading) and heading.level == 2
    assert (item1.style, item1.bullet, item2.text) == ("list", "•", "乙")
    assert fence == Fence("figure", "f1", 10)


def test_markup_characters_stay_literal():
    parsed = parse_chapter("# T\n\n<b>x</b> &amp; &lt; <script>\n", "en", "c.md")
    assert isinstance(parsed.blocks[0], Paragraph)
    assert parsed.blocks[0].text == "<b>x</b> &amp; &lt; <script>"


def test_soft_breaks_join_chinese_without_space():
    zh = parse_chapter("# T\n\n第一行\n第二行\n", "zh", "c.md")
    en = parse_chapter("# T\n\nline one\nline two\n", "en", "c.md")
    assert zh.blocks[0].text == "第一行第二行"
    assert en.blocks[0].text == "line one line two"


@pytest.mark.parametrize("text, message", [
    ("no title\n", "c.md:1: a chapter starts with its '# title' line"),
    ("# T\n\n# Again\n", "c.md:3: only one '# title' line"),
    ("# T\n\n```python\nx\n```\n", "c.md:3: a fenced block must be"),
    ("# T\n\n![img](../../etc/passwd)\n", "c.md:3: images are not placed in text"),
    ("# T\n\ntext[^1]\n", "c.md:3: footnote [^1] has no text"),
    ("# T\n\ntext[^1]\n\n[^2]: note\n[^1]: note\n", "c.md:5: footnote [^2] is never cited"),
])
def test_content_errors_name_file_and_line(text, message):
    with pytest.raises(ContentError) as info:
        parse_chapter(text, "en", "c.md")
    assert str(info.value).startswith(message)
