"""Where: the region of a document and of each figure, at its level, with its parents.

Sentences and small documents of our own, one per case the users rely on."""

from __future__ import annotations

import pytest

from analysis.corpus import make_document
from analysis.facts import extract_facts
from analysis.regions import (
    document_region,
    find_mentions,
    find_short_names,
    find_towns,
    find_zones,
    self_level,
)


def doc_of(text: str, date: str = "2024-12-20"):
    return make_document(text, "d", hints={"date": date})


@pytest.mark.parametrize(
    ("text", "name", "level", "parents"),
    [
        # a one-character county, with its prefecture and province
        (
            "咸阳市乾县总工会召开全委会议。全县今年新建基层工会20家。",
            "乾县",
            "county",
            ("陕西省", "咸阳市", None),
        ),
        # the national union
        (
            "中华全国总工会今天召开新闻发布会。全总有关负责人介绍了全国工会组织建设情况。",
            "全国",
            "national",
            (None, None, None),
        ),
        # an autonomous region called by its short name and by 全区
        (
            "自治区总工会召开全区工会工作会议。会议指出,广西各级工会要把建会入会作为重点,"
            "推动广西非公企业普遍建立工会。",
            "广西壮族自治区",
            "province",
            ("广西壮族自治区", None, None),
        ),
        # a town, its union, and the county whose union it reports to
        (
            "梅溪镇工会委员会是安吉县总工会直属工会。全镇现有基层工会组织38个。",
            "梅溪镇",
            "town",
            ("浙江省", "湖州市", "安吉县"),
        ),
        # a street
        (
            "东直门街道总工会提前完成今年建会60家的目标。",
            "东直门街道",
            "town",
            (None, None, None),
        ),
        # a community, with no county named
        (
            "青石巷社区工会在社区党委领导下开展工作,目前社区工会在册会员有96人。",
            "青石巷社区",
            "town",
            (None, None, None),
        ),
        # a county called 我县 and by its short name, visited by the national union
        (
            "中华全国总工会调研组来我县调研。调研组在礼泉经济开发区察看了职工之家,"
            "对我县工会工作给予肯定。2023年,我县新增工会21家。",
            "礼泉县",
            "county",
            ("陕西省", "咸阳市", None),
        ),
        # a city's paper that names its counties' unions, never the city
        (
            "市总工会召开全委会。去年以来,我市深入推进集体协商。汉阴县总工会推行协商听证,"
            "石泉县总工会开展集体合同月活动,宁陕县总工会成立指导员队伍。全市签订集体合同320份。",
            "安康市",
            "prefecture",
            ("陕西省", None, None),
        ),
        # a national campaign in cities of several provinces; one city's union is named
        (
            "本报北京电 全国总工会工作组推动兰州、贵阳、太原、合肥4个开发区建会入会,新建工会"
            "组织96个。其中,兰州工作组在甘肃省总工会、兰州市总工会共同努力下,推动成立了园区工会。",
            "全国",
            "national",
            (None, None, None),
        ),
        # a 州 union's news that names only its seat
        (
            "香格里拉讯 近日,州总工会开展金秋助学活动,全州共帮扶困难职工子女60名。",
            "迪庆藏族自治州",
            "prefecture",
            ("云南省", None, None),
        ),
    ],
)
def test_the_region_of_a_document(text, name, level, parents):
    r = document_region(text)
    assert (r.name, r.level) == (name, level)
    if any(parents):
        assert (r.province, r.prefecture, r.county) == parents


def test_a_town_keeps_its_county_as_written():
    r = document_region("宁海县城关镇有基层工会7个。至1987年底,城关镇工会所辖基层工会发展到10个。")
    assert (r.name, r.county, r.level) == ("宁海县城关镇", "宁海县", "town")


