"""Writes of monitoring: burden events, bulletins and the monthly rollup.

One module per topic; the package re-exports every action so callers write ``services.<action>``.
"""

from . import bulletins, events, findings, returns, rollup  # noqa: F401, E402
from .bulletins import (  # noqa: F401
    BULLETIN_FIELDS,
    ENTRY_FIELDS,
    bulletin_draft,
    bulletin_publish,
    entry_confirm,
    entry_rectify,
    entry_reopen,
    finding_accept,
    finding_return,
    overdue_entries,
    ranking,
    remind_overdue,
    violations_in,
)
from .events import (  # noqa: F401
    EVENT_FIELDS,
    MAX_HOURS,
    apply_check,
    clue_report,
    clue_review,
    event_recheck,
    event_record,
    may_act,
    monitor_assign,
    monitor_unassign,
    point_designate,
    recheck_undecided,
    served_point,
)
from .findings import (  # noqa: F401
    DECISIONS,
    FINDING_FIELDS,
    check_department,
    county_departments,
    event_finding,
    finding_decide,
    finding_department_set,
    finding_intake,
    findings_decide,
    judged_verdict,
    match_department,
    may_confirm_rectification,
    move,
)
from .returns import (  # noqa: F401
    RETURN_FIELDS,
    coverage,
    point_return_file,
    remind_overdue_returns,
)
from .rollup import (  # noqa: F401
    ROLLUP_LEVELS,
    apply,
    change,
    contribution,
    rebuild,
    region_codes,
)
