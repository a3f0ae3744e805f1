"""Writes of consultation (协商): topics and their steps, votes and outcomes.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from . import outcomes, topics  # noqa: F401, E402
from .outcomes import (  # noqa: F401
    ballot_cast,
    followup_add,
    measure_add,
    measure_progress,
    online_submit,
    supported_outcome,
    topic_announce,
    topic_hold,
    topic_reconsult,
    topic_refer,
    vote_close,
    vote_open,
)
from .topics import (  # noqa: F401
    PLAN_WORKDAYS,
    RECEIPT_ALPHABET,
    TOPIC_FIELDS,
    client_key_of,
    code_hash,
    codes_reissue,
    convening_regions,
    council_save,
    default_notice,
    may_convene,
    member_add,
    member_retire,
    opinion_answer,
    opinion_create,
    opinion_submit_public,
    participant_add,
    participant_record,
    participants_settle,
    plan_overdue,
    require_convener,
    topic_create,
    topic_notice,
    topic_plan,
    topic_settle,
)