@pytest.mark.parametrize(
    "text",
    [
        "各乡镇全面推进城乡社区建设,推动乡村振兴。",
        "目前社区工会在册会员96人。",
        "全年组建镇区总工会2个。",
        "工作人员深入社区开展宣传。",
        "及时召开镇直属工会主席会议。",  # 召开 (convene) + 镇直属
        "同时调整镇工会委员会组成人员。",  # 调整 (adjust) + 镇工会
        "全县共有工会组织1447个,其中乡镇总工会60个。",  # 乡镇 (towns), not 中乡镇
    ],
)
def test_words_are_not_towns(text):
    assert find_towns(text) == []


def test_a_short_county_name_inside_a_word_is_not_a_county():
    """任县 (Hebei) is not in 先后任县工会主席 (served as chairman of the county union)."""
    doc = doc_of("张华同志先后任县工会副主席、主席。2024年,全县新发展会员1300人。")
    assert (doc.meta.region, [f.region for f in extract_facts(doc)]) == (None, [None])
    assert document_region("任县总工会召开全委会议。").name == "任县"


@pytest.mark.parametrize(
    "text",
    [
        "各位同仁:今年全县新建工会20家。",  # 同仁县 (Qinghai)
        "比如,全县新发展会员300人。",  # 比如县 (Tibet)
        "县总工会会同人社部门开展集体协商。",  # 会同县 (Hunan)
        "开展惠民活动,全县新建工会12家。",  # 惠民县 (Shandong)
    ],
)
def test_ordinary_words_are_not_short_names_of_counties(text):
    assert document_region(text) is None


def test_a_short_name_inside_a_place_s_own_name_is_not_a_place():
    """河南 in 天河南街, a street of 天河区 that the text names: no province."""
    text = "天河区天河南街工会组建小微企业联合工会。天河南街联合工会吸引了6000多名农民工入会。"
    r = document_region(text, title="天河南街六千农民工入会")
    assert (r.name, r.prefecture) == ("天河区", "广州市")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("在五大新兴产业中开展合理化建议活动", []),  # 五大/新兴: no 大新县
        ("指导易地扶贫搬迁安置点工会建设", []),  # 搬迁/安置: no 迁安市
        ("大新工会组织职工开展技能竞赛", ["大新县"]),
        ("来到开鲁调研基层工会建设", ["开鲁县"]),
    ],
)
def test_a_short_name_across_two_words_is_not_a_place(text, names):
    """A short name whose characters end one word and begin the next is no place."""
    assert [m.region.name for m in find_short_names(text)] == names


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        ("石林县总工会举行授牌仪式,全县新增会员673人。", "石林彝族自治县", "county"),
        ("湘西州总工会开展金秋助学活动。", "湘西土家族苗族自治州", "prefecture"),
    ],
)
def test_an_autonomous_county_or_prefecture_without_its_peoples(text, name, level):
    """石林县 is 石林彝族自治县, written without its people and 自治, as it usually is."""
    r = document_region(text)
    assert (r.name, r.level) == (name, level)


def test_the_short_name_of_an_autonomous_county():
    """大通 is 大通回族土族自治县 (the short names once lost every people's name); 互助 in 职工医疗
    互助 is mutual aid, not 互助土族自治县."""
    assert document_region("大通工会举行职工技能大赛。").name == "大通回族土族自治县"
    assert document_region("积极引导职工参加职工医疗互助活动。") is None


def test_places_in_a_list_are_not_what_the_text_is_about():
    """The towns a visit went to (义门镇、北极镇、新民镇和太峪镇) are neither the document's region
    nor the region of the figures after them."""
    text = (
        "市总工会开展暖冬行动。慰问组先后来到义门镇、北极镇、新民镇和太峪镇,集中慰问了130名"
        "环卫工人。本次活动共慰问一线劳动者795名。"
    )
    doc = doc_of(text)
    assert doc.meta.region is None
    assert [f.region for f in extract_facts(doc)] == [None, None]


