"""Forbidden work in other regions' words (issue 15: on sets it never saw, the classifier left negatives unlisted or
judged them duty or assist). Each test names the behaviour and checks a task-phrased wording ("请各村……") and a
rule-phrased one ("不得要求村（社区）……"). Every text is made up (in no list and no evaluation set). No database."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "请各村配合应急管理局对辖区企业开展安全生产检查",
        "协助乡镇政府对辖区内企业进行安全生产监管",
        "配合统计部门开展统计执法检查",
        "不得要求村（社区）配合对辖区企业开展安全生产检查",
    ],
)
def test_helping_a_body_supervise_businesses_is_refused_though_in_a_statutory_field(indexes, text):
    # 协助/配合 a government body in a statutory field (安全, 统计) names whose work it is, so a forbidding item had to
    # reach the statute bar; inspecting or supervising businesses is the department's own supervision (中办国办2022意见),
    # so the forbidding item decides as for any other text.
    verdict = indexes["work"].classify(text)
    assert verdict.verdict == "negative", (text, verdict)


def test_helping_a_body_in_a_statutory_field_stays_an_assist_duty(indexes):
    work = indexes["work"]
    assert work.classify("请各社区配合人社部门统计辖区失业人员和就业困难人员").verdict == "assist"
    assert work.classify("协助街道开展人口普查").verdict == "assist"
