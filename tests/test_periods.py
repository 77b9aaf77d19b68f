"""When: the period a document reports on and the period of each figure, dated to the year the
document reports, not the year it was published in. Documents of our own."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.corpus import make_document
from analysis.facts import extract_facts
from analysis.periods import relative_period, year_period


def periods(doc) -> list[tuple[str, float, str, str, str]]:
    return [
        (f.indicator, f.value, f.modality, f.period_start, f.period_end) for f in extract_facts(doc)
    ]


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("全年", "2021-01-01", "2021-12-31"),
        ("今年", "2021-01-01", "2021-12-31"),
        ("上半年", "2021-01-01", "2021-06-30"),
        ("截至年底", "2021-12-31", "2021-12-31"),
        ("年底", "2021-12-31", "2021-12-31"),
        ("去年", "2020-01-01", "2020-12-31"),
        ("明年", "2022-01-01", "2022-12-31"),
        ("去年年底", "2020-12-31", "2020-12-31"),  # not the end of the year reported
        ("上年末", "2020-12-31", "2020-12-31"),
        ("今年以来", "2021-01-01", "2021-12-31"),  # the period ended before publication
        ("截至目前", "2021-12-31", "2021-12-31"),
        ("今年1-9月", "2021-01-01", "2021-09-30"),
        ("今年1至6月份", "2021-01-01", "2021-06-30"),
        ("前9个月", "2021-01-01", "2021-09-30"),
        ("今年前两个月", "2021-01-01", "2021-02-28"),
        ("前三季度", "2021-01-01", "2021-09-30"),
        ("第二季度", "2021-04-01", "2021-06-30"),
        ("三年来", "2019-01-01", "2021-12-31"),
        ("三年累计", "2019-01-01", "2021-12-31"),  # 三年累计建会2008家: the three years' total
        ("去年11月以来", "2020-11-01", "2021-12-31"),  # since a month, to the end reported
        ("自2021年9月以来", "2021-09-01", "2021-12-31"),
        ("今年3月份以来", "2021-03-01", "2021-12-31"),
        ("2020年4月至今", "2020-04-01", "2021-12-31"),
        ("11月以来", "2021-11-01", "2021-12-31"),  # a month without its year: the year reported
    ],
)
def test_relative_words_count_from_the_year_reported(words, start, end):
    """A 2021 review published on 2022-01-10."""
    p = relative_period(words, date(2022, 1, 10), year_period(2021))
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_a_year_review_published_in_january_reports_the_year_before():
    doc = make_document(
        "县总工会工作总结\n"
        "一年来,县总工会围绕中心、服务大局。全年新建基层工会38家,发展会员1200人。"
        "截至年底,全县会员总数达2.3万人。",
        "r",
        hints={"date": "2020-01-08"},
    )
    assert (doc.meta.kind, doc.meta.period_start, doc.meta.period_end) == (
        "review",
        "2019-01-01",
        "2019-12-31",
    )
    assert periods(doc) == [
        ("org.new", 38, "actual", "2019-01-01", "2019-12-31"),
        ("mem.new", 1200, "actual", "2019-01-01", "2019-12-31"),
        ("mem.total", 23000, "actual", "2019-12-31", "2019-12-31"),
    ]


def test_a_plan_published_in_december_is_for_the_year_after():
    doc = make_document(
        "县总工会工作要点\n全年力争新建基层工会30家,新发展会员1500人。",
        "p",
        hints={"date": "2019-12-20"},
    )
    assert (doc.meta.kind, doc.meta.period_start) == ("plan", "2020-01-01")
    assert periods(doc) == [
        ("org.new", 30, "target", "2020-01-01", "2020-12-31"),
        ("mem.new", 1500, "target", "2020-01-01", "2020-12-31"),
    ]


def test_a_deadline_ahead_of_publication_makes_a_target():
    doc = make_document(
        "据悉,省总工会制定方案,2025年底全省新发展货车司机会员4万人以上。",
        "n",
        hints={"date": "2025-05-20"},
    )
    assert [(f.value, f.modality) for f in extract_facts(doc)] == [(40000, "target")]


def test_last_year_in_news_counts_from_the_year_it_was_published():
    """News dated in the spring: 去年 is the year before publication, not before its period."""
    doc = make_document(
        "市总工会召开新闻发布会\n记者从市总工会获悉,去年全市新建基层工会120家,"
        "截至去年底全市会员总数达45万人。",
        "n",
        hints={"date": "2023-04-18"},
    )
    assert periods(doc) == [
        ("org.new", 120, "actual", "2022-01-01", "2022-12-31"),
        ("mem.total", 450000, "actual", "2022-12-31", "2022-12-31"),
    ]


def test_a_deadline_already_passed_is_a_result():
    doc = make_document(
        "县总工会工作总结\n到2023年底,全县会员总数达到2.6万人。",
        "r",
        hints={"date": "2024-01-15"},
    )
    assert [(f.value, f.modality) for f in extract_facts(doc)] == [(26000, "actual")]


# One county over three years: reviews published in January, a plan published in December.
THREE_YEARS = {
    "2021-review.txt": (
        "2022-01-10",
        "乾县总工会工作总结\n一年来,乾县总工会扎实推进建会入会。全年新建基层工会41家,"
        "新发展会员2600人;截至年底,全县会员总数达3.2万人。",
        2021,
    ),
    "2022-review.txt": (
        "2023-01-12",
        "乾县总工会2022年工作总结\n2022年,全县新建基层工会36家,新发展会员2300人,"
        "全县会员总数达3.4万人,建会率达92%。",
        2022,
    ),
    "2024-plan.txt": (
        "2023-12-20",
        "乾县总工会工作要点\n全年力争新建基层工会30家,新发展会员2000人,全县会员总数达到3.8万人。",
        2024,
    ),
    "2023-review.txt": (
        "2024-01-05",
        "乾县总工会工作总结\n今年以来,全县新建基层工会33家,新发展会员2500人。"
        "目前全县会员总数3.6万人。",
        2023,
    ),
}


def test_a_county_over_three_years_has_every_fact_in_its_year(tmp_path):
    for name, (day, text, _) in THREE_YEARS.items():
        title, body = text.split("\n", 1)
        (tmp_path / name).write_text(f"{title}\n发布时间:{day}\n{body}", encoding="utf-8")
    from analysis.corpus import read_corpus

    corpus = read_corpus(tmp_path)
    assert len(corpus.documents) == 4
    for doc in corpus.documents:
        year = THREE_YEARS[doc.path][2]
        facts = extract_facts(doc)
        assert facts, doc.path
        for f in facts:
            assert f.region == "乾县", (doc.path, f)
            assert f.period_end[:4] == str(year), (doc.path, f.indicator, f.period_end)
        kinds = {f.modality for f in facts}
        assert kinds == ({"target"} if "plan" in doc.path else {"actual"}), doc.path


def test_months_of_this_year_are_not_the_whole_year():
    doc = make_document(
        "市总工会召开全委会。今年1-9月,全市新建工会组织86家,发展会员5200人;提前3个月完成"
        "全年建会任务。",
        "news",
        hints={"date": "2023-10-20"},
    )
    assert periods(doc) == [
        ("org.new", 86.0, "actual", "2023-01-01", "2023-09-30"),
        ("mem.new", 5200.0, "actual", "2023-01-01", "2023-09-30"),
    ]
    # 提前3个月 (three months early) and a range of days are no months of the year.
    assert relative_period("提前3个月完成", date(2023, 10, 20)) is None
    assert relative_period("10月1日至10月7日", date(2023, 10, 20)) is None


def test_a_half_year_review_achieves_this_year_s_figures_by_june():
    """今年 in a half-year review: the results are of January to June, a stock is as of 30 June;
    a target for the year still runs to December."""
    doc = make_document(
        "县总工会2023年上半年工作总结\n发布时间:2023-07-06\n"
        "今年全县新发展会员1200人,全县会员总数达到5.2万人。力争年底前新建工会20家。",
        "half",
    )
    assert periods(doc) == [
        ("mem.new", 1200.0, "actual", "2023-01-01", "2023-06-30"),
        ("mem.total", 52000.0, "actual", "2023-06-30", "2023-06-30"),
        ("org.new", 20.0, "target", "2023-01-01", "2023-12-31"),
    ]


def test_a_news_item_reports_results_up_to_its_publication():
    doc = make_document(
        "全县工会工作取得新成效\n发布时间:2023-09-15\n"
        "今年全县新发展会员1200人,现有会员5.2万人。截至2022年底,全县有会员5万人。",
        "news",
    )
    assert periods(doc) == [
        ("mem.new", 1200.0, "actual", "2023-01-01", "2023-09-15"),
        ("mem.total", 52000.0, "actual", "2023-09-15", "2023-09-15"),
        ("mem.total", 50000.0, "actual", "2022-12-31", "2022-12-31"),
    ]


def test_a_year_review_of_late_december_reports_the_whole_year():
    doc = make_document(
        "县总工会2023年工作总结\n发布时间:2023-12-20\n全年新发展会员1200人。", "late"
    )
    assert periods(doc) == [("mem.new", 1200.0, "actual", "2023-01-01", "2023-12-31")]


def test_a_plan_of_january_reports_results_of_the_years_just_ended():
    """In a 2018 plan published in January 2018, 三年来 is 2015-2017 and a result under no
    period of its own is of 2017; the plan's targets are of 2018."""
    doc = make_document(
        "县总工会2018年工作计划\n发布时间:2018-01-24\n"
        "三年来新建基层工会150家,全县工会会员达7.8万人。已培训职工1100多人。"
        "今年力争新建工会40家。",
        "plan",
    )
    assert periods(doc) == [
        ("org.new", 150.0, "actual", "2015-01-01", "2017-12-31"),
        ("mem.total", 78000.0, "actual", "2017-12-31", "2017-12-31"),
        ("sk.trainees", 1100.0, "actual", "2017-01-01", "2017-12-31"),
        ("org.new", 40.0, "target", "2018-01-01", "2018-12-31"),
    ]


