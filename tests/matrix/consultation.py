"""Permission-matrix cases for the consultation app (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- the ledger, councils and topics are seen by those with consultation.view in the region's subtree: the
  village or community cadres, their township, the county's review-committee office and the inspector; not the
  administrator, the chair, the monitor, departments or grid workers (list pages 403, records 404);
- only the region's own cadre convenes (every write on a 解放路社区 record: 解放路社区's cadre); the township
  reads its communities' records but does not convene them (403); out of scope is 404 first;
- the public pages and public API answer everyone; unpublished topics and non-village regions are 404 there.
"""

from datetime import timedelta

from django.utils import timezone

from jianfu.consultation import services
from jianfu.consultation.models import ConsultForm, Council, TopicStatus
from jianfu.consultation.services import outcomes
from jianfu.orgs.models import Region
from tests.matrix.base import ANON, LOGIN, Case, Redirect, everyone, pk
from tests.matrix.base import SEES as ALL_SEES

VIEWERS = {"office", "inspector", "town_hk", "town_cg", "village_cadre", "community_cadre"}
CONVENERS = {"town_hk", "town_cg", "village_cadre", "community_cadre"}
JIEFANG = {"office", "inspector", "town_cg", "community_cadre"}
TAOYUAN = {"office", "inspector", "town_hk", "village_cadre"}


_ONLINE_CODES: dict[int, str] = {}  # topic pk -> a participant's one-time code (only hashes are stored)


def _online_code(topic) -> str:
    return _ONLINE_CODES[topic.pk]


def _setup(w) -> dict:
    """Records in every step, made once per world: 解放路社区's, 桃园村's and one in 东岭县."""
    if "_consultation" in w.__dict__:
        return w.__dict__["_consultation"]
    from tests.consultation.conftest import opinion, walk

    cadre = w.community_cadre
    made = {f"cs_{s}": walk(w, to=s)[0] for s in ("collecting", "settled", "planned", "noticed", "held")}
    made["cs_participants"] = walk(w, to=TopicStatus.PARTICIPANTS)[0]
    made["cs_vote"] = outcomes.vote_open(
        actor=cadre, topic=made["cs_participants"], question="同意", rule="half"
    )
    made["cs_participant"] = made["cs_participants"].participants.first()
    voted = walk(w, to=TopicStatus.PARTICIPANTS)[0]
    vote = outcomes.vote_open(actor=cadre, topic=voted, question="同意", rule="half")
    for person in voted.participants.all():
        outcomes.ballot_cast(actor=cadre, vote=vote, participant=person, choice="yes")
    outcomes.vote_close(actor=cadre, vote=vote)
    made["cs_voted"] = voted
    made["cs_adopted"] = walk(w)[0]
    made["cs_measure"] = outcomes.measure_add(
        actor=cadre, topic=made["cs_adopted"], title="换灯", owner="物业", due_on=timezone.localdate()
    )
    made["cs_failed"] = walk(w, yes=0)[0]
    made["cs_online"], codes = walk(w, to=TopicStatus.PARTICIPANTS, form=ConsultForm.ONLINE)
    outcomes.vote_open(actor=cadre, topic=made["cs_online"], question="同意", rule="half")
    # each matrix request runs in a rolled-back savepoint, so every persona may use this one code
    _ONLINE_CODES[made["cs_online"].pk] = next(iter(codes.values()))
    made["cs_taoyuan"] = walk(w, to=TopicStatus.COLLECTING, actor=w.village_cadre, village=w.village_taoyuan)[
        0
    ]
    made["cs_other"] = walk(w, to=TopicStatus.COLLECTING, actor=None, village=w.other_village)[0]
    made["cs_opinion"] = opinion(w)
    made["cs_opinion_other"] = opinion(w, actor=None, village=w.other_village)
    made["cs_council"] = services.council_save(
        actor=cadre, region=w.community_jiefang, name="解放路社区居民议事会", convener="书记"
    )
    made["cs_member"] = services.member_add(
        actor=cadre, council=made["cs_council"], name="刘某", role="chair"
    )
    made["cs_council_other"] = Council.objects.create(
        region=w.other_village, name="东岭村议事会", convener="书记"
    )
    made["cs_township_other"] = Region.objects.get(code="428522100000")
    for name in ("王大爷", "李阿姨"):
        services.participant_add(actor=cadre, topic=made["cs_noticed"], name=name, capacity="居民代表")
    for record in made.values():
        record.refresh_from_db()  # adding a participant or a measure moved the topic's version
    w.__dict__["_consultation"] = made
    return made