def test_a_local_paper_names_the_place_a_document_does_not():
    """县总工会 in a county's paper (来源:仙游今报) that never names its county: the paper's."""
    doc = make_document(
        "县总工会举行助学金发放仪式\n来源:仙游今报\n8月26日,县总工会举行助学金发放仪式。"
        "全县共资助困难职工子女31名。",
        "paper",
    )
    assert doc.meta.region == "仙游县"
    other = make_document(
        "县总工会举行助学金发放仪式\n来源:工人日报\n8月26日,县总工会举行助学金发放仪式。", "p2"
    )
    assert other.meta.region is None


def test_a_visiting_union_and_a_road_are_not_the_document_s_place():
    """万源市总工会一行来我县考察: the visitors' city is not the county's; 酒泉路街道 is a street of
    Lanzhou, not 酒泉市."""
    visit = doc_of(
        "5月27日,万源市总工会一行来我县考察工会工作。我县共建有各级工会组织1447个。"
        "万源市总工会一行对我县工会工作给予了高度评价。"
    )
    assert (visit.meta.union, visit.meta.region) == (None, None)
    assert document_region("区总工会在酒泉路街道打造职工之家,辐射近万人。") is None


def test_a_town_after_a_preposition():
    """经青石镇工会审核 (after review by the town's union): the town is 青石镇, not 经青石镇."""
    assert [m.region.name for m in find_towns("经青石镇工会审核,15名职工符合帮扶条件。")] == [
        "青石镇"
    ]


def test_a_figure_after_two_places_is_of_them_both():
    """莘县、冠县总工会…新发展会员656人 in a city's news: the city's figure, not 冠县's."""
    doc = doc_of(
        "聊城市总工会推进外卖骑手入会。莘县、冠县总工会积极行动,动员送餐员入会,新发展会员656人。"
    )
    assert [f.region for f in extract_facts(doc)] == ["聊城市"]


def test_a_verb_before_a_community_is_no_name():
    """大力加强社区工会建设: no community called 加强社区."""
    assert [m.region.name for m in find_towns("玉林镇大力加强社区工会建设。")] == ["玉林镇"]
    assert find_towns("边境线上的民族乡工会,150名会员。") == []  # a kind of township
    assert find_zones("全省省级开发区工会组建工作会议在我区召开。") == []  # a level, no name
    assert find_towns("一些街道地域宽广,新建企业众多。") == []
    assert find_towns("商业综合体成为白领职工休闲的立体社区。") == []  # a kind, described
    text = "静安区石门二路街道总工会成立。"  # a street named for a road named for a place
    assert [m.region.name for m in find_mentions(text)] == ["静安区"]


def test_a_quoted_oath_names_no_issuer():
    """“我志愿加入中华全国总工会……” sworn at a district's joining ceremony: not the country's
    news, nor the national union's."""
    doc = doc_of(
        "特区工会开展新就业形态劳动者集中入会活动。“我志愿加入中华全国总工会,遵守工会章程,"
        "执行工会决议……”在宣誓声中,90名外卖送餐员加入了工会。"
    )
    assert (doc.meta.region, doc.meta.union) == (None, None)


def test_first_of_the_city_is_no_city_s_news():
    """全市首个 in a district's news ranks the district in its city: the news is the district's."""
    doc = doc_of(
        "全市首个!龙华区总工会指导成立区级家政行业工会联合会。深圳市龙华区家政服务行业工会联合会"
        "挂牌成立,全市第一个区级家政行业工会联合会。目前,全区共成立了10个家政企业工会。"
    )
    assert doc.meta.region == "龙华区"


def test_a_county_citing_its_city_s_campaign_is_the_county_s():
    """南昌县 news that cites 《关于在全市开展…的意见》 and the city's goal (全市三年建千家工会)
    is the county's: the paper's words are not the news's, and on a tie the more local level
    wins."""
    text = (
        "南昌县多形式多途径完善工会组建工作机制。为贯彻《关于在全市开展“十百千万”行动的意见》精神,"
        "实现全市三年建千家工会目标,南昌县多形式完善工会组建工作机制。目前,全县累计建会1972家。"
    )
    assert document_region(text).name == "南昌县"


