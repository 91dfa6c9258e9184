"""产出: a producing project's yearly yield, with the rules of `ledger.yields` applied in bulk."""

from __future__ import annotations

from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import Project, ProjectYield
from zhaoshang.ledger.verification import mark_pending, mark_verified
from zhaoshang.ledger.yields import FIRST_YEAR, year_end

from .base import Handler, Row
from .ledger import _project_names
from .orgs import chunks

VALUE_FIELDS = ("output_value", "tax", "employees", "land_mu")


class YieldHandler(Handler):
    """As `yield_record` / `yield_update`: scope on the project's introducing unit, a producing project,
    a year from its production up to this year, one row per project and year. A changed yield that
    was checked goes back to 待核实."""

    sheet_name = "产出"
    model = ProjectYield
    fields = {"year": "year", "output_value": "output_value", "tax": "tax", "employees": "employees",
              "land_mu": "land_mu", "note": "note"}
    refs = {"project": ("project", "project_id")}
    what = "该项目的产出"
    closing_record = "产出"

    def load_existing(self, keys):
        ids = sorted({k[0] for k in keys if k[0] and k[0] > 0})
        found = {}
        for part in chunks(ids):
            for item in ProjectYield.objects.filter(project_id__in=part):
                found[(item.project_id, item.year)] = item
        return found

    @property
    def _producing(self) -> dict[int, object]:
        if not hasattr(self, "_producing_map"):
            self._producing_map = {}
        return self._producing_map

    def producing_on(self, project_id: int):
        if project_id not in self._producing:
            self._producing[project_id] = (Project.objects.filter(pk=project_id)
                                           .values_list("producing_on", flat=True).first())
        return self._producing[project_id]

    def units_of(self, instance) -> list:
        return [self._lead.get(instance.project_id)]

    @property
    def _lead(self) -> dict[int, int]:
        if not hasattr(self, "_lead_map"):
            self._lead_map = {pk: unit for pk, unit in self.ctx.projects.values()}
        return self._lead_map

    def permission_column(self) -> str:
        return "project"

    def closing_dates(self, instance, before, changed) -> list:
        if instance.year is None:
            return []
        return [("year", year_end(instance.year))]

    def correction_subjects(self, instances) -> list:
        names = _project_names({a.project_id for a in instances})
        return [(a.project_id, *names.get(a.project_id, ("", ""))) for a in instances]

    def extra_checks(self, instance, before, row: Row) -> list[tuple[str, str]]:
        problems = []
        year = instance.year
        if year is not None and not FIRST_YEAR <= year <= self.ctx.today.year:
            problems.append(("year", f"年度应在{FIRST_YEAR}年至{self.ctx.today.year}年之间"))
        elif year is not None and instance.project_id and instance.project_id > 0:
            producing = self.producing_on(instance.project_id)
            if producing is None:
                problems.append(("year", "项目尚未投产（未填写投产日期），不能登记产出"))
            elif year < producing.year:
                problems.append(("year", f"项目于{producing:%Y-%m-%d}投产，不能登记{year}年的产出"))
        if all(getattr(instance, f) is None for f in VALUE_FIELDS):
            problems.append(("tax", "产值、税收、用工人数、用地至少填写一项"))
        return problems

    def before_create(self, instance) -> None:
        instance.recorded_by_id = getattr(self.ctx.actor, "pk", None)
        if self.ctx.verified:
            mark_verified(instance, user=self.ctx.actor, at=self.ctx.now)
            instance.verified_on = min(year_end(instance.year), self.ctx.today)
            self.ctx.verified_facts += 1

    def before_update(self, instance) -> None:
        if instance.verification not in (Verification.PENDING, Verification.REJECTED):
            mark_pending(instance)
            instance.verification_reason = ""
            self.update_fields.update({"verification", "verification_reason", "verified_by", "verified_at",
                                       "verified_on", "preliminary_by", "preliminary_at"})

    def after_write(self, created, updated, before) -> None:
        self.ctx.touched_projects.update(a.project_id for a in [*created, *updated])
