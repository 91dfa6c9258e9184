"""Daily-work pages. Views are thin: read through selectors, write through services; a service's
PermissionDeniedError becomes a 403 page with its message, the rest of its errors form errors.

The pages live in sub-domain modules (overview, records, offices, submissions; shared helpers in
_common); the views `urls.py` routes to are re-exported here."""

from .offices import (
    attendance_edit,
    budget_set,
    expense_create,
    expense_decide,
    office_detail,
    office_list,
    quarter_settle,
    report_create,
    report_detail,
    report_list,
    subsidy_pay,
    weekly_check_create,
    worklog_create,
)
from .overview import index, quota_overview, reminder_list
from .people import cadre_create, cadre_detail, cadre_idle, cadre_list
from .records import KINDS, record_create, record_delete, record_edit, record_list
from .submissions import (
    deadline_list,
    snapshot_detail,
    submission_accept,
    submission_detail,
    submission_list,
    submission_resubmit,
    submission_return,
    submission_submit,
)
from .teams import (
    team_budget_set,
    team_expense_create,
    team_expense_decide,
    team_expense_reimburse,
    team_ledger,
    team_list,
)

__all__ = [
    "KINDS",
    "attendance_edit",
    "budget_set",
    "cadre_create",
    "cadre_detail",
    "cadre_idle",
    "cadre_list",
    "deadline_list",
    "expense_create",
    "expense_decide",
    "index",
    "office_detail",
    "office_list",
    "quarter_settle",
    "quota_overview",
    "record_create",
    "record_delete",
    "record_edit",
    "record_list",
    "reminder_list",
    "report_create",
    "report_detail",
    "report_list",
    "snapshot_detail",
    "submission_accept",
    "submission_detail",
    "submission_list",
    "submission_resubmit",
    "submission_return",
    "submission_submit",
    "subsidy_pay",
    "team_budget_set",
    "team_expense_create",
    "team_expense_decide",
    "team_expense_reimburse",
    "team_ledger",
    "team_list",
    "weekly_check_create",
    "worklog_create",
]