def test_a_district_and_its_town_are_one_item_of_a_list():
    """普陀区长风街道 in 浦东新区川沙镇、普陀区长风街道和闵行区梅陇镇: three items, one list."""
    text = "今年浦东新区川沙镇、普陀区长风街道和闵行区梅陇镇成为第一批试点单位。"
    from analysis.regions import listed

    mentions = find_mentions(text)
    assert len(listed(text, mentions)) == len(mentions) >= 3


def test_a_municipality_is_a_city_of_its_own_union():
    """市总工会 in 上海: a municipality is of the 市 level, not a 香格里拉 in a list of brands."""
    text = (
        "近年来,在沪一批外资企业纷纷建立工会,其中包括沃尔玛、肯德基、香格里拉、欧莱雅。"
        "据市总工会统计,上海已有1.6万家外资企业建立了工会。市总工会组织部负责人说,今年上海"
        "将继续推进外资企业建会,上海外资企业建会率要达到80%。"
    )
    assert document_region(text).name == "上海市"


def test_a_level_of_honour_is_no_scope():
    """全国示范站点 in a city's news is a national-level award, not a figure of the country."""
    doc = doc_of("杭州市总工会推动建设和谐劳动关系服务站114家,培育全国示范站点1个。")
    assert [f.region for f in extract_facts(doc)] == ["杭州市", "杭州市"]
    # a name in quotes after 全国 is a national designation too (全国“职工书屋”)
    doc = doc_of("长春市总工会推进职工书屋建设,目前全市共有全国“职工书屋”51个。")
    assert [f.region for f in extract_facts(doc)] == ["长春市"]
    # levels listed before the award are levels of it too (全国、省级劳模)
    doc = doc_of(
        "铜川市总工会2023年工作总结\n3家企业荣获全国、省“五一劳动奖状”,8名职工获得市劳动模范称号。"
    )
    assert [f.region for f in extract_facts(doc)] == ["铜川市"]
    doc = doc_of("铜川市总工会2023年工作总结\n培育全国巾帼文明岗2个,新建工会30家。")
    assert [f.region for f in extract_facts(doc)] == ["铜川市", "铜川市"]


def test_an_oath_gives_no_figure_the_country():
    """The union named in a quoted oath (我志愿加入中华全国总工会) is no place of the figure
    after it: the members who swore it joined here."""
    doc = doc_of(
        "镇工会举行集中入会仪式。“我志愿加入中华全国总工会,遵守工会章程……”誓词声中,"
        "35名快递员加入了工会。"
    )
    assert [(f.value, f.region) for f in extract_facts(doc)] == [(35, None)]


def test_a_district_that_names_no_district_is_not_the_country():
    """A masked district report (XX区) that cites 全总 has no region: neither the country nor a
    community it mentions."""
    text = "区总工会2023年工作报告。按照全总要求,全区新建工会20家。老西街社区建成职工之家。"
    assert document_region(text) is None


def test_a_zone_takes_the_city_before_it():
    (zone,) = find_zones("西安高新区总工会新建工会联合会5个")
    assert (zone[2], zone[3].name) == ("西安高新区", "西安市")
    assert find_zones("深入工业园区开展宣传") == []
    # The city in full before the zone; 高新区 after one character; a verb before the zone.
    (zone,) = find_zones("大连市高新区总工会创新服务模式")
    assert (zone[2], zone[3].name) == ("大连市高新区", "大连市")
    assert find_zones("但高新区就没有这样的问题") == []
    assert find_zones("住行问题一度成为制约高新区发展的难题") == []
    assert document_region("大连市高新区总工会召开会议。").name == "大连市高新区"