def test_a_survey_dated_early_in_its_year_is_no_plan():
    """Most of 2023 lies after a publication of April 2023, but the figures report what there
    is and nothing planned: a survey, whose figures are actual. A plan of April is a plan."""
    survey = make_document(
        "2023年镇工会组织建设情况调研报告\n发布时间:2023-04-14\n"
        "全镇共有工会会员2736人,入会率93.6%。目前已建工会组织33家。",
        "survey",
    )
    assert survey.meta.kind == "review"
    assert {f.modality for f in extract_facts(survey)} == {"actual"}
    plan = make_document(
        "2023年镇工会组织建设\n发布时间:2023-04-14\n全年力争新建工会组织10家,发展会员300人。",
        "plan",
    )
    assert plan.meta.kind == "plan"
    # News of February on what was done at the Spring Festival: no plan wording, no plan.
    news = make_document(
        "镇总工会开展送温暖活动\n发布时间:2014-02-21\n"
        "镇总工会于2014年春节期间开展送温暖活动。各企业工会走访慰问困难职工110名。",
        "news",
    )
    assert news.meta.kind != "plan"
    assert {f.modality for f in extract_facts(news)} == {"actual"}


def test_funds_obtained_are_no_goal():
    """争取到资金 is money obtained; 争取到2025年底 a goal."""
    doc = make_document(
        "今年,县总工会积极争取到上级帮扶资金20多万元。争取到2025年底建会率达到95%。", "funds"
    )
    assert [(f.indicator, f.modality) for f in extract_facts(doc)] == [
        ("svc.relief_money", "actual"),
        ("org.rate", "target"),
    ]


