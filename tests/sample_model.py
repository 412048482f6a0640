"""A small hand-built report model for writer tests (no Markdown, no data files)."""
from __future__ import annotations

from pathlib import Path

from builder.model import ChartSpec, Chapter, Cover, Figure, Footnote, Heading, Paragraph, Report, Run, Table


def _chapter(lang: str, tmp: Path, long: bool = False) -> Chapter:
    zh = lang == "zh"
    note1 = Footnote(1, [Run("数据中台把数据转化为服务业务的资产。" if zh else
                             "A data middle office turns data into assets that serve the business.")])
    note2 = Footnote(2, [Run("资料来源：中国信通院，2019。" if zh else "Source: CAICT, 2019.")])
    chart = ChartSpec("bar", ["A", "B", "C"], [("2019", [42.5, 16.9, 15.3])], "", "{:.1f}", lang)
    body = ("截至 2019 年底，本报告共发现 797 家中国人工智能企业，约占世界总数的 14.80%。" * 3 if zh else
            "By the end of 2019 this report had found 797 Chinese AI enterprises, about 14.80% of "
            "the world total. " * 3)
    blocks = [
        Heading(2, "（一）" if zh else "1.1", "新挑战" if zh else "New challenges", lang, f"{lang}-1-1"),
        Paragraph([Run(body), Run(footnote=note1), Run("（括号）「引号」。" if zh else " <b>&amp; literal</b>"),
                   Run(footnote=note2)], lang),
        Paragraph([Run("加粗" if zh else "Bold", bold=True), Run("与正文。" if zh else " and plain.")], lang,
                  style="list", bullet="•"),
        Figure("图 1-1" if zh else "Figure 1-1", "企业地区分布" if zh else "Enterprises by region",
               "资料来源：本报告。" if zh else "Source: this report.", chart, 0.8, lang),
        Table("表 1-1" if zh else "Table 1-1", "主要指标" if zh else "Key indicators",
              ["指标", "数值"] if zh else ["Indicator", "Value"],
              [[("企业" if zh else "Enterprises") + str(i), f"{i * 7}"] for i in range(60 if long else 4)],
              ["left", "right"], "资料来源：本报告。" if zh else "Source: this report.", lang),
    ]
    if long:
        blocks += [Paragraph([Run(body)], lang) for _ in range(30)]
    heading = Heading(1, "一、" if zh else "I.", "前言和梗概" if zh else "Introduction and Summary", lang,
                      f"{lang}-1")
    return Chapter("01-introduction", 1, heading, blocks, lang)


def _cover(lang: str) -> Cover:
    if lang == "zh":
        return Cover("中国新一代人工智能科技产业发展报告 2020", "新挑战和机遇下的中国人工智能科技产业发展",
                     "2020 年 6 月 24 日", "中国新一代人工智能发展战略研究院", "zh")
    return Cover("China's New Generation AI Technology Industry Development Report 2020",
                 "Development under New Challenges and Opportunities", "June 24, 2020",
                 "Chinese Institute of New Generation AI Development Strategies", "en")


def sample_report(tmp: Path, edition: str = "zh", long: bool = False) -> Report:
    langs = ["zh", "en"] if edition == "bilingual" else [edition]
    front = [Chapter("front", None, Heading(1, "", "致谢" if l == "zh" else "Acknowledgement", l, f"{l}-ack"),
                     [Paragraph([Run("本报告得到资助。" if l == "zh" else "This report was funded.")], l)], l,
                     in_contents=False) for l in langs]
    chapters = [_chapter(l, tmp, long) for l in langs]
    return Report(edition, langs, 2019, [_cover(l) for l in langs],
                  ["目录" if l == "zh" else "Contents" for l in langs], front, chapters,
                  "刘刚 Liu Gang", {"zh": "中国新一代人工智能科技产业发展报告", "en": "China AI Industry Report"})