def test_a_city_s_short_name_before_a_zone_s_own_name_is_its_parent():
    """天津|滨海新区 is Tianjin's, not 滨海县's of Jiangsu; 青岛|西海岸新区 has three characters."""
    assert [(z[2], z[3].name) for z in find_zones("天津滨海新区总工会召开全委会议")] == [
        ("滨海新区", "天津市")
    ]
    assert [(z[2], z[3].name) for z in find_zones("大连金普新区总工会开展送清凉活动")] == [
        ("金普新区", "大连市")
    ]
    assert [z[2] for z in find_zones("安康市恒口示范区总工会")] == ["恒口示范区"]  # no 市恒口
    r = document_region("青岛西海岸新区总工会召开镇街工会述职评议会议。")
    assert (r.name, r.level, r.prefecture, r.province) == ("西海岸新区", "zone", "青岛市", "山东省")


def regions_of(doc) -> list[tuple[float, str | None, str | None]]:
    return [(f.value, f.region, f.region_level) for f in extract_facts(doc)]


def test_a_place_named_with_the_figure_wins_and_whole_of_fixes_the_level():
    doc = doc_of(
        "苍南县总工会2024年工作总结\n"
        "今年,龙港镇新建基层工会组织12家。全县新建基层工会组织86家,发展会员5400人。"
    )
    assert doc.meta.region == "苍南县"
    assert regions_of(doc) == [
        (12, "龙港镇", "town"),
        (86, "苍南县", "county"),
        (5400, "苍南县", "county"),
    ]
    (town,) = [f for f in extract_facts(doc) if f.region == "龙港镇"]
    assert (town.county, town.prefecture, town.province) == ("苍南县", "温州市", "浙江省")


def test_a_county_level_city_is_not_replaced_by_its_prefecture():
    doc = doc_of(
        "襄阳市总工会在宜城市举办“党建带工建”揭牌仪式。\n"
        "宜城市在两新组织中开展集中建会入会行动。行动开展以来,新建基层工会组织36家,"
        "新发展会员2356人。"
    )
    assert doc.meta.region == "襄阳市"
    assert {f.region for f in extract_facts(doc)} == {"宜城市"}
    (f,) = [f for f in extract_facts(doc) if f.value == 36]
    assert (f.region_level, f.prefecture, f.province) == ("county", "襄阳市", "湖北省")


def test_national_and_provincial_figures():
    doc = doc_of(
        "中华全国总工会新闻发布会\n"
        "截至6月底,全国工会会员总数达3.1亿人。江苏省新建工会组织1.2万家。全省新发展会员20万人。"
    )
    got = regions_of(doc)
    assert got[0] == (310000000, "全国", "national")
    assert got[1] == (12000, "江苏省", "province")


def test_a_town_document_counts_the_whole_town_and_its_county():
    doc = doc_of(
        "梅溪镇工会委员会是安吉县总工会直属工会。全镇现有基层工会组织38个,会员总数4200人。"
    )
    assert regions_of(doc) == [(38, "梅溪镇", "town"), (4200, "梅溪镇", "town")]
    f = extract_facts(doc)[0]
    assert (f.county, f.province) == ("安吉县", "浙江省")


def test_regions_are_stored_with_their_level_and_parents(tmp_path):
    from analysis.pipeline import run_extraction
    from analysis.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "苍南县总工会2024年工作总结\n今年,龙港镇新建基层工会组织12家。全县新建基层工会组织86家。",
        encoding="utf-8",
    )
    db = tmp_path / "x.duckdb"
    run_extraction(corpus, db, progress=False)
    facts = Store(db).facts()
    row = facts[facts["value"] == 12].iloc[0]
    assert (row.region, row.region_level, row.county, row.province) == (
        "龙港镇",
        "town",
        "苍南县",
        "浙江省",
    )
    docs = Store(db).documents()
    assert (docs.iloc[0].region, docs.iloc[0].region_level) == ("苍南县", "county")