def test_news_of_january_reports_its_own_month():
    """A news item of 17 January 2012 on the 2012 New Year relief: its results are of January
    2012, not of 2011 (only a plan's results are the year just ended)."""
    doc = make_document(
        "市总工会发放救助金\n发布时间:2012-01-17\n"
        "市总工会日前举行2012年元旦春节困难职工救助资金发放仪式。此次共发放补助款40.7万元。",
        "news",
    )
    assert periods(doc) == [("svc.funds_paid", 407000.0, "actual", "2012-01-01", "2012-01-17")]


def test_the_year_a_work_began_is_no_period_reported():
    """自2003年开展以来 says since when; the news reports on this year, not on 2003."""
    doc = make_document(
        "金秋助学行动今年将投入30万元\n发布时间:2005-08-10\n"
        "“金秋助学”行动自2003年开展以来,已资助困难职工子女1000余名。今年首批20名受助学生"
        "每人收到3000元助学金。",
        "news",
    )
    assert (doc.meta.period_start, doc.meta.period_end) == ("2005-01-01", "2005-12-31")


def test_a_span_of_years_before_its_count_of_years():
    """2015-2017三年内: the three years 2015 to 2017, written without 年 after the second."""
    doc = make_document(
        "省总工会部署农民工入会\n发布时间:2016-04-26\n"
        "今年力争新增农民工会员38万人,2015-2017三年内,共计实现新增农民工会员100万人的目标。",
        "span",
    )
    assert periods(doc) == [
        ("mem.new", 380000.0, "target", "2016-01-01", "2016-12-31"),
        ("mem.new", 1000000.0, "target", "2015-01-01", "2017-12-31"),
    ]


