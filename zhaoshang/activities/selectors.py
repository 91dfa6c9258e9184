"""Reads of the daily work, always scoped to the user: a unit user sees only their unit and its
children; the assessment office and leaders see every unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from zhaoshang.core.periods import SHANGHAI
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from .choices import SubmissionAction, SubmissionState, Timeliness
from .models import (
    Expense,
    MajorInfoReport,
    PromotionEvent,
    Recommendation,
    Submission,
    SubmissionStep,
    Visit,
    WeeklyCheck,
    WorkLog,
)


def _scoped(qs: QuerySet, user: User, field: str = "unit_id") -> QuerySet:
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _get(qs: QuerySet, pk: int, what: str):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"{what}不存在或无权查看")
    return obj


@dataclass
class RecordFilters:
    unit: int | None = None
    year: int | None = None
    q: str = ""
    role: str = ""
    target: str = ""
    level: str = ""


def visit_list(*, user: User, filters: RecordFilters | None = None) -> QuerySet[Visit]:
    f = filters or RecordFilters()
    qs = _scoped(Visit.objects.select_related("unit", "leader"), user)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.role:
        qs = qs.filter(leader__role=f.role)
    if f.q:
        qs = qs.filter(Q(enterprise__icontains=f.q) | Q(matter__icontains=f.q) | Q(leader__name__icontains=f.q))
    return qs.order_by("-date", "-id")


def recommendation_list(*, user: User, filters: RecordFilters | None = None) -> QuerySet[Recommendation]:
    f = filters or RecordFilters()
    qs = _scoped(Recommendation.objects.select_related("unit", "project"), user)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.target:
        qs = qs.filter(target=f.target)
    if f.q:
        qs = qs.filter(Q(enterprise__icontains=f.q) | Q(project__code__icontains=f.q))
    return qs.order_by("-date", "-id")


def event_list(*, user: User, filters: RecordFilters | None = None) -> QuerySet[PromotionEvent]:
    """Events the user's units hosted, and the city's own events (no host unit), which all may see."""
    f = filters or RecordFilters()
    qs = PromotionEvent.objects.select_related("host_unit").prefetch_related("projects")
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(Q(host_unit_id__in=ids) | Q(host_unit__isnull=True))
    if f.unit:
        qs = qs.filter(host_unit_id=f.unit)
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(code__icontains=f.q) | Q(city_leaders_present__icontains=f.q))
    return qs.order_by("-date", "code")


def visit_get(*, user: User, pk: int) -> Visit:
    return _get(visit_list(user=user), pk, "走访记录")


def recommendation_get(*, user: User, pk: int) -> Recommendation:
    return _get(recommendation_list(user=user), pk, "推荐考察记录")


def event_get(*, user: User, pk: int) -> PromotionEvent:
    return _get(event_list(user=user), pk, "招商活动")


def record_history(instance, limit: int = 50) -> list[dict]:
    """A record's history, newest first, with before → after per changed field."""
    model = type(instance)
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    out = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        rows = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                rows.append({"field": field.verbose_name, "old": _show(field, change.old),
                             "new": _show(field, change.new)})
        out.append({"record": newer, "action": {"+": "新增", "~": "修改", "-": "删除"}.get(newer.history_type, ""),
                    "rows": rows})
    return out


def _show(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Resident offices


def office_list(*, user: User) -> QuerySet[Unit]:
    return _scoped(Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE), user, "id").order_by("code")


def office_get(*, user: User, pk: int) -> Unit:
    return _get(office_list(user=user), pk, "驻点招商局")


def worklog_list(*, user: User, unit: Unit | None = None) -> QuerySet[WorkLog]:
    qs = _scoped(WorkLog.objects.select_related("unit", "author", "created_by"), user)
    return qs.filter(unit=unit) if unit else qs


def weekly_checks(*, user: User, unit: Unit) -> QuerySet[WeeklyCheck]:
    return _scoped(WeeklyCheck.objects.select_related("checked_by"), user).filter(unit=unit)