def test_the_gazetteer_reads_cpca_s_table_as_cpca_holds_it():
    # Read from cpca's folder without importing it (its import costs a third of a second);
    # the same entries, in the same order, as its own table.
    import warnings

    from analysis import gazetteer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports the deprecated pkg_resources
        import cpca

    ours = gazetteer._cpca_table()
    assert list(ours) == list(cpca.ad_2_addr_dict)
    assert all(
        (i.name, i.adcode, i.rank) == (ours[k].name, ours[k].adcode, ours[k].rank)
        for k, i in cpca.ad_2_addr_dict.items()
    )


def test_common_nouns_are_no_towns_or_zones():
    """特色小镇 is a kind of town, 各类开发区 every kind of zone, 代表在开发区 a verb before a zone's
    kind: no places."""
    doc = doc_of("嘉兴市总工会在特色小镇建立工会组织25家。")
    assert [f.region for f in extract_facts(doc)] == ["嘉兴市"]
    doc = doc_of("开发区综合指标位列全省各类开发区前列,全区新建工会30家。")
    assert doc.meta.region is None
    doc = doc_of("当天,职工代表在开发区举行入会仪式,300名农民工加入工会。")
    assert doc.meta.region is None
    assert [f.region for f in extract_facts(doc)] == [None]


def test_a_list_of_unions_named_by_their_places_is_a_list():
    """桃源街道总工会、永吉街道总工会、幸福乡总工会: the figure after them is of them all."""
    doc = doc_of(
        "南关区总工会2023年工作总结\n"
        "全区有桃源街道总工会、永吉街道总工会、幸福乡总工会等3个乡街工会,新建工会15家。"
    )
    assert [f.region for f in extract_facts(doc)] == ["南关区", "南关区"]


def test_a_place_listed_with_short_names_is_one_item_of_the_list():
    """五常、阿城、宾县、依兰: only 宾县 is written in full, yet the figure is of all four."""
    doc = doc_of(
        "哈尔滨市总工会2005年工作总结\n"
        "目前全市已有五常、阿城、宾县、依兰四县(市)的98个行政村建立了工会组织。"
    )
    assert [f.region for f in extract_facts(doc)] == ["哈尔滨市"]


def test_the_national_union_whose_requirements_are_carried_out_is_not_the_issuer():
    """落实全国总工会…的工作要求 in a mine's news: the mine's union reports, not the country."""
    doc = doc_of(
        "青山矿工会认真落实全国总工会“扩大覆盖面、增强凝聚力”的工作要求,抓好基层组织建设。"
        "矿在册职工2498人全部入会。"
    )
    assert doc.meta.region is None
    assert [f.region for f in extract_facts(doc)] == [None]


def test_unions_of_levels_in_a_list_are_no_level_the_document_calls_itself_by():
    """市、县、区总工会 names unions of every level, not the document's own: a national news item
    that names it, then the provinces it reports on and one city's union, is national."""
    text = (
        "全国总工会日前通报了工资集体协商的进展。山东省签订工资专项集体合同2.1万份,"
        "湖南省签订1.3万份,四川省签订1.1万份。全总要求各省、市、县、区总工会加强督导。"
        "成都市总工会召开了推进会。"
    )
    assert self_level(text) is None
    assert document_region(text).name == "全国"
    assert self_level("区总工会召开全委会议,区总工会主席讲话。") == "district"


def test_a_common_word_with_another_level_s_suffix_is_no_renamed_county():
    """会同市劳动局 is 'jointly with the city's labour bureau'; 会同县 is a county."""
    text = "市总工会牵头,会同市人社局、市经信委开展劳动竞赛。"
    assert document_region(text) is None
    assert document_region("会同县总工会召开全委会议。").name == "会同县"
    assert document_region("旬阳市总工会召开全委会议。").name == "旬阳市"  # renamed in 2021