JIEFANG_RECORDS = (
    "cs_collecting",
    "cs_settled",
    "cs_planned",
    "cs_noticed",
    "cs_held",
    "cs_participants",
    "cs_vote",
    "cs_participant",
    "cs_voted",
    "cs_online",
    "cs_adopted",
    "cs_measure",
    "cs_failed",
    "cs_opinion",
    "cs_council",
    "cs_member",
)
OTHER_RECORDS = ("cs_other", "cs_opinion_other", "cs_council_other", "cs_township_other")
OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in (*JIEFANG_RECORDS, *OTHER_RECORDS)}
OBJECTS["cs_taoyuan"] = lambda w: _setup(w)["cs_taoyuan"]
SEES = {
    **dict.fromkeys(JIEFANG_RECORDS, JIEFANG),
    **dict.fromkeys(OTHER_RECORDS, set()),
    "cs_township_other": {"outsider"},  # a region: its own county's administrator sees it
    "cs_taoyuan": TAOYUAN,
}
OWNER = {**dict.fromkeys(JIEFANG_RECORDS, "community_cadre"), "cs_taoyuan": "village_cadre"}


def viewers(ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in VIEWERS else 403)


def scoped(anon=LOGIN):
    return lambda p, t: anon if p == ANON else (200 if p in SEES[t] else 404)


def conveners(ok, anon=LOGIN):
    def expect(p, t):
        return anon if p == ANON else (ok if p in CONVENERS else 403)

    expect.writes = True
    return expect


def owner_writes(ok, anon=LOGIN, sees=None):
    def expect(p, t):
        if p == ANON:
            return anon
        if p not in (sees or ALL_SEES)[t]:
            return 404
        return ok if p == OWNER.get(t, "community_cadre") else 403

    expect.writes = True
    return expect


TO_TOPIC = Redirect("/consultation/topics/")
SOON = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def _action(name):
    return lambda t: {"pk": t.pk, "action": name}


def _page_action(label, name, data):
    return Case(owner_writes(TO_TOPIC), "post", (label,), _action(name), data)


PAGE_ACTIONS = (
    _page_action("cs_collecting", "settle", lambda t: {"version": t.version}),
    _page_action(
        "cs_settled",
        "plan",
        lambda t: {
            "version": t.version,
            "form": "meeting",
            "scheduled_at": SOON,
            "place": "厅",
            "plan_content": "x",
            "plan_participants": "y",
        },
    ),
    _page_action("cs_planned", "notice", lambda t: {"version": t.version, "notice_text": "公告"}),
    _page_action("cs_noticed", "participant_add", lambda t: {"name": "矩阵", "capacity": "居民代表"}),
    _page_action("cs_noticed", "participants_settle", lambda t: {"version": t.version}),
    _page_action("cs_participants", "vote_open", lambda t: {"question": "矩阵表决", "rule": "half"}),
    _page_action(
        "cs_participants",
        "record",
        lambda t: {
            "participant": t.participants.first().pk,
            "attended": "1",
            "version": t.participants.first().version,
        },
    ),
    _page_action(
        "cs_participants",
        "ballot",
        lambda t: {"vote": t.votes.first().pk, "choice": "yes", "participant": t.participants.first().pk},
    ),
    _page_action("cs_participants", "vote_close", lambda t: {"vote": t.votes.first().pk}),
    _page_action(
        "cs_voted", "hold", lambda t: {"version": t.version, "minutes": "纪要", "outcome": "agreed"}
    ),
    _page_action("cs_held", "announce", lambda t: {"version": t.version, "announcement": "通报"}),
    _page_action("cs_failed", "reconsult", lambda t: {"version": t.version}),
    _page_action("cs_failed", "refer", lambda t: {"version": t.version, "note": "居民代表会议"}),
    _page_action(
        "cs_adopted", "measure_add", lambda t: {"title": "矩阵", "owner": "物业", "due_on": "2030-01-01"}
    ),
    _page_action(
        "cs_adopted",
        "measure_progress",
        lambda t: {
            "measure": t.measures.first().pk,
            "progress": 50,
            "note": "进展",
            "version": t.measures.first().version,
        },
    ),
    _page_action("cs_adopted", "followup", lambda t: {"satisfaction": "satisfied"}),
    _page_action("cs_taoyuan", "settle", lambda t: {"version": t.version}),
    _page_action("cs_other", "settle", lambda t: {"version": t.version}),
)
TOPICS = ("cs_collecting", "cs_adopted", "cs_taoyuan", "cs_other")


def api_owner(ok, label_sees=None):
    return owner_writes(ok, anon=401, sees=label_sees)


def topic_new_post(p, t):
    """解放路社区's cadre forms the topic; another convener's form refuses an opinion outside its own list."""
    if p == ANON:
        return LOGIN
    return TO_TOPIC if p == "community_cadre" else 200 if p in CONVENERS else 403


topic_new_post.writes = True