def test_figures_without_plan_words_in_a_news_item_that_plans_are_results():
    """Plan words only in the sentences without figures (要尽最大努力, 将...): the figures, written
    without any, report what was done; a plan without figures is still a plan."""
    doc = make_document(
        "建筑业农民工集中入会\n"
        "推进会当天推动了施工企业的3200余名农民工集体入会。负责人提出,要尽最大努力将农民工吸纳到工会中来。"
        "今后要建立长效机制。下一步将持续推进。该公司此次推动建立18个项目工会联合会。",
        "news",
    )
    assert doc.meta.kind != "plan"
    assert {f.modality for f in extract_facts(doc)} == {"actual"}


def test_how_things_stand_in_a_plan_is_no_goal():
    """A plan that states where it starts from (全县有工会组织1200个, 现有会员3.2万人): those are
    how things stand; its goals are targets."""
    doc = make_document(
        "县总工会2024年工作计划\n发布时间:2024-03-10\n"
        "全县有基层工会组织1200个,现有会员3.2万人。力争全年新建工会30家。",
        "plan",
    )
    assert [(f.indicator, f.modality) for f in extract_facts(doc)] == [
        ("org.total", "actual"),
        ("mem.total", "actual"),
        ("org.new", "target"),
    ]


def test_a_running_total_keeps_what_it_covers():
    """累计 in news: to the end of 2020 from a start not given; over 连续26年, those years; in a
    review of its year, that year."""
    news = make_document(
        "县总工会举办2021年金秋助学发放仪式\n发布时间:2021-08-25\n"
        "截至2020年,县总工会累计帮助困难职工子女8877名。县总工会已连续21年开展助学活动,"
        "累计发放助学金592万元。",
        "news",
    )
    assert periods(news) == [
        ("svc.beneficiaries", 8877.0, "actual", None, "2020-12-31"),
        ("svc.funds_paid", 5920000.0, "actual", "2001-01-01", "2021-08-25"),
    ]
    review = make_document(
        "县总工会2022年工作总结\n发布时间:2022-12-20\n全年累计培训职工352人。", "review"
    )
    assert periods(review) == [("sk.trainees", 352.0, "actual", "2022-01-01", "2022-12-31")]


def test_a_year_compared_with_is_no_period_of_the_figures():
    """与2010年相比 and 比上年 name the year a change is counted from; 按2008年普查 the year of a
    denominator; 成立于2011年 a founding. The figures after them are of the years since the one
    compared with, or of the year reported. (比上年增加20家 is by how much the 120 changed.)"""
    doc = make_document(
        "全市工会组建工作情况\n发布时间:2016-01-20\n"
        "截至2015年底,全市工会会员达到42万人,与2010年相比,会员净增8.5万人。"
        "按2008年经济普查法人单位数计算,非公企业建会率为86%。"
        "市职工服务中心工会成立于2011年,现有会员300人。"
        "全年新建工会120家,比上年增加20家。",
        "compared",
    )
    assert periods(doc) == [
        ("mem.total", 420000.0, "actual", "2015-12-31", "2015-12-31"),
        ("mem.new", 85000.0, "actual", "2011-01-01", "2015-12-31"),
        ("org.rate", 86.0, "actual", "2015-01-01", "2015-12-31"),
        ("mem.total", 300.0, "actual", "2015-12-31", "2015-12-31"),
        ("org.new", 120.0, "actual", "2015-01-01", "2015-12-31"),
    ]


