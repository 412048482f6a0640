"""The words the builder itself prints, per language: labels of figures and tables,
titles of the parts it makes, an extract's title block, words for a change between
years. Content never has to spell these; translators of the tool find them here."""

CONTENTS = {"zh": "目录", "en": "Contents"}
SOURCES = {"zh": "数据来源", "en": "Data sources"}

LABELS = {
    "zh": {"figure": "图", "table": "表", "source": "资料来源：", "sep": "；", "end": "。"},
    "en": {"figure": "Figure", "table": "Table", "source": "Source: ", "sep": "; ", "end": "."},
}
# A cross-reference to a chapter ({numref}`02-beta`), around the number its heading prints.
CHAPTER_REF = {"zh": "第{}章", "en": "Chapter {}"}

# Words for a change between years, chosen by its direction: (rose, fell, unchanged).
CHANGE = {
    "up_down": {"zh": ("增加", "减少", "持平"), "en": ("up", "down", "unchanged")},
    "vs_prev": {"zh": ("高于", "低于", "等于"), "en": ("up from", "down from", "unchanged from")},
    "increase": {"zh": ("增长", "下降", "持平"), "en": ("an increase", "a decrease", "no change")},
}

# Printed on every page of a draft edition (`report data rehearse`: made-up data); a
# bilingual edition prints both, joined by DRAFT_SEP.
DRAFT = {"zh": "排练稿 · 虚构数据", "en": "Rehearsal draft · made-up data"}
DRAFT_SEP = " / "

EXTRACT = {
    "zh": {"kicker": "报告节选", "sep": " · ",
           "editions": {"zh": "中文版", "en": "英文版", "bilingual": "中英双语版"},
           "note": "章节、图表和注释编号与报告全文一致。",
           "pages": "页码与报告全文一致；", "other": "文中提及的其他章节见报告全文。"},
    "en": {"kicker": "Extract from the report", "sep": " · ",
           "editions": {"zh": "Chinese edition", "en": "English edition", "bilingual": "Bilingual edition"},
           "note": "Chapter, figure, table and note numbers are those of the full report.",
           "pages": "Page numbers are those of the full report. ",
           "other": " Other chapters referred to are in the full report."},
}

# Claims typed in the prose that depend on the data, which `report check` warns about
# (builder/analysis/typed.py), per language and kind. Each entry is a phrase, matched as
# written (English: whole words, any case, any run of blanks for a space) with slots:
#   {n}   a numeral word: 一…十 两 几 数 半 百 / one…ten, several, a few
#   {ord} an ordinal: 第一…第十, 第 + digits / first…tenth, 1st, 2nd…
#   {q}   a quantity: digits or a numeral word (so 接近四成 and "nearly 800" are flagged,
#         接近人类 and 约占 {{ x }} are not: a qualifier before a placeholder is quiet)
#   {v}   a placeholder, {{ … }}
# The rule of the list: an entry is a word or phrase whose truth can change with next
# year's numbers (a share, a multiple, a trend, a rank, an approximation). Ordinals count
# only in rank contexts (居第二, 第五位, ranks fifth, second only to), never as structure
# (第一章, 第四次, 第一，… / First, …; the first company to…). A match inside one of
# TYPED_EXCEPTIONS is not a claim (领先企业 are "leading firms", not a rank), nor one that
# overlaps it (合约两个方向 is "two directions of smart contracts", not 约两).
TYPED_CLAIMS = {
    "zh": {
        "share": ("超过一半", "过半", "近半", "一半", "半数", "{n}分之{n}", "{n}成"),
        "multiple": ("{n}倍", "倍增", "成倍", "翻番", "翻了{n}番", "翻{n}番"),
        "trend": ("稳步增长", "持续增长", "快速增长", "迅速增长", "高速增长", "明显增加", "明显减少",
                  "持续下降", "不断扩大", "规模扩大", "逐年", "大幅", "明显提速", "又新增"),
        "rank": ("居首", "之首", "首位", "位居前列", "名列前茅", "退居", "领先", "居{ord}", "列{ord}",
                 "排名{ord}", "排{ord}", "{ord}位", "{ord}名", "世界{ord}", "全国{ord}", "全球{ord}",
                 "{ord}与{ord}", "排名前{n}", "前{n}名", "前{n}位", "前{n}的"),
        "superlative": ("最多", "最少", "最高", "最低"),
        "approximation": ("接近{q}", "约占{q}", "约{q}", "将近{q}", "近{n}成"),
    },
    "en": {
        "share": ("more than half", "over half", "less than half", "fewer than half", "about half",
                  "nearly half", "almost half", "half of", "a third", "a quarter", "a fifth",
                  "two thirds", "three quarters", "{n} in {n}", "{n} out of {n}"),
        "multiple": ("twice", "doubled", "doubling", "tripled", "quadrupled", "halved",
                     "{n} times", "{n}-fold", "several-fold", "threefold", "tenfold"),
        "trend": ("steady", "steadily", "rose every year", "grew every year", "rising every year",
                  "year after year", "year by year", "continued to grow", "continued to rise",
                  "keeps growing", "kept growing", "rapid growth", "grew rapidly", "rose rapidly",
                  "rose sharply", "fell sharply", "surged", "soared", "gathered pace", "more were added"),
        "rank": ("leads with", "lead with", "leads in", "lead in", "in the lead", "ranks {ord}",
                 "ranked {ord}", "ranking {ord}", "rank {ord}", "comes {ord}", "came {ord}",
                 "comes only {ord}", "came only {ord}", "{ord} place", "{ord} only to",
                 "{ord}-largest", "{ord} largest", "{ord} with {v}", "{ord} at {v}",
                 "{ord} in the world", "{ord} worldwide", "{ord} in China", "top {n}", "among the top"),
        "superlative": ("the highest", "the lowest", "the largest share", "the largest number",
                        "the biggest share"),
        "approximation": ("nearly {q}", "almost {q}", "close to {q}", "about {q}", "around {q}",
                          "roughly {q}"),
    },
}
TYPED_EXCEPTIONS = {
    "zh": ("领先企业", "领先的企业", "最高人民法院", "一成不变", "合约", "条约", "公约", "签约", "预约",
           "节约", "制约", "契约"),
    "en": ("a third party", "a third-party", "a quarter of a century", "first half of",
           "second half of", "close to one another", "one in one"),
}