def _v(t):
    return {"version": t.version}


ROUTES = {
    "consultation:index": Case(viewers()),
    "consultation:opinions": Case(viewers()),
    "consultation:opinion_new": (
        Case(conveners(200)),
        Case(
            conveners(Redirect("/consultation/opinions/")),
            "post",
            data=lambda o: {"source": "box", "content": "矩阵意见内容"},
        ),
    ),
    "consultation:opinion_detail": (
        Case(scoped(), targets=("cs_opinion", "cs_opinion_other"), kwargs=pk),
        Case(
            owner_writes(Redirect("/consultation/opinions/")),
            "post",
            ("cs_opinion", "cs_opinion_other"),
            pk,
            lambda o: {"answer": "已办理", "version": o.version},
        ),
    ),
    "consultation:councils": Case(viewers()),
    "consultation:council_edit": (
        Case(conveners(200)),
        Case(
            conveners(Redirect("/consultation/councils/")),
            "post",
            data=lambda o: {"name": "矩阵议事会", "convener": "书记"},
        ),
    ),
    "consultation:council_detail": (
        Case(scoped(), targets=("cs_council", "cs_council_other"), kwargs=pk),
        Case(
            owner_writes(Redirect("/consultation/councils/")),
            "post",
            ("cs_council", "cs_council_other"),
            pk,
            lambda o: {"name": "矩阵成员", "role": "representative"},
        ),
    ),
    "consultation:member_retire": (
        Case(
            lambda p, t: LOGIN if p == ANON else 405,
            targets=("cs_member",),
            kwargs=lambda m: {"pk": m.council_id, "member_pk": m.pk},
        ),
        Case(
            owner_writes(Redirect("/consultation/councils/")),
            "post",
            ("cs_member",),
            lambda m: {"pk": m.council_id, "member_pk": m.pk},
        ),
    ),
    "consultation:topics": Case(viewers()),
    "consultation:topic_new": (
        Case(conveners(200)),
        Case(
            topic_new_post,
            "post",
            ("cs_opinion",),
            lambda o: {},
            lambda o: {"title": "矩阵议题", "opinions": [o.pk]},
        ),
    ),
    "consultation:topic_detail": Case(scoped(), targets=TOPICS, kwargs=pk),
    "consultation:topic_action": PAGE_ACTIONS,
    "consultation:topic_dossier": Case(scoped(), targets=TOPICS, kwargs=pk),
    "consultation:topic_letter": Case(scoped(), targets=TOPICS, kwargs=pk),
    # Public pages: anyone may write in, and an invited participant's one-time code works whoever holds it
    "public_consultation:opinion_submit": (
        Case(everyone(200)),
        Case(
            everyone(Redirect("/public/consultation/status/?receipt=")),
            "post",
            ("community_jiefang",),
            data=lambda r: {
                "region": r.code,
                "content": "楼道灯坏了很久了",
                "resident_name": "",
                "contact": "",
            },
        ),
        Case(everyone(200), "post", ("community_jiefang",), data=lambda r: {"region": r.code, "content": ""}),
    ),
    "public_consultation:opinion_status": Case(
        everyone(200), targets=("cs_opinion",), query=lambda o: {"receipt": o.receipt}
    ),
    "public_consultation:board": Case(everyone(200)),
    "public_consultation:topic": (
        Case(everyone(200), targets=("cs_participants", "cs_adopted"), kwargs=pk),
        Case(everyone(404), targets=("cs_collecting",), kwargs=pk),
        Case(
            everyone(Redirect("/public/consultation/topics/")),
            "post",
            ("cs_online",),
            pk,
            lambda t: {"code": _online_code(t), "comment": "同意", f"vote_{t.votes.get().pk}": "yes"},
        ),
        Case(everyone(200), "post", ("cs_online",), pk, lambda t: {"code": "WRONGCODE2", "comment": "同意"}),
        Case(everyone(404), "post", ("cs_collecting",), pk, lambda t: {"code": "WRONGCODE2", "comment": "x"}),
    ),
    # API
    "api:consultation_opinion_list": Case(viewers(anon=401)),
    "api:consultation_opinion_create": Case(
        owner_writes(201, anon=401),
        "post",
        ("community_jiefang",),
        data=lambda r: {"source": "visit", "content": "矩阵意见", "region_code": r.code},
    ),
    "api:consultation_opinion_detail": Case(
        scoped(anon=401), targets=("cs_opinion", "cs_opinion_other"), kwargs=pk
    ),
    "api:consultation_opinion_answer": Case(
        api_owner(200),
        "post",
        ("cs_opinion", "cs_opinion_other"),
        pk,
        lambda o: {"answer": "已办", "version": o.version},
    ),
    "api:consultation_public_opinion": (
        Case(
            everyone(404),
            "post",
            ("cs_township_other",),
            lambda r: {"code": r.code},
            lambda r: {"content": "矩阵公开意见"},
        ),
        Case(
            everyone(201),
            "post",
            ("community_jiefang",),
            lambda r: {"code": r.code},
            lambda r: {"content": "矩阵公开意见"},
        ),
    ),
    "api:consultation_public_opinion_status": Case(
        everyone(200), targets=("cs_opinion",), kwargs=lambda o: {"receipt": o.receipt}
    ),
    "api:consultation_council_list": Case(viewers(anon=401)),
    "api:consultation_topic_list": Case(viewers(anon=401)),
    "api:consultation_topic_create": Case(
        owner_writes(201, anon=401, sees={"cs_opinion": JIEFANG}),
        "post",
        ("cs_opinion",),
        data=lambda o: {"title": "矩阵议题", "opinion_ids": [o.pk], "region_code": o.region.code},
    ),
    "api:consultation_topic_detail": Case(scoped(anon=401), targets=TOPICS, kwargs=pk),
    "api:consultation_topic_settle": Case(api_owner(200), "post", ("cs_collecting", "cs_other"), pk, _v),
    "api:consultation_topic_plan": Case(
        api_owner(200),
        "post",
        ("cs_settled",),
        pk,
        lambda t: {
            **_v(t),
            "form": "written",
            "scheduled_at": SOON,
            "place": "厅",
            "plan_content": "x",
            "plan_participants": "y",
        },
    ),
    "api:consultation_topic_notice": Case(
        api_owner(200), "post", ("cs_planned",), pk, lambda t: {**_v(t), "notice_text": "公告"}
    ),
    "api:consultation_participant_add": Case(
        api_owner(201), "post", ("cs_noticed",), pk, lambda t: {"name": "矩阵", "capacity": "代表"}
    ),
    "api:consultation_participants_settle": Case(api_owner(200), "post", ("cs_noticed",), pk, _v),
    "api:consultation_participant_record": Case(
        api_owner(200),
        "post",
        ("cs_participant",),
        pk,
        lambda p: {**_v(p), "attended": True, "opinion": "同意"},
    ),
    "api:consultation_vote_open": Case(
        api_owner(201), "post", ("cs_participants",), pk, lambda t: {"question": "矩阵", "rule": "two_thirds"}
    ),
    "api:consultation_ballot_cast": Case(
        api_owner(201),
        "post",
        ("cs_vote",),
        pk,
        lambda v: {"participant_id": v.topic.participants.first().pk, "choice": "no"},
    ),
    "api:consultation_vote_close": Case(api_owner(200), "post", ("cs_vote",), pk),
    "api:consultation_topic_hold": Case(
        api_owner(200), "post", ("cs_voted",), pk, lambda t: {**_v(t), "minutes": "纪要", "outcome": "agreed"}
    ),
    "api:consultation_topic_announce": Case(
        api_owner(200), "post", ("cs_held",), pk, lambda t: {**_v(t), "announcement": "通报"}
    ),
    "api:consultation_topic_reconsult": Case(api_owner(201), "post", ("cs_failed",), pk, _v),
    "api:consultation_topic_refer": Case(
        api_owner(200), "post", ("cs_failed",), pk, lambda t: {**_v(t), "note": "居民会议"}
    ),
    "api:consultation_measure_add": Case(
        api_owner(201),
        "post",
        ("cs_adopted",),
        pk,
        lambda t: {"title": "矩阵", "owner": "物业", "due_on": "2030-01-01"},
    ),
    "api:consultation_measure_progress": Case(
        api_owner(200), "post", ("cs_measure",), pk, lambda m: {**_v(m), "progress": 100, "note": "完成"}
    ),
    "api:consultation_followup_add": Case(
        api_owner(201), "post", ("cs_adopted",), pk, lambda t: {"satisfaction": "basic"}
    ),
    "api:consultation_overdue": Case(viewers(anon=401)),
    "api:consultation_public_online": (
        Case(everyone(404), "post", ("cs_other",), pk, lambda t: {"code": "ABCDEFGHJK", "comment": "x"}),
        Case(
            everyone(200), "post", ("cs_online",), pk, lambda t: {"code": _online_code(t), "comment": "同意"}
        ),
        Case(everyone(400), "post", ("cs_online",), pk, lambda t: {"code": "ABCDEFGHJK", "comment": "x"}),
    ),
    "api:consultation_public_measures": Case(everyone(200)),
}

# Writes anyone may make on a public page: a resident writing in, an invited participant's online submission.
INSPECTOR_MAY = {
    "public_consultation:opinion_submit",
    "public_consultation:topic",
    "api:consultation_public_opinion",
    "api:consultation_public_online",
}
