"""Writes to the daily work: visits, recommendations, events, the monthly submission cycle and the
resident offices' attendance, logs, reports and money. Web forms, imports and commands all call
these functions, so scope, validation and history live in exactly one place.

The functions live in sub-domain modules (records, submissions, offices, finance; shared helpers in
_common); they are re-exported here so callers keep writing `services.visit_create(...)`. A test
that patches a function must patch it where it is looked up, e.g.
`zhaoshang.activities.services.offices.attendance_mark` for `attendance_month_set`."""

from ._common import check_assessor
from .finance import budget_set, expense_create, expense_decide, quarter_settle, subsidy_pay
from .offices import (
    attendance_mark,
    attendance_month_set,
    report_advance,
    report_assign,
    report_create,
    weekly_check_record,
    worklog_create,
)
from .records import (
    EVENT_FIELDS,
    RECOMMENDATION_FIELDS,
    VISIT_FIELDS,
    event_create,
    event_update,
    recommendation_create,
    recommendation_delete,
    recommendation_update,
    visit_create,
    visit_delete,
    visit_update,
)
from .submissions import (
    awaiting_review,
    deadline_set,
    default_due_date,
    due_date_for,
    last_action,
    months_due,
    normalise_period,
    submission_accept,
    submission_return,
    submission_submit,
    submissions_open,
)

__all__ = [
    "EVENT_FIELDS",
    "RECOMMENDATION_FIELDS",
    "VISIT_FIELDS",
    "attendance_mark",
    "attendance_month_set",
    "awaiting_review",
    "budget_set",
    "check_assessor",
    "deadline_set",
    "default_due_date",
    "due_date_for",
    "event_create",
    "event_update",
    "expense_create",
    "expense_decide",
    "last_action",
    "months_due",
    "normalise_period",
    "quarter_settle",
    "recommendation_create",
    "recommendation_delete",
    "recommendation_update",
    "report_advance",
    "report_assign",
    "report_create",
    "submission_accept",
    "submission_return",
    "submission_submit",
    "submissions_open",
    "subsidy_pay",
    "visit_create",
    "visit_delete",
    "visit_update",
    "weekly_check_record",
    "worklog_create",
]