def test_the_year_a_work_began_and_goes_on_since_is_no_period():
    """从2008年开始至今 says since when, like 自2008年…以来: the news reports on its own year."""
    doc = make_document(
        "公司工会开展金秋助学\n发布时间:2016-09-12\n"
        "金秋助学活动从2008年开始至今,已连续开展了9年。今年公司工会共资助困难职工子女12名。",
        "since",
    )
    assert doc.meta.period_start == "2016-01-01"


def test_a_date_written_in_full_dates_an_undated_page():
    """截至2008年9月底 needs no publication date, and 2009年当年 is 2009, not the page's year."""
    doc = make_document(
        "截至2008年9月底,全国会员总数达到2.12亿人。全国已建立小型企业工会联合会69041个,"
        "其中2009年当年新增9129个。",
        "undated",
    )
    assert periods(doc) == [
        ("mem.total", 212000000.0, "actual", "2008-09-30", "2008-09-30"),
        ("org.total", 69041.0, "actual", "2009-12-31", "2009-12-31"),  # the text's year
        ("org.new", 9129.0, "actual", "2009-01-01", "2009-12-31"),
    ]


def test_a_deadline_after_an_undated_page_s_period_is_a_target():
    """An undated page about 2012 that names a goal for 2013: the goal is no result."""
    doc = make_document(
        "2012年上半年,全国新建工会组织9.8万个。全总规划明确,到2013年全国企业法人建会率达到90%以上。",
        "undated",
    )
    assert [(f.indicator, f.modality) for f in extract_facts(doc)] == [
        ("org.new", "actual"),
        ("org.rate", "target"),
    ]


def test_a_date_things_stand_at_without_its_year_is_of_the_year_reported():
    """截至5月底 in news of June 2016 is 31 May 2016; 截至9月中旬 about the 20th."""
    doc = make_document(
        "全省工会要约行动情况通报\n发布时间:2016-09-26\n"
        "截至5月底,全省行业集体协商覆盖企业3786家。截至9月中旬,全省新组建工会组织251家。",
        "asof",
    )
    assert periods(doc) == [
        ("cb.enterprises_covered", 3786.0, "actual", "2016-05-31", "2016-05-31"),
        ("org.new", 251.0, "actual", "2016-01-01", "2016-09-20"),
    ]


def test_last_year_in_news_of_february_is_the_year_just_ended():
    """去年 in news of February 2007 is 2006, and so is the news's period: 去年 does not move
    the period back a second year, as a review's 今年 would."""
    doc = make_document(
        "全市新发展工会会员29.1万名\n发布时间:2007-02-06\n"
        "记者昨日从市总工会获悉,去年全市新发展工会会员29.1万名,工会会员数已达154.8万名。",
        "news",
    )
    assert (doc.meta.period_start, doc.meta.period_end) == ("2006-01-01", "2006-12-31")
    assert periods(doc) == [
        ("mem.new", 291000.0, "actual", "2006-01-01", "2006-12-31"),
        ("mem.total", 1548000.0, "actual", "2006-12-31", "2006-12-31"),
    ]


def test_a_change_on_some_years_before_is_of_those_years():
    """比五年前新增工会组织1100家 in news of 2014: 2010 to the news, not 2014 alone."""
    doc = make_document(
        "慈溪市总工会基层工会建设实现新增长\n发布时间:2014-09-05\n"
        "目前,全市有企业工会2846家。比五年前新增工会组织1100家。",
        "years",
    )
    assert periods(doc)[1] == ("org.new", 1100.0, "actual", "2010-01-01", "2014-09-05")


def test_a_founding_written_before_its_verb_is_no_period():
    """于2003年成立了建筑工业联合会: a founding, not the year the news of 2007 reports."""
    doc = make_document(
        "如皋建筑工人全部加入工会\n发布时间:2007-08-10\n"
        "如皋有建筑企业30多家。该市于2003年成立了建筑工业联合会,今年新发展会员5000多人。",
        "founding",
    )
    assert doc.meta.period_start == "2007-01-01"


