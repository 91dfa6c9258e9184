"""个人分成: a project's credit split per role between people (ledger/credits.py), one row per person.

As `project_set_credits`: the rows of one project and role replace that role's split; the ratios sum to 1;
only a user who may edit the project's introducing unit writes it, and only people that user may credit
(ledger.credits.creditable_people); a project signed in a closed period needs an assessor with a reason.
The rows are checked on every pass and written through the service once the whole file is clean, inside
the import's transaction, so an error anywhere writes nothing."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import credits
from zhaoshang.ledger.choices import CreditRole
from zhaoshang.ledger.models import Project, ProjectCredit
from zhaoshang.orgs.models import Person

from .base import Handler, Row


class CreditHandler(Handler):
    sheet_name = "个人分成"
    model = ProjectCredit
    fields = {"role": "role", "ratio": "ratio"}
    refs = {"project": ("project", "project_id"), "person": ("person", "person_id")}
    what = "该项目"
    closing_record = "个人分成"

    def run(self) -> None:
        groups: dict[tuple[int, str], list[Row]] = defaultdict(list)
        count = 0
        for number, raw in self.reader.rows():
            count += 1
            row = self.parse(number, raw)
            if row is None or row.key is None or row.bad & {"project", "role"} or not row.ids.get("project"):
                continue
            groups[(row.ids["project"], row.values["role"])].append(row)
        self.ctx.advance(count, self.sheet_name)
        lead = {pk: unit for pk, unit in self.ctx.projects.values()}
        for (project_id, role), rows in groups.items():
            self.one(project_id, role, rows, lead.get(project_id))

    def one(self, project_id: int, role: str, rows: list[Row], lead_unit: int | None) -> None:
        if any(r.bad or r.blocked for r in rows):
            return  # each bad cell is reported already
        if project_id > 0 and (problem := self.ctx.edit_problem(lead_unit, self.what)):
            self.error(rows[0].number, "project", problem)
            return
        total = sum((Decimal(r.values["ratio"]) for r in rows), Decimal(0))
        if abs(total - 1) > credits.CREDIT_TOLERANCE:
            for r in rows:
                self.error(r.number, "ratio", f"{CreditRole(role).label}分成比例之和应为1，实际为{total.normalize():f}")
            return
        if not self.ctx.writing or project_id <= 0:
            self.counts["created"] += len(rows)
            return
        project = Project.objects.get(pk=project_id)
        people = {p.pk: p for p in Person.objects.filter(pk__in=[r.ids["person"] for r in rows])}
        spec = [(people[r.ids["person"]], Decimal(r.values["ratio"])) for r in rows]
        try:
            credits.project_set_credits(user=self.ctx.user, project=project, role=role, credits=spec,
                                        correction_reason=self.ctx.correction_reason)
        except (ApplicationError, PermissionDeniedError) as exc:
            self.error(rows[0].number, "person", exc.message)
            return
        self.counts["created"] += len(rows)
