"""Writes of the one table: base-table facts, department forms, the annual form list and channels.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from . import base_table, categories, forms, quality, rollup, schedules, task_review, unlock, versions  # noqa: F401, E402
from .base_table import (  # noqa: F401
    COMPARE,
    INDICATOR_FIELDS,
    PERIOD_HINT,
    PERIOD_PATTERNS,
    RuleProblem,
    check_period,
    indicator_merge,
    indicator_period,
    indicator_save,
    is_locked,
    parse_value,
    period_kind,
    period_lock,
    refuse_total,
    require_village_role,
    rule_problems,
    rule_save,
    rule_set_active,
    value_correct,
    values_enter,
    year_of,
)
from .categories import (  # noqa: F401
    breakdown_enter,
    category_save,
    cells,
    combo_categories,
    combo_save,
    grid,
    indicator_combo_set,
)
from .forms import (  # noqa: F401
    acts_for,
    channel_register,
    channel_set_status,
    field_map,
    field_suggestions,
    form_approve,
    form_issue,
    form_register,
    form_reject,
    form_submit,
    list_rules_save,
    may_decide_form,
    own_form_refusal,
    rule_breaches,
    rules_for,
    served_value,
    task_submit,
)
from .quality import flag_follow_up, may_follow_up  # noqa: F401
from .schedules import (  # noqa: F401
    LIST_RULE,
    NOT_LISTED,
    IssueRefusal,
    check_due_day,
    form_due_day_set,
    issue_refusal,
    open_period,
    open_periods,
    periods_open,
    township_plan,
    township_schedule_set,
)
from .task_review import may_review_task, task_accept, task_approve, task_return  # noqa: F401
from .unlock import may_request_unlock, unlock_decide, unlock_request  # noqa: F401
from .versions import form_revise, open_revision  # noqa: F401
