"""Forbidden work in other regions' words (issue 15: on sets it never saw, the classifier left negatives unlisted or
judged them duty or assist). One table holds the refused cases, task-phrased ("请各村……") and rule-phrased
("不得要求村（社区）……") alike, with how each refusal is explained; the tests after it keep the allowed wordings the
refusals must not take along. Every text is made up (in no list and no evaluation set). No database."""

import pytest

ITEM = "该事项属于负面清单"  # a negative item of the lists in force names it
BURDEN = "该做法带有对村（社区）排名通报"  # the marks of a forbidden burden (ranking, quotas, penalties …)
RULE = "该文字本身是不得向村（社区）摊派工作的规定"  # the text is itself a rule against handing the work down
POWERS = "该事项要求村（社区）行使其不具有的执法"  # powers a village lacks (执法, 监测 businesses …)

# (text, how the refusal's explanation opens, the cue the text must also carry or None). Every case is refused, in
# officials' words (the national rule or the list item, never a score).
REFUSED = [
    # Helping a body supervise businesses is refused though in a statutory field: 协助/配合 a government body in a
    # statutory field (安全, 统计) names whose work it is, so a forbidding item had to reach the statute bar; inspecting
    # or supervising businesses is the department's own supervision (中办国办2022意见), so the forbidding item decides as
    # for any other text.
    ("请各村配合应急管理局对辖区企业开展安全生产检查", ITEM, None),
    ("协助乡镇政府对辖区内企业进行安全生产监管", ITEM, None),
    ("配合统计部门开展统计执法检查", ITEM, None),
    ("不得要求村（社区）配合对辖区企业开展安全生产检查", ITEM, None),
    # A strong burden mark is refused though an allowed item shares a word: 森林保险 shares 森林 with the assist item
    # 森林防火 (0.43); with no forbidding item near, a quota handed to villages was judged that item's assist duty. A
    # strong mark of a burden is the burden whatever work it rides on.
    ("镇里要求各村完成森林保险参保任务", BURDEN, None),
    ("请各村完成森林保险参保任务，完成率纳入年终考核", ITEM, None),
    ("不得要求村（社区）完成森林保险参保任务", RULE, None),
    # A rule that forbids work is refused though a duty item shares its words: the text is itself a rule against
    # handing the work down (another province's 减负 measures); a duty or assist item sharing its words (矛盾纠纷排查调处,
    # 精神文明创建, 医保) does not make the rule an allowed duty.
    ("不得要求村级组织开展矛盾纠纷排查并每日上报", RULE, None),
    ("严禁要求村（社区）为部门开展的创建活动组织群众参加", RULE, None),
    ("不得要求社区承担居民医保参保缴费任务", RULE, None),
    # Money docked and rates entered in an assessment are burden marks (若干规定: 督查检查考核 of villages and penalties
    # for missed targets); "扣…元" and "…率计入考核" were no mark, so the text was left unlisted.
    ("要求村干部到田间地头看守秸秆，发现一处着火点扣村里1000元", BURDEN, "burden_mark"),
    ("请各社区组织居民参加线上知识竞答，参与率计入考核", ITEM, "burden_mark"),
    ("不得要求社区组织居民参加线上知识竞答并将参与率计入考核", ITEM, "burden_mark"),
    # Monitoring businesses is a department's supervision.
    ("请各村协助环保部门对辖区企业排污情况进行监测", POWERS, "enforcement_cue"),
    ("协助人社部门开展用人单位劳动保障监察", ITEM, "enforcement_cue"),
    ("不得要求村（社区）协助对辖区餐饮店开展食品安全检查", ITEM, "enforcement_cue"),
]


@pytest.mark.parametrize(("text", "opening", "cue"), REFUSED)
def test_forbidden_work_in_other_regions_words_is_refused_in_officials_words(indexes, text, opening, cue):
    from jianfu.catalog.analysis import burden_marks

    work = indexes["work"]
    if cue == "burden_mark":
        assert burden_marks(text)[1], text
    elif cue == "enforcement_cue":
        assert work.analyzer.analyze(text).enforcement_cue, text
    verdict = work.classify(text)
    assert verdict.verdict == "negative", (text, verdict)
    assert verdict.explanation.startswith(opening), (text, verdict.explanation)
    assert "负面" in verdict.explanation and "0." not in verdict.explanation, (text, verdict.explanation)


def test_helping_a_body_in_a_statutory_field_stays_an_assist_duty(indexes):
    work = indexes["work"]
    assert work.classify("请各社区配合人社部门登记辖区就业困难人员的求职意向").verdict == "assist"
    assert work.classify("协助街道开展人口普查").verdict == "assist"


def test_a_strong_burden_mark_keeps_an_allowed_item_that_names_the_work_well(indexes):
    # A quota-free wording of the same programme stays the assist duty its item names.
    assert indexes["work"].classify("请各村做好森林防火宣传").verdict == "assist"


def test_the_same_work_asked_of_a_village_stays_the_duty_its_item_names(indexes):
    assert indexes["work"].classify("请各村对邻里之间的矛盾纠纷开展排查调处").verdict == "duty"


def test_helping_the_police_with_crime_stays_an_assist_duty_though_it_names_an_enforcement_word(indexes):
    # 查处 is an enforcement word, but helping the police with public order is the organic laws' assist duty: only
    # enforcing the law or supervising businesses leaves the statutory field (a forbidding item sharing 处罚 does not
    # decide).
    assert (
        indexes["work"].classify("协助公安机关做好社会治安综合治理，配合查处违法犯罪活动").verdict == "assist"
    )
