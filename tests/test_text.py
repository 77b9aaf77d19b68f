"""Cleaning, on the real seed documents: each named step, and the offsets back to the original."""

from __future__ import annotations

import re

import pytest
from conftest import seed_text

from analysis.lexicon import domain_pattern
from analysis.text import (
    STEPS,
    Aligned,
    classify_lines,
    clean,
    find_repeats,
    fold_width,
    split_sentences,
    strip_pinyin,
    to_simplified,
)

PINYIN_LEFT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def cleaned(prefix: str) -> Aligned:
    return clean(seed_text(prefix), domain=domain_pattern())


def test_001_is_simplified_without_pinyin():
    text = cleaned("001").text
    assert "景洪市总工会" in text
    assert "覆盖职工4.6万余人" in text
    assert not PINYIN_LEFT.search(text)
    assert to_simplified(Aligned.of(text)).text == text  # nothing Traditional left
    assert "(街道)" in text  # a real parenthesis is kept


def test_offsets_point_into_the_original():
    raw = seed_text("001")
    a = cleaned("001")
    start = a.text.index("覆盖职工4.6万余人")
    s, e = a.original_span(start, start + len("覆盖职工4.6万余人"))
    assert raw[s:e] == "覆蓋職工4.6萬(wàn)余人"


def test_004_ends_with_the_union_article():
    text = cleaned("004").text
    assert text.endswith("使工会信息工作实现新突破。")
    for other in ("湿地", "宫颈癌", "妇女联合会", "李文龙"):
        assert other not in text


def test_000_has_no_forum_clutter_and_flags_the_repeat():
    text = cleaned("000").text
    for clutter in ("浏览16004", "回复", "提交评论", "举报内容", "靖西网jx10001"):
        assert clutter not in text
    assert text.startswith("为持续深化县级工会改革创新")
    repeats = find_repeats(text)
    repeated = [text[s:e] for s, e, _ in repeats]
    assert any("吸收新就业形态劳动者会员200多人" in r for r in repeated)
    s, _, first = repeats[0]
    assert first < s and text[first : first + 10] == text[s : s + 10]


def test_002_page_furniture_is_gone():
    text = cleaned("002").text
    assert text.startswith("秦巴腹地、汉水之滨")
    for clutter in (
        "ICP备",
        "责任编辑",
        "分享到",
        "'); })();",
        "字体",
        "陕西工人报官方网站",
        "本报记者",
    ):
        assert clutter not in text
    assert text.endswith("作出新贡献。")


def test_003_previous_next_links_are_gone():
    text = cleaned("003").text
    assert "上一篇" not in text and "下一篇" not in text
    assert text.endswith("通过奋斗实现梦想。")


FULL_WIDTH = str.maketrans("0123456789,%", "０１２３４５６７８９，％")

# Real text in which each step has something to do: (step, document text).
STEP_CASES = {
    "drop_controls": lambda: seed_text("000").replace("。", "。\x00", 3),  # NULs of a bad converter
    "normalize_newlines": lambda: seed_text("000").replace("\n", "\r"),  # old Mac line ends
    "strip_pinyin": lambda: seed_text("001"),
    "to_simplified": lambda: seed_text("001"),
    "fold_width": lambda: seed_text("000").translate(FULL_WIDTH),
    "drop_clutter": lambda: seed_text("002"),
    "join_wrapped_lines": lambda: WRAPPED,
}


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_can_be_switched_off(step):
    raw = STEP_CASES[step]()
    full = clean(raw, domain=domain_pattern()).text
    without = clean(raw, steps=[s for s in STEPS if s != step], domain=domain_pattern()).text
    assert without != full


def test_cleaning_full_width_text_gives_the_same_article():
    assert clean(STEP_CASES["fold_width"](), domain=domain_pattern()).text == cleaned("000").text


def test_cleaning_crlf_text_gives_the_same_article():
    crlf = seed_text("000").replace("\n", "\r\n")
    assert clean(crlf, domain=domain_pattern()).text == cleaned("000").text
    assert (
        clean(STEP_CASES["normalize_newlines"](), domain=domain_pattern()).text
        == cleaned("000").text
    )


def test_steps_keep_the_clutter_when_asked():
    text = clean(seed_text("002"), steps=["strip_pinyin", "to_simplified", "fold_width"]).text
    assert "ICP备" in text