def test_from_a_year_to_now_is_no_period_of_that_year():
    """从2011年…,到如今全省358份集体合同: since 2011, not 2011."""
    doc = make_document(
        "湖北行业集体协商十五年\n发布时间:2025-09-15\n"
        "从2011年武汉开创餐饮行业协商样本,到如今全省358份行业集体合同覆盖6720家企业。",
        "since",
    )
    assert doc.meta.period_start == "2025-01-01"


def test_a_result_in_a_report_on_the_years_ahead_is_of_the_time_before_it():
    """A congress report of January 2015 that sets out 今后五年 (2016-2020): what it reports as
    done (工会组织累计达到1177个) is of 2014, never of the years ahead."""
    doc = make_document(
        "区工会第三次代表大会召开\n发布时间:2015-01-12\n"
        "会议提出了今后五年工会工作的目标和主要任务。二次工代会至今,全区工会组织累计达到1177个。",
        "ahead",
    )
    assert periods(doc) == [("org.total", 1177.0, "actual", "2014-12-31", "2014-12-31")]


def test_the_year_a_figure_is_a_multiple_of_is_no_period():
    """是2011年增长率的1.5倍 compares with 2011; the figure is of the year before it."""
    doc = make_document(
        "截至2012年底,全省集体合同覆盖企业3.2万家,同比增长18%,是2011年增长率的1.5倍;"
        "覆盖职工210万人,同比增长12%,是2011年的2倍。",
        "multiple",
    )
    assert periods(doc) == [
        ("cb.enterprises_covered", 32000.0, "actual", "2012-12-31", "2012-12-31"),
        ("cb.workers_covered", 2100000.0, "actual", "2012-12-31", "2012-12-31"),
    ]


def test_within_the_year_is_the_year_reported_not_a_deadline_written_before():
    """年内 is the year the plan is for, even after a goal for a later year in its sentence;
    三年内 is no 年内."""
    doc = make_document(
        "市总工会2025年工作要点\n发布时间:2025-02-10\n"
        "紧盯2026年底发展货车司机会员3万名的目标,年内计划新增入会1.2万人。",
        "within",
    )
    assert periods(doc) == [
        ("mem.new", 30000.0, "target", "2026-01-01", "2026-12-31"),
        ("mem.new", 12000.0, "target", "2025-01-01", "2025-12-31"),
    ]


def test_the_whole_year_done_in_news_before_december_is_the_year_before():
    """全年新增 in news of February (or July) cannot be this year's, which has not ended."""
    for day in ("2019-02-12", "2019-07-20"):
        doc = make_document(
            f"市总工会工作会议召开\n发布时间:{day}\n会议指出,全年新增企业工会组织320个。",
            "whole",
        )
        assert periods(doc) == [("org.new", 320.0, "actual", "2018-01-01", "2018-12-31")]


def test_a_year_compared_with_dates_only_the_change_of_its_own_clause():
    """比2014年新增3万人 counts the years since 2014; the rate in the clause after it is of the
    date things stand at, written first."""
    doc = make_document(
        "截至2016年6月底,全省工会会员达到420万人,比2014年新增3万人,职工入会率达到81.5%。",
        "compared clause",
        hints={"date": "2016-07-20"},
    )
    assert periods(doc) == [
        ("mem.total", 4200000.0, "actual", "2016-06-30", "2016-06-30"),
        ("mem.new", 30000.0, "actual", "2015-01-01", "2016-07-20"),
        ("org.rate", 81.5, "actual", "2016-06-30", "2016-06-30"),
    ]


@pytest.mark.parametrize(
    "sentence",
    ["全区建会率由2021年的78%提升至86%。", "全区会员人数从2021年的2.6万人增加到3.1万人。"],
)
def test_the_year_a_change_started_from_is_not_the_year_of_the_level_reached(sentence):
    """由2021年的78%提升至86%: 78% was 2021's, 86% is of the year reported."""
    doc = make_document("2023年工作总结\n" + sentence, "started from", hints={"date": "2023-12-26"})
    assert [(p[3][:4], p[4]) for p in periods(doc)] == [("2023", "2023-12-31")]


