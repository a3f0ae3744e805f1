"""Writes of admission (准入): applications, their review and the filing of admitted items.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from jianfu.admission.funding.services import (  # noqa: F401, E402
    allocation_confirm,
    allocation_dispute,
    allocation_enter,
    allocations_import,
    entered_total,
    ledger_items,
    ledger_open,
    ledger_update,
    survey_decide,
    survey_fill,
    survey_open,
    survey_submit,
)

from . import applications, consults, filing, review  # noqa: F401, E402
from .applications import (  # noqa: F401
    EDITABLE_FIELDS,
    STEP_DEFAULTS,
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    county_of,
    is_applicant,
    is_simple_eligible,
    lock,
    move,
    require,
    require_applicant,
    require_not_applicant,
    require_step,
    step_limit,
    step_limit_applied,
)
from .consults import concerned_townships, township_stance_give  # noqa: F401
from .filing import (  # noqa: F401
    MUST_DO,
    check_work,
    issue_notice,
    item_end,
    notice_acknowledge,
    reminder_dismiss,
    require_own_unit,
    send_reminders,
    work_decline,
)
from .review import (  # noqa: F401
    DECISIONS,
    REVIEW_OUTCOMES,
    application_coordinate,
    application_decide,
    application_initial_review,
    meeting_conclude,
    meeting_opinion_add,
    meeting_record,
)