def test_full_width_digits_and_punctuation_fold():
    a = fold_width(Aligned.of("覆盖职工１３８９５人，覆盖率８０％"))
    assert a.text == "覆盖职工13895人,覆盖率80%"
    assert len(a.origin) == len(a.text)


def test_pinyin_needs_a_tone_mark():
    assert strip_pinyin(Aligned.of("會(huì)員(de)")).text == "會員(de)"


def test_title_line_and_dateline_are_classified():
    a = clean(
        seed_text("004"),
        steps=["normalize_newlines", "strip_pinyin", "to_simplified", "fold_width"],
    )
    kinds = {
        a.text[li.start : li.end].strip(): li.kind
        for li in classify_lines(a.text, domain_pattern())
    }
    assert kinds["阜宁县总工会2015年着力实施“十大工程”"] == "title"
    assert kinds["02.02.2015  16:20"] == "meta"
    assert kinds["中国将与193个国家携手向宫颈癌说“不”"] == "tail"


def test_an_article_on_one_line_loses_only_its_notices():
    """A page that printed its whole article on one line, with the site's notice among its
    sentences: the notice goes, the article stays (it used to go with it)."""
    from analysis.corpus import make_document
    from analysis.facts import extract_facts

    sentence = "全县各级工会积极推进基层组织建设,不断扩大工会组织覆盖面,工作取得新成效。"
    line = (
        "截至2023年底,全县工会会员总数达到5.6万人,基层工会组织860个。"
        + sentence * 4
        + " copyright 某某资讯网 "
        + sentence * 2
        + "全年新建工会组织46家。 版权所有 某某资讯网"
    )
    doc = make_document(line + "\n", "one-line")
    assert "copyright" not in doc.text and "版权所有" not in doc.text
    assert doc.text.startswith("截至2023年底") and "全年新建工会组织46家。" in doc.text
    assert [(f.indicator, f.value) for f in extract_facts(doc)] == [
        ("mem.total", 56000.0),
        ("org.total", 860.0),
        ("org.new", 46.0),
    ]
    short = clean("正文第一段,会员5.6万人。\n版权所有 某某资讯网 未经授权不得转载。\n")
    assert "版权" not in short.text  # a notice on a line of its own goes whole


def test_sentences_split_after_full_stops_and_semicolons():
    text = cleaned("000").text
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert any(
        s.endswith("截至目前,靖西市签订工资专项集体合同(协议)动态保持63份,覆盖职工13895人。")
        for s in sentences
    )
    assert "一是加强理论武装。" in sentences


WRAPPED = (
    "今年以来,县总工会把工会组建作为重点工作,全年新建基层工会\n"
    "组织二十八家,新发展工会会员一千六百人,其中农民工会员九百\n"
    "人;签订工资专项集体合同一百一十份,覆盖企业三百二十家,覆盖\n"
    "职工一万二千人。\n"
    "二、存在的问题\n"
    "部分企业经营困难。"
)


def test_hard_wrapped_paragraphs_are_joined():
    """Text copied from a PDF keeps its line breaks inside words: they go, headings stay."""
    from analysis.text import join_wrapped_lines

    joined = join_wrapped_lines(Aligned.of(WRAPPED))
    assert joined.text.split("\n") == [
        WRAPPED.replace("\n", "", 3).split("\n")[0],
        "二、存在的问题",
        "部分企业经营困难。",
    ]
    at = WRAPPED.index("\n")  # 基层工会|组织: the break is gone, the offsets still point home
    assert joined.text[at - 2 : at + 2] == "工会组织"
    assert joined.original_span(at - 2, at + 2) == (at - 2, at + 3)


def test_lines_of_ordinary_paragraphs_are_not_joined():
    from analysis.text import join_wrapped_lines

    text = "一、工会组建\n全年新建基层工会28家。\n二、会员发展\n新发展会员1600人。\n三、集体协商\n签订集体合同110份。"
    assert join_wrapped_lines(Aligned.of(text)).text == text


def test_no_place_name_is_changed_by_the_script_conversion():
    """乾县 stays 乾县 (t2s would make it 干县): every gazetteer name t2s changes is kept."""
    from analysis import gazetteer
    from analysis.text import KEEP_NAMES, _opencc

    changed = {_opencc().convert(n): n for n in gazetteer.table() if _opencc().convert(n) != n}
    assert changed == KEEP_NAMES
    assert clean("咸陽市乾縣總工會").text == "咸阳市乾县总工会"