def test_the_year_a_figure_is_a_multiple_of_is_no_period_with_spaces_either():
    """是 1999 年的 1.8 倍, as a page that spaces its figures writes it."""
    doc = make_document(
        "全市工会组织建设情况\n发布时间:2006-01-20\n"
        "全市共有基层工会组织 4739个,现在是 1999 年的 1.8 倍;工会会员 82 万人,是 1999 年的1.9 倍。",
        "multiple spaced",
    )
    assert periods(doc) == [
        ("org.total", 4739.0, "actual", "2005-12-31", "2005-12-31"),
        ("mem.total", 820000.0, "actual", "2005-12-31", "2005-12-31"),
    ]


def test_the_whole_year_after_a_year_written_is_that_year():
    """2023年工作回顾:全年新建工会36家 in a plan for 2024: 2023's results, not 2024's goals;
    截至2020年年底 is the end of 2020."""
    doc = make_document(
        "区总工会2024年工作计划\n发布时间:2024-02-20\n"
        "一、2023年工作回顾:全年新建工会36家,发展会员2800人。"
        "二、2024年工作打算:新建工会40家,发展会员3000人。",
        "review in a plan",
    )
    assert periods(doc) == [
        ("org.new", 36.0, "actual", "2023-01-01", "2023-12-31"),
        ("mem.new", 2800.0, "actual", "2023-01-01", "2023-12-31"),
        ("org.new", 40.0, "target", "2024-01-01", "2024-12-31"),
        ("mem.new", 3000.0, "target", "2024-01-01", "2024-12-31"),
    ]


def test_a_date_things_stand_at_in_this_year_s_month():
    """截至今年6月底 is 30 June of the year reported, not the whole year."""
    doc = make_document(
        "全县工会组建情况\n发布时间:2012-08-10\n截至今年6月底,全县共有工会组织302家,会员总数7980人。",
        "as of this year's month",
    )
    assert periods(doc) == [
        ("org.total", 302.0, "actual", "2012-06-30", "2012-06-30"),
        ("mem.total", 7980.0, "actual", "2012-06-30", "2012-06-30"),
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "“十三五”期间,全市累计新建工会组织640家。“十四五”以来,全市新发展会员3.6万人。"
            "到“十四五”末,全市建会率达到95%以上。",
            "2023-04-20",
            [
                ("org.new", 640, "actual", "2016-01-01", "2020-12-31"),
                ("mem.new", 36000, "actual", "2021-01-01", "2023-04-20"),
                ("org.rate", 95, "target", "2025-12-31", "2025-12-31"),
            ],
        ),
        # fifteen, a paper's name: no plan's years
        (
            "全市十五家企业新建工会。",
            "2023-12-20",
            [("org.new", 15, "actual", "2023-01-01", "2023-12-31")],
        ),
        (
            "县总工会制定《全县工会“十四五”发展规划》,新建工会组织30家。",
            "2023-12-20",
            [("org.new", 30, "actual", "2023-01-01", "2023-12-31")],
        ),
    ],
)
def test_a_five_year_plan_names_its_five_years(text, published, expected):
    """“十四五”期间 is 2021 to 2025, “十三五”以来 runs from 2016 to the day of the page, and a figure
    due by the end of a plan still ahead is a target."""
    assert periods(make_document(text, "plan-years", hints={"date": published})) == expected


def test_a_plan_s_name_dates_a_plan():
    plan = make_document(
        "关于印发《某市总工会“十四五”工会发展规划》的通知\n\n到2025年,全市工会会员达到60万人。",
        "plan-title",
        hints={"date": "2021-06-01"},
    )
    assert (plan.meta.period_start, plan.meta.period_end) == ("2021-01-01", "2025-12-31")


def test_a_count_since_a_month_is_of_what_was_done_since():
    """2023年5月至今,全县已建立…工会86个: set up since May 2023, not the unions there are; the
    story's span is not the period the news item reports on."""
    doc = make_document(
        "全县推进新就业形态劳动者入会\n发布时间:2024-06-10\n"
        "2023年5月至今,全县已建立新就业形态工会组织86个。",
        "since",
    )
    assert doc.meta.period_start == "2024-01-01"
    assert periods(doc) == [("org.new", 86.0, "actual", "2023-05-01", "2024-06-10")]
