"""The learned reading (catalog/learned.py): what it changes when a setting turns it on, that it changes nothing
when off (the default), that the same build gives the same weights and verdicts, and that its weights load
without pickle. No database: matching.py and learned.py are pure. Timings live in bench/, never here."""

import numpy as np
import pytest
from bench import eval_classifier

from jianfu.catalog import learned
from jianfu.catalog.matching import DEFAULT_SETTINGS

ON = DEFAULT_SETTINGS.with_values(learned=True)
OFF = DEFAULT_SETTINGS.with_values(learned=False)
# New wordings (in no list, no evaluation set), each the kind a plain reading of the law gives it.
CHANGED = [
    # The negative list names 行道树的排危; no item is near enough, so the items alone leave it unlisted.
    ("work", "给乡道两边的行道树剪枝", "unlisted", "negative"),
    # A shop's lawful business is no fact a committee knows and no law has it certify (the principle of
    # 民发〔2020〕20号; market regulation keeps that record); the items alone leave it unlisted. (Its sibling 个体工商户诚信经营证明 went back to unlisted when one allowed
    # certificate item left the lists: the model's reading of a shop's conduct sits near its bar.)
    ("certificate", "开具商铺合法经营证明", "unlisted", "cert_forbidden"),
]


def test_the_shipped_weights_load_without_pickle_and_the_setting_is_on_by_default():
    assert learned.load() is not None
    assert DEFAULT_SETTINGS.learned is True


def test_shipped_weights_are_trained_on_what_ships():
    """A list item, example or tuned row changed without ``python -m jianfu.catalog.learned`` leaves weights that
    read an older project: this fails until they are rebuilt (the build is deterministic, so a rebuild on a
    merge of two branches gives one file)."""
    texts, labels = learned.training_data(learned.tuned_rows(), learned.list_rows())
    assert learned.load().trained_on == learned.training_digest(texts, labels), (
        "catalog/data/learned.npz 未按当前清单和调优集重新训练：运行 python -m jianfu.catalog.learned"
    )


@pytest.mark.parametrize(("mode", "text", "without", "with_it"), CHANGED)
def test_the_learned_part_changes_the_verdict_it_should_and_sends_it_to_a_person(
    indexes, mode, text, without, with_it
):
    assert indexes[mode].classify(text, mode=mode, settings=OFF).verdict == without
    verdict = indexes[mode].classify(text, mode=mode, settings=ON)
    assert verdict.verdict == with_it
    assert verdict.needs_review  # a verdict the model gave is confirmed by a person (需人工研判)
    assert "0." not in verdict.explanation  # in officials' words: no score


def test_a_good_forbidding_match_still_wins_with_the_learned_part(indexes):
    text = "给每个村下达招商引资任务"  # the national negative list names it
    assert indexes["work"].classify(text, settings=ON).verdict == "negative"


def test_the_learned_part_off_gives_the_verdicts_of_the_index_without_a_model(indexes):
    texts = [(mode, text) for mode, text, _, _ in CHANGED] + [("work", "协助做好第七次全国人口普查入户登记")]
    with_model = [indexes[m].classify(t, mode=m, settings=OFF).verdict for m, t in texts]
    saved = {mode: index.learned for mode, index in indexes.items()}
    try:
        for index in indexes.values():
            index.learned = None
        learned._loaded["model"] = None  # and no shipped weights either
        assert [indexes[m].classify(t, mode=m, settings=ON).verdict for m, t in texts] == with_model
    finally:
        learned._loaded.clear()
        for mode, index in indexes.items():
            index.learned = saved[mode]


def test_training_is_deterministic_and_the_same_build_gives_the_same_verdicts(indexes):
    texts = ["组织居民开展文化体育活动", "协助做好人口普查", "要求村干部每天在App上打卡", "调解邻里纠纷"]
    labels = ["duty", "assist", "negative", "duty"]
    lexicon = indexes["work"].lexicon
    first, second = (learned.train(texts, labels, lexicon, steps=50) for _ in range(2))
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.dense, second.dense)
    rebuilt = eval_classifier.build_indexes(eval_classifier.load_list_items())
    for mode, text, _, _ in CHANGED:
        assert (
            rebuilt[mode].classify(text, mode=mode, settings=ON).verdict
            == indexes[mode].classify(text, mode=mode, settings=ON).verdict
        )


def test_the_build_command_gives_the_same_weights_twice(indexes):
    """The committed weights are what ``python -m jianfu.catalog.learned`` makes from the lists and tuned rows of that
    commit; whatever those hold, two builds are the same to the bit."""
    lexicon = indexes["work"].lexicon
    first, second = learned.build(lexicon), learned.build(lexicon)
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)


def test_weights_holding_objects_are_refused(tmp_path):
    path = tmp_path / "learned.npz"
    np.savez(path, weights=np.array([object()], dtype=object), classes=np.array(learned.CLASSES))
    assert learned.load(path) is None
    np.savez(path, weights=np.zeros((2, 2)), classes=np.array(["duty"]), buckets=np.array([4]))
    assert learned.load(path) is None  # not this layout


def test_features_hash_the_same_in_every_process():
    """crc32, not Python's salted hash(): the shipped weights are indexed by these buckets."""
    indices, values, dense = learned.text_features("协助做好人口普查", None)
    assert learned._hash("c2普查") == 225826 and 225826 in indices.tolist()
    assert len(indices) == len(values) and not dense.any()


def test_whose_work_it_is_holds_against_the_model_and_weak_forbidding_matches(indexes):
    work = indexes["work"]
    # 配合 a government body in a statutory field: a forbidding item sharing only 统计 (政务应用程序 …统计在线时长)
    # does not make it a refusal.
    assist = work.classify("配合人社部门统计辖区失业人员和就业困难人员")
    assert assist.verdict == "assist"
    # An item of the verdict's kind that names the work well is not turned to the other kind by the model.
    drill = work.classify("开展地震应急避险演练和防震减灾科普")
    assert drill.verdict == "duty" and drill.matches[0].item.verdict == "duty"
    # A good forbidding match still wins over the same verb and field.
    assert work.classify("配合人社部门统计村干部在政务应用程序的在线时长并排名").verdict == "negative"


def test_organising_its_own_residents_is_a_duty_without_the_model(indexes):
    # 组织居民开展文化体育健身活动 is the committee's own work; until round 9 the items alone picked the assist item
    # 全民健身 and only the model turned it to duty. Organising its own residents now tips the near tie itself.
    text = "社区组织居民开展秋季全民健身太极拳比赛"
    assert indexes["work"].classify(text, settings=OFF).verdict == "duty"
    assert indexes["work"].classify(text, settings=ON).verdict == "duty"


def test_the_committees_own_elections_are_not_refused_on_a_shared_word(indexes):
    # 指定、委派或者撤换村民委员会成员 (GJ-FM-ZZF-02) forbids what others do to the committee; its own election shares
    # the words, not the work.
    work = indexes["work"]
    for text in ("组织居民推选新一届居委会成员", "依法推选产生新一届村民委员会成员"):
        assert work.classify(text).verdict == "duty", text
    # Forbidden work named well is still refused.
    assert work.classify("镇政府指定村民委员会成员人选").verdict == "negative"
    assert work.classify("要求村委会对辖区企业开展安全生产检查并处罚").verdict == "negative"