# Ordinals: English words up to ten, then digits with a suffix (11th, 21st, 22nd).
ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
               "ninth", "tenth")
ORDINAL_ZH = "第{n}"      # 第 + Chinese numeral: 第一, 第十一

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
# A date value printed whole, or in part ({{ d.month_year }}, {{ d.month }}, {{ d.month_day }}).
DATES = {
    "zh": {"day": "{y} 年 {m} 月 {d} 日", "month_year": "{y} 年 {m} 月", "month": "{m} 月",
           "month_day": "{m} 月 {d} 日"},
    "en": {"day": "{M} {d}, {y}", "month_year": "{M} {y}", "month": "{M}", "month_day": "{M} {d}"},
}

# Under a chart, before its note (figures.toml `note`); after a label, the year of a
# point taken at its own year (figures.toml `indicators = ["startups@2015"]`).
FIGURE_NOTE = {"zh": "注：", "en": "Note: "}
AT_YEAR = {"zh": "（{year} 年）", "en": " ({year})"}

# `{{ x.approx }}`: the fractions a percentage is rounded to, (percent, zh, en), and the
# qualifier put before the fraction.
FRACTIONS = (
    ("10", "一成", "a tenth"), ("20", "两成", "a fifth"), ("25", "四分之一", "a quarter"),
    ("30", "三成", "three in ten"), ("100/3", "三分之一", "a third"), ("40", "四成", "two in five"),
    ("50", "一半", "half"), ("60", "六成", "three in five"), ("200/3", "三分之二", "two thirds"),
    ("70", "七成", "seven in ten"), ("75", "四分之三", "three quarters"), ("80", "八成", "four in five"),
    ("90", "九成", "nine in ten"),
)
APPROX = {
    "zh": {"about": "约{f}", "nearly": "接近{f}", "over": "超过{f}", "under": "不到{f}"},
    "en": {"about": "about {f}", "nearly": "nearly {f}", "over": "more than {f}", "under": "less than {f}"},
}

# `{{ a.times(b) }}`: how many times b a is. Every Chinese form starts with a Chinese
# character (约 1.4 倍, not 1.4 倍), so the text before it never needs a space.
TIMES = {
    "zh": {2: "约两倍", 3: "约三倍", "several": "数倍", "ten": "十倍以上", "number": "约 {n} 倍"},
    "en": {2: "about twice", 3: "about three times", "several": "several times",
           "ten": "more than ten times", "number": "{n} times"},
}

# `{{ x.growth_since(2015) }}`: growth between two years in words. Chinese "增长了 N 倍"
# counts the increase (N = ratio - 1), English "N-fold" the ratio.
GROWTH = {
    "zh": {2: "翻了一番", 4: "翻了两番", "fold": "增长了约 {n} 倍", "rose": "增长了 {p}%",
           "fell": "下降了 {p}%", "same": "保持不变"},
    "en": {2: "doubled", 4: "quadrupled", "fold": "grew about {n}-fold", "rose": "grew by {p}%",
           "fell": "fell by {p}%", "same": "stayed the same"},
}

# `{{ x.trend }}`: the shape of a series of yearly values.
TRENDS = {
    "zh": {"rose": "持续增长", "fell": "持续下降", "rose_fell": "先升后降", "fell_rose": "先降后升",
           "mixed": "有升有降", "same": "保持不变", "rose_flat": "稳中有升", "fell_flat": "稳中有降"},
    "en": {"rose": "rose every year", "fell": "fell every year", "rose_fell": "rose, then fell",
           "fell_rose": "fell, then rose", "mixed": "rose and fell", "same": "stayed the same",
           "rose_flat": "rose or held steady", "fell_flat": "fell or held steady"},
}

# `each(a, b, unit=...)`: one number for several things.
EACH = {
    "zh": {"equal": "各 {v}", "list": "分别为 {v}", "sep": "、", "and": "和"},
    "en": {"equal": "{v} each", "list": "{v} respectively", "sep": ", ", "and": " and "},
}

# The bilingual edition as one book (transforms/bilingual.py): a zh text and its en partner
# on one line, and the page labels of its cover and parts.
BILINGUAL_SEP = " · "
BOOK_LABELS = {"cover": "封面 Cover", "title": "节选 Extract"}
