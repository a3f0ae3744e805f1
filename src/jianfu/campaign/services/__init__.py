"""Writes of campaigns and evaluations: tasks, the township's evaluation of villages, people.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from . import evaluation, people, tasks  # noqa: F401, E402
from .evaluation import (  # noqa: F401
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_INDICATORS,
    MAX_CODES_PER_BATCH,
    REUSED,
    STAFF_REFUSED,
    TOO_MANY,
    UNKNOWN,
    ScoreCell,
    codes_issue,
    indicators_set,
    normalise_code,
    scheme_close,
    scheme_create,
    scheme_open,
    score_enter,
    scores_enter,
    survey_answer,
)
from .people import (  # noqa: F401
    FAILING,
    TWO_YEARS_FAILING,
    agency_rate,
    agency_register,
    agency_score_department,
    agency_score_township,
    appraisal_record,
    contract_sign,
    figures_set,
    profile_set,
    round_create,
    training_record,
    worker_add,
)
from .tasks import (  # noqa: F401
    campaign_create,
    campaign_update,
    decision_add,
    decision_to_task,
    lock,
    may_close,
    meeting_record,
    own_task_refusal,
    phase_set,
    report_file,
    task_add,
    task_close,
    task_update,
)
