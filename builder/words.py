"""The words the builder itself prints, per language: labels of figures and tables,
titles of the parts it makes, an extract's title block, words for a change between
years. Content never has to spell these; translators of the tool find them here."""

CONTENTS = {"zh": "目录", "en": "Contents"}
SOURCES = {"zh": "数据来源", "en": "Data sources"}

LABELS = {
    "zh": {"figure": "图", "table": "表", "source": "资料来源：", "sep": "；", "end": "。"},
    "en": {"figure": "Figure", "table": "Table", "source": "Source: ", "sep": "; ", "end": "."},
}

# Words for a change between years, chosen by its direction: (rose, fell, unchanged).
CHANGE = {
    "up_down": {"zh": ("增加", "减少", "持平"), "en": ("up", "down", "unchanged")},
    "vs_prev": {"zh": ("高于", "低于", "等于"), "en": ("up from", "down from", "unchanged from")},
    "increase": {"zh": ("增长", "下降", "持平"), "en": ("an increase", "a decrease", "no change")},
}

EXTRACT = {
    "zh": {"kicker": "报告节选", "data": "{year} 年数据", "sep": " · ",
           "editions": {"zh": "中文版", "en": "英文版", "bilingual": "中英双语版"},
           "note": "章节、图表和注释编号与报告全文一致。",
           "pages": "页码与报告全文一致；", "other": "文中提及的其他章节见报告全文。"},
    "en": {"kicker": "Extract from the report", "data": "{year} data", "sep": " · ",
           "editions": {"zh": "Chinese edition", "en": "English edition", "bilingual": "Bilingual edition"},
           "note": "Chapter, figure, table and note numbers are those of the full report.",
           "pages": "Page numbers are those of the full report. ",
           "other": " Other chapters referred to are in the full report."},
}
