"""招商活动, 走访, 推荐考察, 报送, 目标, 考核调整, 出勤."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.assessment.models import Adjustment
from zhaoshang.core.periods import SHANGHAI, parse_period
from zhaoshang.orgs.scope import descendant_ids
from zhaoshang.targets.models import Target

from .base import Handler, Row
from .orgs import chunks


def _load(model, keys, key_fn, unit_field: str = "unit_id") -> dict:
    """Existing rows whose natural key is among `keys` (one query per 2,000 units/people)."""
    owners = sorted({k[1] if unit_field != "person_id" else k[0] for k in keys} - {None})
    found = {}
    for part in chunks([o for o in owners if o > 0]):
        for instance in model.objects.filter(**{f"{unit_field}__in": part}):
            found.setdefault(key_fn(instance), instance)
    return found


class EventHandler(Handler):
    sheet_name = "招商活动"
    model = PromotionEvent
    fields = {"code": "code", "date": "date", "name": "name", "level": "level",
              "city_leaders_present": "city_leaders_present"}
    refs = {"host_unit": ("unit", "host_unit_id")}
    ref_kind = "event"
    what = "该单位主办的活动（未填写主办单位的活动只能由考核办维护）"
    date_fields = ("date",)
    closing_record = "招商活动"

    def correction_subjects(self, instances) -> list:
        return [(None, e.code, e.name) for e in instances]

    def load_existing(self, keys):
        found = {}
        for part in chunks([k[0] for k in keys]):
            found.update({(e.code,): e for e in PromotionEvent.objects.filter(code__in=part)})
        return found

    def units_of(self, instance) -> list:
        return [instance.host_unit_id]

    def permission(self, instance, old_units, row) -> str | None:
        for unit_id in dict.fromkeys([*old_units, *self.units_of(instance)]):
            problem = self.ctx.edit_problem(unit_id, self.what)
            if problem:
                return problem
        return None

    def permission_column(self) -> str:
        return "host_unit" if "host_unit" in self.present_keys else "code"

    def register(self, instance, row: Row) -> None:
        self.ctx.events[instance.code] = (instance.pk, instance.host_unit_id)


class VisitHandler(Handler):
    sheet_name = "走访"
    model = Visit
    fields = {"date": "date", "enterprise": "enterprise", "industry": "industry", "matter": "matter"}
    refs = {"unit": ("unit", "unit_id"), "leader": ("person", "leader_id")}
    date_fields = ("date",)
    closing_record = "走访"

    def correction_subjects(self, instances) -> list:
        codes = self.ctx.unit_codes
        return [(None, codes.get(v.unit_id, ""), v.enterprise) for v in instances]

    def load_existing(self, keys):
        return _load(Visit, keys, lambda v: (v.date, v.unit_id, v.leader_id, v.enterprise))


class RecommendationHandler(Handler):
    sheet_name = "推荐考察"
    model = Recommendation
    fields = {"date": "date", "enterprise": "enterprise", "target": "target"}
    refs = {"unit": ("unit", "unit_id"), "project": ("project", "project_id")}
    date_fields = ("date",)
    closing_record = "推荐考察"

    def correction_subjects(self, instances) -> list:
        codes = self.ctx.unit_codes
        return [(None, codes.get(r.unit_id, ""), r.enterprise) for r in instances]

    def load_existing(self, keys):
        return _load(Recommendation, keys, lambda r: (r.date, r.unit_id, r.enterprise, r.target))


class SubmissionHandler(Handler):
    """报送日期 is a day; the model keeps a moment. A moment on the same Shanghai day is the same value."""

    sheet_name = "报送"
    model = Submission
    fields = {"period": "period", "due_date": "due_date"}
    refs = {"unit": ("unit", "unit_id")}
    closing_record = "报送"

    def closing_dates(self, instance, before, changed) -> list:
        # A submission lies in a closed period by its 报送期间 (the month), whatever changes in the row.
        try:
            return [("period", parse_period(instance.period or "").start)]
        except ValueError:
            return []  # the model's own validation reports the period

    def correction_subjects(self, instances) -> list:
        codes = self.ctx.unit_codes
        return [(None, codes.get(s.unit_id, ""), f"{s.period}报送") for s in instances]

    def __init__(self, ctx, reader):
        super().__init__(ctx, reader)
        self.col_of_field["submitted_at"] = "submitted_on"
        if "submitted_on" in self.present_keys:
            self.tracked.append("submitted_at")

    def make_key(self, row: Row) -> tuple:
        return (row.ids.get("unit"), row.values.get("period"))

    def load_existing(self, keys):
        found = {}
        units = sorted({k[0] for k in keys if k[0] and k[0] > 0})
        for part in chunks(units):
            for s in Submission.objects.filter(unit_id__in=part):
                found[(s.unit_id, s.period)] = s
        return found

    def assign(self, instance, row: Row) -> None:
        super().assign(instance, row)
        if "submitted_on" in row.values and "submitted_on" not in row.bad:
            day = row.values["submitted_on"]
            current = instance.submitted_at
            if day is None:
                instance.submitted_at = None
            elif current is None or timezone.localtime(current, SHANGHAI).date() != day:
                instance.submitted_at = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)

    def extra_checks(self, instance, before, row) -> list[tuple[str, str]]:
        at = instance.submitted_at
        if at is not None and timezone.localtime(at, SHANGHAI).date() > self.ctx.today:
            return [("submitted_at", "报送日期不能晚于今天")]
        return []


class TargetHandler(Handler):
    """Targets are set by the assessment office; a unit may decompose its own to the units below it."""

    sheet_name = "目标"
    model = Target
    fields = {"year": "year", "indicator": "indicator", "value": "value"}
    refs = {"unit": ("unit", "unit_id")}

    def load_existing(self, keys):
        found = {}
        units = sorted({k[0] for k in keys if k[0] and k[0] > 0})
        for part in chunks(units):
            for t in Target.objects.filter(unit_id__in=part):
                found[(t.unit_id, t.year, t.indicator)] = t
        return found

    def permission(self, instance, old_units, row) -> str | None:
        if not hasattr(self, "_below"):
            user = self.ctx.user
            self._below = set() if user.is_assessor or user.unit_id is None else descendant_ids(user.unit_id) - {
                user.unit_id}
        for unit_id in dict.fromkeys([*old_units, instance.unit_id]):
            problem = target_permission_problem(self.ctx.user, unit_id, self._below)
            if problem:
                return problem
        return None


def target_permission_problem(user, unit_id: int | None, below: set[int] | None = None) -> str | None:
    """Who may set a unit's target: the assessment office, or a unit user for units below their own."""
    if not user.is_authenticated or user.is_read_only:
        return "您没有修改目标的权限（只读账号）"
    if user.is_assessor:
        return None
    if below is None:
        below = descendant_ids(user.unit_id) - {user.unit_id} if user.unit_id else set()
    if unit_id not in below:
        return "目标由考核办下达；单位只能向本单位的下级单位分解目标"
    return None