def test_headlines_under_a_links_heading_are_not_the_article():
    """Under 相关链接 / 延伸阅读 a page lists other articles' headlines: none of their figures is
    this article's; the first prose line after the list is the page's again."""
    from analysis.corpus import make_document
    from analysis.facts import extract_facts

    page = (
        "某县总工会召开全委会议\n\n"
        "今年全县新建工会组织26家,发展会员1300人。\n\n"
        "{heading}\n"
        "· 某市总工会:明年外资企业工会组建率将达85%\n"
        "· 某区新建快递员工会12家\n"
        "\n"
        "会议还部署了下半年工作,全县将新建工会组织10家。\n"
    )
    for heading in ("相关链接", "【延伸阅读】", "相关新闻:"):
        doc = make_document(page.format(heading=heading), "links")
        assert "组建率" not in doc.text and "快递员" not in doc.text and heading not in doc.text
        assert [(f.indicator, f.value) for f in extract_facts(doc)] == [
            ("org.new", 26.0),
            ("mem.new", 1300.0),
            ("org.new", 10.0),
        ]
    prose = "相关阅读材料已发到各基层工会,全县新建工会组织26家。"
    assert prose in make_document(f"某县工会简讯\n{prose}\n", "not a heading").text


@pytest.mark.parametrize(
    "page, title, published, furniture",
    [
        (
            "本地新闻 东城区 西城区 朝阳区 海淀区 丰台区\n"
            "地方网 > 北京 > 本地新闻 > 正文\n\n"
            "去年全市新建工会组织320家\n\n"
            "来源:某某日报 2019-02-12 08:30\n\n"
            "记者从市总工会获悉,2018年全市新建工会组织320家。\n",
            "去年全市新建工会组织320家",
            "2019-02-12",
            ["东城区 西城区", "正文"],
        ),
        # a section label (要闻速递:) over the headline names the site's section
        (
            "要闻速递:\n\n"
            "我市三项做法入选全省工会工作优秀案例\n"
            "发布时间:2024-03-18   来源:某某晚报  作者:李明\n\n"
            "  记者从市总工会获悉,去年全市新建工会组织210家,发展会员1.4万人。\n",
            "我市三项做法入选全省工会工作优秀案例",
            "2024-03-18",
            ["要闻速递"],
        ),
        # a site's name and a section above the headline; the date is under the headline
        (
            "某某网\n\n"
            "栏目\n\n"
            "基层动态\n\n"
            "全县新建工会组织86家 发展会员5200人\n\n"
            "2023-12-27 10:12:40\n\n"
            "  今年以来,县总工会新建工会组织86家,发展会员5200人。\n",
            "全县新建工会组织86家 发展会员5200人",
            "2023-12-27",
            [],
        ),
        # fields of a catalogue page, and a headline given as 原标题:
        (
            "资源类型: 期刊文章\n"
            "原标题:区总工会推进快递员入会\n"
            "2021-06-30\n\n"
            "  区总工会近日组织快递员集中入会,新发展会员320人。\n",
            "区总工会推进快递员入会",
            "2021-06-30",
            [],
        ),
        # the day the page was read, in the site's banner, is no publication date
        (
            "今天是2025年03月04日,星期二,欢迎您访问某某协会官网\n\n"
            "全区建筑工地建会过半\n\n"
            "信息来源: 某某网  信息提供日期:2019-11-05  浏览:230\n\n"
            "  目前全区已有120个建筑工地建立了工会。\n",
            "全区建筑工地建会过半",
            "2019-11-05",
            ["今天是"],
        ),
    ],
)
def test_page_furniture_above_the_headline_is_not_its_title(page, title, published, furniture):
    """A row of short names (the site's menu), ``A > B > C > 正文`` and a section label are page
    furniture: the headline under them is the title, and the date under the headline is found."""
    from analysis.corpus import make_document

    doc = make_document(page, "page")
    assert doc.meta.title == title
    assert doc.meta.date == published
    assert not any(f in doc.text for f in furniture)


def test_a_reading_time_line_is_no_title():
    """本篇文章538字,读完约1分钟 above a page's text is a site's furniture."""
    from analysis.corpus import make_document

    doc = make_document(
        "本篇文章812字,读完约2分钟\n\n近日,县总工会召开全委会议,部署全年工作。", "t"
    )
    assert "读完" not in (doc.meta.title or "") and "本篇文章" not in doc.text
