"""Export what a user may see as the standard workbook, ready to edit and import again.

Rows come from the scoped selectors' rules (a unit user: their unit and the units below it; projects
introduced by or shared with them). The export is closed under references so that importing it into
an empty database works: the units, people and events its rows name are included. Values are typed
(numbers as numbers, dates as dates), choices as their Chinese labels, flags as 是/否.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.assessment.models import Adjustment
from zhaoshang.core.db_router import stale_reads
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.choices import section_label
from zhaoshang.ledger.models import FundArrival, Project, ProjectCredit, ProjectShare, ProjectYield
from zhaoshang.ledger.selectors import held_by_units, project_scope
from zhaoshang.orgs.models import GroupMembership, Person, Unit, UnitGroup
from zhaoshang.orgs.scope import descendant_ids, visible_unit_ids
from zhaoshang.targets.models import Target

from .spec import SHEET_BY_NAME
from .template import write_workbook

ITER = 5000


def _labels(sheet: str, key: str) -> dict[str, str]:
    column = SHEET_BY_NAME[sheet].column(key)
    return {str(v): str(label) for v, label in column.choices.choices}


def _yn(value: bool) -> str:
    return "是" if value else "否"


class Export:
    def __init__(self, *, user=None, unit: Unit | None = None, year: int | None = None):
        self.user = user
        ids = visible_unit_ids(user) if user is not None and getattr(user, "pk", None) else None
        if unit is not None:
            below = descendant_ids(unit.pk)
            ids = below if ids is None else ids & below
        self.unit_ids = ids  # None: every unit
        self.year = year
        self.unit_code = dict(Unit.objects.values_list("id", "code"))
        self.person_no = dict(Person.objects.values_list("id", "staff_no"))
        self.event_code = dict(PromotionEvent.objects.values_list("id", "code"))
        self.needed_units: set[int] = set()
        self.needed_people: set[int] = set()
        self.needed_events: set[int] = set()

    # ---- scoping ------------------------------------------------------------------------------------

    def _units(self, qs, field: str = "unit_id"):
        return qs if self.unit_ids is None else qs.filter(**{f"{field}__in": self.unit_ids})

    def _year(self, qs, field: str):
        return qs if self.year is None else qs.filter(**{f"{field}__year": self.year})

    def projects(self):
        qs = project_scope(self.user) if self.user is not None and getattr(self.user, "pk", None) else Project.objects
        if self.unit_ids is not None:
            qs = qs.filter(id__in=held_by_units(self.unit_ids))
        if self.year is not None:
            funded = FundArrival.objects.filter(date__year=self.year).values("project_id")
            qs = qs.filter(Q(signed_on__year=self.year) | Q(id__in=funded))
        return qs.order_by("code")

    def code(self, unit_id):
        if unit_id is None:
            return None
        self.needed_units.add(unit_id)
        return self.unit_code[unit_id]

    def person(self, person_id):
        if person_id is None:
            return None
        self.needed_people.add(person_id)
        return self.person_no[person_id]

    def event(self, event_id):
        if event_id is None:
            return None
        self.needed_events.add(event_id)
        return self.event_code[event_id]

    # ---- sheets ------------------------------------------------------------------------------------------

    def project_rows(self) -> Iterator[list]:
        status = _labels("项目", "status")
        for p in self.projects().iterator(chunk_size=ITER):
            yield [
                p.code, p.name, p.investor, p.investor_uscc or None, p.investor_origin or None, p.industry or None,
                p.industry_chain or None, section_label(p.category), _yn(p.is_four_power), _yn(p.is_foreign),
                p.foreign_amount, p.planned_investment, p.signed_amount, p.signed_on, self.event(p.signed_at_event_id),
                p.registered_on, p.started_on, p.completed_on, p.producing_on, status[p.status],
                p.status_reason or None, self.code(p.lead_unit_id), self.person(p.introducer_id),
                self.code(p.assisting_unit_id), self.person(p.assisting_secretary_id),
                p.get_build_kind_display() or None, "、".join(p.investor_tag_labels) or None,
            ]

    def share_rows(self) -> Iterator[list]:
        qs = ProjectShare.objects.filter(project__in=self.projects().values("id")).order_by("project__code", "-ratio")
        for project_code, unit_id, ratio, tax in qs.values_list("project__code", "unit_id", "ratio",
                                                               "tax_ratio").iterator(ITER):
            yield [project_code, self.code(unit_id), ratio.normalize() if ratio == ratio.to_integral() else ratio,
                   None if tax is None else (tax.normalize() if tax == tax.to_integral() else tax)]

    def credit_rows(self) -> Iterator[list]:
        roles = _labels("个人分成", "role")
        qs = ProjectCredit.objects.filter(project__in=self.projects().values("id")).order_by(
            "project__code", "role", "-ratio", "person_id")
        for project_code, role, person_id, ratio in qs.values_list("project__code", "role", "person_id", "ratio"):
            yield [project_code, roles[role], self.person(person_id),
                   ratio.normalize() if ratio == ratio.to_integral() else ratio]

    def fund_rows(self) -> Iterator[list]:
        kinds = _labels("到位资金", "kind")
        qs = self._year(FundArrival.objects.filter(project__in=self.projects().values("id")), "date")
        for code, day, amount, kind in qs.order_by("project__code", "date", "id").values_list(
                "project__code", "date", "amount", "kind").iterator(ITER):
            yield [code, day, amount, kinds[kind]]

    def yield_rows(self) -> Iterator[list]:
        qs = ProjectYield.objects.filter(project__in=self.projects().values("id"))
        if self.year is not None:
            qs = qs.filter(year=self.year)
        for row in qs.order_by("project__code", "year").values_list(
                "project__code", "year", "output_value", "tax", "employees", "land_mu", "note").iterator(ITER):
            yield [*row[:6], row[6] or None]

    def visit_rows(self) -> Iterator[list]:
        qs = self._year(self._units(Visit.objects.all()), "date").order_by("date", "id")
        for v in qs.iterator(ITER):
            yield [v.date, self.code(v.unit_id), self.person(v.leader_id), v.enterprise,
                   section_label(v.industry) if v.industry else None, v.matter or None]

    def recommendation_rows(self) -> Iterator[list]:
        targets = _labels("推荐考察", "target")
        qs = self._year(self._units(Recommendation.objects.select_related("project")), "date").order_by("date", "id")
        for r in qs.iterator(ITER):
            yield [r.date, self.code(r.unit_id), r.project.code if r.project_id else None, r.enterprise,
                   targets[r.target]]

    def submission_rows(self) -> Iterator[list]:
        qs = self._units(Submission.objects.all())
        if self.year is not None:
            qs = qs.filter(period__startswith=f"{self.year}-")
        for s in qs.order_by("period", "unit__code").iterator(ITER):
            day = timezone.localtime(s.submitted_at, SHANGHAI).date() if s.submitted_at else None
            yield [self.code(s.unit_id), s.period, s.due_date, day]

    def target_rows(self) -> Iterator[list]:
        qs = self._units(Target.objects.all())
        if self.year is not None:
            qs = qs.filter(year=self.year)
        for t in qs.order_by("year", "unit__code", "indicator").iterator(ITER):
            yield [self.code(t.unit_id), t.year, t.indicator, t.value]

    def adjustment_rows(self) -> Iterator[list]:
        qs = Adjustment.objects.all()
        if self.unit_ids is not None:
            qs = qs.filter(Q(unit_id__in=self.unit_ids) | Q(person__unit_id__in=self.unit_ids))
        if self.year is not None:
            qs = qs.filter(year=self.year)
        for a in qs.order_by("year", "id").iterator(ITER):
            yield [self.code(a.unit_id), self.person(a.person_id), a.year, a.item, a.points, a.reason]

    def attendance_rows(self) -> Iterator[list]:
        qs = self._year(self._units(Attendance.objects.all(), "person__unit_id"), "date")
        for a in qs.order_by("date", "person__staff_no").iterator(ITER):
            yield [self.person(a.person_id), a.date, _yn(a.on_station)]

    def event_rows(self) -> Iterator[list]:
        levels = _labels("招商活动", "level")
        qs = PromotionEvent.objects.all()
        own = self._year(self._units(qs, "host_unit_id"), "date").values_list("id", flat=True)
        ids = set(own) | self.needed_events
        for e in PromotionEvent.objects.filter(id__in=ids).order_by("date", "code"):
            yield [e.code, e.date, e.name, levels[e.level], self.code(e.host_unit_id), e.city_leaders_present or None]

    def person_rows(self) -> list[list]:
        roles = _labels("人员", "role")
        own = set(self._units(Person.objects.all()).values_list("id", flat=True))
        rows = []
        for p in Person.objects.filter(id__in=own | self.needed_people).order_by("unit__code", "staff_no"):
            rows.append([p.staff_no, p.name, self.code(p.unit_id), p.title or None, roles[p.role]])
        return rows

    def grouping_rows(self) -> list[list]:
        """分组, scoped like 单位: a unit user sees the memberships of their own units only."""
        qs = self._units(GroupMembership.objects.all()).order_by("grouping__name", "unit__code")
        return [[self.code(unit_id), grouping, group]
                for unit_id, grouping, group in qs.values_list("unit_id", "grouping__name", "group__name")]

    def unit_rows(self) -> list[list]:
        kinds = _labels("单位", "kind")
        groups = dict(UnitGroup.objects.values_list("id", "name"))
        ids = set(self._units(Unit.objects.all(), "id").values_list("id", flat=True)) | self.needed_units
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        for uid in list(ids):  # parents too, so 上级单位编码 always names a unit of the file
            while parents.get(uid):
                uid = parents[uid]
                ids.add(uid)
        rows = []
        for u in Unit.objects.filter(id__in=ids).order_by("code"):
            rows.append([u.code, u.name, kinds[u.kind], groups.get(u.group_id), self.unit_code.get(u.parent_id)])
        return rows

    def sheets(self) -> dict[str, list[list]]:
        """Rows of every sheet. Dependent sheets are built first: they say which units, people and
        events the export must include."""
        data = {
            "项目": list(self.project_rows()),
            "项目共享": list(self.share_rows()),
            "个人分成": list(self.credit_rows()),
            "到位资金": list(self.fund_rows()),
            "产出": list(self.yield_rows()),
            "走访": list(self.visit_rows()),
            "推荐考察": list(self.recommendation_rows()),
            "报送": list(self.submission_rows()),
            "目标": list(self.target_rows()),
            "考核调整": list(self.adjustment_rows()),
            "出勤": list(self.attendance_rows()),
        }
        data["招商活动"] = list(self.event_rows())
        data["人员"] = self.person_rows()
        data["分组"] = self.grouping_rows()
        data["单位"] = self.unit_rows()
        return data


def export_workbook(path: str | Path, *, user=None, unit: Unit | None = None, year: int | None = None) -> dict:
    """Write the export to `path`; returns the row count per sheet."""
    with stale_reads():  # an export may be seconds old: read from the replica when there is one
        export = Export(user=user, unit=unit, year=year)
        data = export.sheets()
    codes = [row[0] for row in data["单位"]]
    write_workbook(path, data, unit_codes=codes)
    return {name: len(rows) for name, rows in data.items()}