class AdjustmentHandler(Handler):
    sheet_name = "考核调整"
    model = Adjustment
    fields = {"year": "year", "item": "item", "points": "points", "reason": "reason"}
    refs = {"unit": ("unit", "unit_id"), "person": ("person", "person_id")}

    def load_existing(self, keys):
        found = {}
        years = sorted({k[2] for k in keys})
        for adj in Adjustment.objects.filter(year__in=years):
            found.setdefault((adj.unit_id, adj.person_id, adj.year, adj.item), adj)
        return found

    def permission(self, instance, old_units, row) -> str | None:
        return None if self.ctx.user.is_assessor else "只有考核办可以录入考核调整"

    def permission_column(self) -> str:
        return "unit" if "unit" in self.present_keys else "person"

    def before_create(self, instance) -> None:
        instance.entered_by_id = getattr(self.ctx.actor, "pk", None)


class AttendanceHandler(Handler):
    sheet_name = "出勤"
    model = Attendance
    fields = {"date": "date", "on_station": "on_station"}
    refs = {"person": ("person", "person_id")}
    what = "该单位人员的出勤"
    date_fields = ("date",)
    closing_record = "出勤"

    def correction_subjects(self, instances) -> list:
        if not hasattr(self, "_person_no"):
            self._person_no = {pk: no for no, (pk, _unit) in self.ctx.persons.items()}
        codes = self.ctx.unit_codes
        return [(None, codes.get(self.units_of(a)[0], ""), f"工号{self._person_no.get(a.person_id, '')}")
                for a in instances]

    def load_existing(self, keys):
        found = {}
        people = sorted({k[0] for k in keys if k[0] and k[0] > 0})
        for part in chunks(people):
            for a in Attendance.objects.filter(person_id__in=part):
                found[(a.person_id, a.date)] = a
        return found

    def units_of(self, instance) -> list:
        if not hasattr(self, "_unit_of_person"):
            self._unit_of_person = {pk: unit for pk, unit in self.ctx.persons.values()}
        return [self._unit_of_person.get(instance.person_id)]

    def permission_column(self) -> str:
        return "person"
