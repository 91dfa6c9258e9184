from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("quotas/", views.quota_overview, name="quotas"),
    path("reminders/", views.reminder_list, name="reminders"),
    # Offices (驻点招商局)
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("offices/<int:pk>/attendance/<int:person_pk>/", views.attendance_edit, name="attendance_edit"),
    path("offices/<int:pk>/logs/new/", views.worklog_create, name="worklog_create"),
    path("offices/<int:pk>/checks/new/", views.weekly_check_create, name="weekly_check_create"),
    path("offices/<int:pk>/budget/", views.budget_set, name="budget_set"),
    path("offices/<int:pk>/expenses/new/", views.expense_create, name="expense_create"),
    path("offices/<int:pk>/settle/", views.quarter_settle, name="quarter_settle"),
    path("offices/<int:pk>/subsidy/", views.subsidy_pay, name="subsidy_pay"),
    path("expenses/<int:pk>/decide/", views.expense_decide, name="expense_decide"),
    # 招商干部 and team finance (issue 13)
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/idle/", views.cadre_idle, name="cadre_idle"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_ledger, name="team_ledger"),
    path("teams/<int:pk>/budget/", views.team_budget_set, name="team_budget_set"),
    path("teams/<int:pk>/expenses/new/", views.team_expense_create, name="team_expense_create"),
    path("teams/<int:pk>/expenses/<int:expense_pk>/decide/", views.team_expense_decide, name="team_expense_decide"),
    path("teams/<int:pk>/expenses/<int:expense_pk>/reimburse/", views.team_expense_reimburse,
         name="team_expense_reimburse"),
    # Major investment information reports
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    # Monthly submissions
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/deadlines/", views.deadline_list, name="deadline_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/resubmit/", views.submission_resubmit, name="submission_resubmit"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
]

# Visits, recommendations and events share one set of views; the names stay per kind.
for _kind in ("visits", "recommendations", "events"):
    urlpatterns += [
        path(f"{_kind}/", views.record_list, {"kind": _kind}, name=f"{_kind}_list"),
        path(f"{_kind}/new/", views.record_create, {"kind": _kind}, name=f"{_kind}_create"),
        path(f"{_kind}/<int:pk>/", views.record_edit, {"kind": _kind}, name=f"{_kind}_edit"),
        path(f"{_kind}/<int:pk>/delete/", views.record_delete, {"kind": _kind}, name=f"{_kind}_delete"),
    ]