def report_list(*, user: User) -> QuerySet[MajorInfoReport]:
    """Reports of the user's offices, and those assigned to the user's units (the chain lead units)."""
    qs = MajorInfoReport.objects.select_related("unit", "assigned_unit", "project")
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(Q(unit_id__in=ids) | Q(assigned_unit_id__in=ids))
    return qs.order_by("-reported_on", "-id")


def report_get(*, user: User, pk: int) -> MajorInfoReport:
    return _get(report_list(user=user), pk, "重大项目报告")


def expense_list(*, user: User, unit: Unit) -> QuerySet[Expense]:
    # The office's own account: a team's expenses kept by this unit show on the team's ledger (teams.py).
    return _scoped(Expense.objects.select_related("approved_by", "created_by"), user).filter(unit=unit,
                                                                                            team__isnull=True)


def expense_get(*, user: User, pk: int) -> Expense:
    return _get(_scoped(Expense.objects.select_related("unit"), user), pk, "经费支出")


# ---------------------------------------------------------------------------------------------
# Submissions


def _last_step(field: str):
    return Subquery(SubmissionStep.objects.filter(submission=OuterRef("pk")).order_by("-at", "-id").values(field)[:1])


def submission_scope(user: User) -> QuerySet[Submission]:
    return _scoped(Submission.objects.select_related("unit"), user).annotate(
        last_action=_last_step("action"), last_reason=_last_step("reason"))


def submission_get(*, user: User, pk: int) -> Submission:
    return _get(submission_scope(user), pk, "报送记录")


def timeliness(sub: Submission | None, due: dt.date, today: dt.date) -> str:
    if sub is not None and sub.submitted_at is not None:
        day = sub.submitted_at.astimezone(SHANGHAI).date()
        return Timeliness.ON_TIME if day <= sub.due_date else Timeliness.LATE
    return Timeliness.MISSING if today > due else Timeliness.NOT_DUE


def state(sub: Submission | None, due: dt.date, today: dt.date) -> str:
    action = getattr(sub, "last_action", None) if sub is not None else None
    if action == SubmissionAction.RETURNED:
        return SubmissionState.RETURNED
    if action == SubmissionAction.ACCEPTED:
        return SubmissionState.ACCEPTED
    if sub is not None and sub.submitted_at is not None:
        return SubmissionState.SUBMITTED
    return SubmissionState.MISSING if today > due else SubmissionState.NOT_DUE


@dataclass
class BoardRow:
    """One unit's line for a period: the submission (or none yet), its state and timeliness."""

    unit: Unit
    submission: Submission | None
    due_date: dt.date
    state: str
    timeliness: str

    @property
    def state_label(self) -> str:
        return SubmissionState(self.state).label

    @property
    def timeliness_label(self) -> str:
        return Timeliness(self.timeliness).label


def submission_board(*, user: User, period: str, today: dt.date, unit: int | None = None,
                     state_filter: str = "") -> list[BoardRow]:
    """Every active unit in the user's scope for one month, with or without a submission row: the
    office's list shows the missing ones too."""
    from .services import due_date_for

    due = due_date_for(period)
    units = _scoped(Unit.objects.filter(is_active=True), user, "id").order_by("code")
    if unit:
        units = units.filter(pk=unit)
    subs = {s.unit_id: s for s in submission_scope(user).filter(period=period)}
    rows = []
    for u in units:
        sub = subs.get(u.pk)
        d = sub.due_date if sub else due
        rows.append(BoardRow(u, sub, d, state(sub, d, today), timeliness(sub, d, today)))
    if state_filter:
        rows = [r for r in rows if r.state == state_filter or r.timeliness == state_filter]
    return rows


def unit_submissions(*, user: User, unit: Unit) -> QuerySet[Submission]:
    return submission_scope(user).filter(unit=unit).order_by("-period")


def previous_snapshot(submission: Submission):
    """The latest snapshot of the unit's previous submitted month, to compare with."""
    from .models import SubmissionSnapshot

    return (SubmissionSnapshot.objects.filter(submission__unit_id=submission.unit_id,
                                              submission__period__lt=submission.period)
            .order_by("-submission__period", "-taken_at", "-id").first())