def test_after_a_short_opening_the_clause_that_names_the_place_opens_the_sentence():
    """2020年,永州市总工会有…6978个,会员57.95万人: both figures are the city's, in a province's
    yearbook; a cup named for a county (“黎川县杯”) is no scope of the figures after it."""
    doc = doc_of(
        "湖南省总工会2020年工作概况\n"
        "2020年,全省新建工会1200家。2020年,永州市总工会有基层工会组织6978个,工会会员57.95万人。"
    )
    assert [r for _, r, _ in regions_of(doc)] == ["湖南省", "永州市", "永州市"]
    doc = doc_of(
        "抚州市总工会2017年工作总结\n"
        "2017年,全市共有70家企事业单位参加“黎川县杯”竞赛活动,职工参与1948多人。"
    )
    assert {r for _, r, _ in regions_of(doc)} == {"抚州市"}


def test_a_national_title_before_a_reading_room_is_an_honour_not_a_scope():
    """全国职工书屋示范点2个 in a county's review are the county's reading rooms."""
    doc = doc_of("宁海县总工会2019年工作总结\n新建职工书屋15个,其中全国职工书屋示范点2个。")
    assert [level for _, _, level in regions_of(doc)] == ["county", "county"]


def test_the_level_that_gives_an_honour_is_not_the_document_s_own():
    """获评全省…案例 and 被评为全省先进 in a city's news name the province that honours it: the
    document is the city's, whose union it names."""
    text = (
        "荆门市总工会两项做法获评全省创新案例\n"
        "日前,全省工会新就业形态劳动者建会入会工作推进会召开,荆门市总工会的做法获评全省十佳案例,"
        "市总工会被评为全省工会工作先进单位。截至目前,全市已建立新业态工会联合会12个。"
    )
    assert self_level(text) == "city"
    assert document_region(text).name == "荆门市"


def test_a_paragraph_opened_by_a_time_takes_its_subject_from_the_clause_after():
    """日前,<zone>(<district>)…工会联合会成立: the figures after it in the paragraph are the zone's.
    The district in brackets is the zone's other name, not a second place."""
    text = (
        "日前,西安高新区技术产业开发区(雁塔区)快递行业工会联合会成立。当天,420名快递员加入工会。\n"
        "西安市总工会把新就业形态劳动者入会作为重点工作。西安市总工会负责人介绍了做法。"
    )
    doc = doc_of(text)
    assert doc.meta.region == "西安市"
    assert [(f.value, f.region, f.region_level) for f in extract_facts(doc)] == [
        (420, "西安高新区", "zone")
    ]


def test_where_a_meeting_is_held_is_not_what_its_paragraph_is_about():
    """X市总工会在Y区召开…会: the figures reported at the meeting are the city's."""
    doc = doc_of("6月5日,咸阳市总工会在秦都区召开建会入会推进会。会上通报,今年新发展会员5200人。")
    assert [(f.value, f.region) for f in extract_facts(doc)] == [(5200, "咸阳市")]


def test_a_scene_that_opens_a_paragraph_is_no_time_and_names_no_subject():
    """活动现场,…银川市工人文化宫…: a place in what a scene shows is not its paragraph's topic."""
    doc = doc_of(
        "宁夏总工会开展货车司机入会活动。\n活动现场,司机代表领取了银川市工人文化宫体验卡。"
        "接下来,还将有1000名宁夏货车司机加入工会。"
    )
    assert [(f.value, f.region) for f in extract_facts(doc)] == [(1000, "宁夏回族自治区")]


def test_a_short_name_the_text_writes_as_a_street_s_name_is_that_street():
    """天水路街道 … 开创天水工会工作新局面: the street's union, not 天水市 (Gansu)."""
    text = (
        "据江宁区介绍,近日,天水路街道召开工资集体协商职工代表大会。会议要求开创天水工会工作新局面。"
    )
    assert document_region(text).name == "江宁区"
    assert document_region("天水工会组织职工开展技能竞赛。").name == "天水市"
