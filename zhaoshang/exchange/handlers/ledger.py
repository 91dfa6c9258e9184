"""项目, 项目共享, 到位资金: the rules of `ledger.services`, applied in bulk."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from zhaoshang.core.fastwrite import (
    can_create_from_source,
    create_from_source,
    create_with_history,
    update_with_history,
)
from zhaoshang.integrity.services.prereview import signing_refusal
from zhaoshang.ledger.changes import DATE_FIELDS
from zhaoshang.ledger.choices import Stage
from zhaoshang.ledger.filings import reopen
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.ledger.services import SHARE_TOLERANCE, STAGE_FIELDS

from ..validate import validate_instance
from .base import REF_LABEL, Handler, Row, build
from .orgs import chunks

STAGE_NOTE = "随项目信息录入"
# Every dated stage has its filing, 签约 included (STAGE_FIELDS are those a unit user may not clear).
FILINGS = {"signed_on": Stage.SIGNED, **STAGE_FIELDS}
VERIFICATION_FIELDS = ["verification", "verification_reason", "preliminary_by", "preliminary_at", "verified_by",
                       "verified_at", "verified_on", "reviewed_by", "reviewed_at"]


def _project_names(ids) -> dict[int, tuple[str, str]]:
    ids = sorted(i for i in ids if i and i > 0)
    found = {}
    for part in chunks(ids):
        found.update({pk: (code, name) for pk, code, name in
                      Project.objects.filter(pk__in=part).values_list("pk", "code", "name")})
    return found


class ProjectHandler(Handler):
    """As `project_create` / `project_update`: scope on the introducing unit (before and after),
    full_clean without version and stage, no future dates, filed stages never cleared by a unit
    user, stage refreshed, version incremented, one stage filing per dated stage."""

    sheet_name = "项目"
    model = Project
    fields = {k: k for k in (
        "code", "name", "investor", "investor_uscc", "investor_origin", "industry", "industry_chain", "category",
        "is_four_power", "is_foreign", "foreign_amount", "planned_investment", "signed_amount", "signed_on",
        "registered_on", "started_on", "completed_on", "producing_on", "status", "status_reason",
        "build_kind", "investor_tags",
    )}
    refs = {
        "signed_at_event": ("event", "signed_at_event_id"), "lead_unit": ("unit", "lead_unit_id"),
        "introducer": ("person", "introducer_id"), "assisting_unit": ("unit", "assisting_unit_id"),
        "assisting_secretary": ("person", "assisting_secretary_id"),
    }
    exclude = ("version", "stage")
    ref_kind = "project"
    what = "该引资单位的项目"
    date_fields = DATE_FIELDS  # signed_on first: any other change touches the signing date
    closing_record = "项目"
    pipelined = True
    assigns_columns_only = True  # (and upper-cases the USCC, one of them)

    def load_existing(self, keys):
        # Only the codes the ledger holds (`ctx.projects`, every project's code, read when the sheet began):
        # a chunk of new projects asks nothing of the database, so it need not wait for the chunk being written.
        known = self.ctx.projects
        found = {}
        for part in chunks([k[0] for k in keys if k[0] in known]):
            found.update({(p.code,): p for p in Project.objects.filter(code__in=part)})
        return found

    def process(self, row: Row, instance) -> None:
        if instance is not None and not self.ctx.can_see_project(instance.pk, instance.lead_unit_id):
            # Answered as if the code did not exist, except that it cannot be used: no stage, no name, no
            # unit of a project the user may not see.
            self.error(row.number, "code", f"项目编号“{instance.code}”已被占用，请换一个编号")
            self.ctx.failed[self.ref_kind].add(self.code_of(row))
            return
        super().process(row, instance)

    def assign(self, instance, row: Row) -> None:
        super().assign(instance, row)
        if instance.investor_uscc:
            instance.investor_uscc = instance.investor_uscc.upper()

    def units_of(self, instance) -> list:
        return [instance.lead_unit_id]

    def correction_subjects(self, instances) -> list:
        return [(p.pk, p.code, p.name) for p in instances]

    def permission_column(self) -> str:
        return "lead_unit"

    def extra_checks(self, instance, before, row) -> list[tuple[str, str]]:
        errors = self.chosen_out_of_scope(instance, before, row)
        now = self.ctx.today
        for name in ("signed_on", *STAGE_FIELDS):
            value = getattr(instance, name)
            if value is not None and value > now:
                errors.append((name, f"日期 {value:%Y-%m-%d} 晚于今天，不能预填未发生的阶段"))
        if before is not None and not self.ctx.user.is_assessor:
            for name in STAGE_FIELDS:
                if before.get(name) and getattr(instance, name) is None:
                    errors.append((name, "已备案的阶段不能清除（项目阶段不能倒退，如需更正请联系考核办）"))
        # 项目预评审 (integrity): as the ledger's signing guard, a new signing needs a passed pre-review
        # when the city requires one (REQUIRE_PREREVIEW); a project new in this file has none yet.
        was_signed = before is not None and before.get("signed_on", instance.signed_on) is not None
        if refusal := signing_refusal(project_id=instance.pk, signed_on=instance.signed_on, was_signed=was_signed):
            errors.append(("signed_on", refusal))
        return errors

    def chosen_out_of_scope(self, instance, before, row: Row) -> list[tuple[str, str]]:
        """引资人, 帮办秘书 and 帮办单位 outside the user's units are refused as the web form and the API refuse
        them (`ledger.services._check_chosen_in_scope`), answered like a code that does not exist."""
        ids = self.ctx.visible_units
        if ids is None:
            return []
        errors = []
        for key, att in (("introducer", "introducer_id"), ("assisting_secretary", "assisting_secretary_id"),
                         ("assisting_unit", "assisting_unit_id")):
            value = getattr(instance, att)
            if value is None or value < 0 or (before is not None and before.get(att) == value):
                continue
            code = row.values.get(key)
            unit_id = value if key == "assisting_unit" else self.ctx.persons.get(code, (None, None))[1]
            if unit_id not in ids:
                kind = "unit" if key == "assisting_unit" else "person"
                errors.append((att[:-3], f"{REF_LABEL[kind]}“{code}”不存在（文件和系统中都没有）"))
        return errors

    def before_create(self, instance) -> None:
        instance.created_by_id = getattr(self.ctx.actor, "pk", None)
        instance.refresh_stage()

    def before_update(self, instance) -> None:
        instance.version += 1
        instance.refresh_stage()
        self.update_fields.update(("version", "stage"))

    def register(self, instance, row: Row) -> None:
        self.ctx.projects[instance.code] = (instance.pk, instance.lead_unit_id)

    def after_write(self, created, updated, before) -> None:
        """One filing per dated stage (签约 included), as `project_create` / `project_update`: a new
        filing is 待核实 (已认定 in a verified import); a checked filing whose date (or, for 签约, amount)
        changed goes back to 待核实."""
        ctx = self.ctx
        user_id = getattr(ctx.actor, "pk", None)
        ctx.new_projects.update(p.pk for p in created)
        ctx.touched_projects.update(p.pk for p in created)
        ctx.touched_projects.update(p.pk for p in updated)
        new_records = []
        if ctx.verified or not can_create_from_source(StageRecord):
            # each filing built here: made 已认定 in Python (`ctx.verify`), or a database without the SQL below
            for project in created:
                for name, stage in FILINGS.items():
                    day = getattr(project, name)
                    if day is not None:
                        new_records.append(build(StageRecord, project_id=project.pk, stage=stage, date=day,
                                                 note=STAGE_NOTE, filed_by_id=user_id))
        elif created:
            # The same filings, made by the database from the project rows just written (in the same order:
            # project by project, stage by stage), rather than built here one by one.
            template = build(StageRecord, project_id=None, stage="", date=None, note=STAGE_NOTE,
                             filed_by_id=user_id)
            branches = [{"project_id": ("column", "id"), "stage": ("value", str(stage)), "date": ("column", name)}
                        for name, stage in FILINGS.items()]
            create_from_source(StageRecord, template, Project, [p.pk for p in created], branches, user=ctx.actor)
            ctx.filed_projects.update(p.pk for p in created if any(getattr(p, n) is not None for n in FILINGS))
        moved = {}  # project id → whether its signed amount changed (the 签约 filing stands for it too)
        for p in updated:
            was = before[id(p)]
            amount = "signed_amount" in was and was["signed_amount"] != p.signed_amount
            if amount or any(was.get(n, getattr(p, n)) != getattr(p, n) for n in FILINGS):
                moved[p.pk] = amount
        changed_records, gone = [], []
        if moved:
            records = defaultdict(dict)
            for part in chunks(list(moved)):
                for record in StageRecord.objects.filter(project_id__in=part):
                    records[record.project_id][record.stage] = record
            for project in (p for p in updated if p.pk in moved):
                for name, stage in FILINGS.items():
                    day, record = getattr(project, name), records[project.pk].get(stage)
                    if day is None and record is not None:
                        gone.append(record)
                    elif day is None:
                        continue
                    elif record is None:
                        new_records.append(StageRecord(project_id=project.pk, stage=stage, date=day,
                                                       note=STAGE_NOTE, filed_by_id=user_id))
                    elif record.date != day or (stage == Stage.SIGNED and moved[project.pk]):
                        # What was checked no longer holds: a checked filing goes back to 待核实 (as
                        # `project_update`); a returned one stays returned until the unit refiles it.
                        dated = record.date != day
                        if dated:
                            record.date, record.filed_by_id = day, user_id
                        if ctx.verified:
                            ctx.verify(record)
                        elif not reopen(record, ctx.actor) and not dated:
                            continue
                        changed_records.append(record)
        if ctx.verified:
            for record in new_records:
                ctx.verify(record)
        ctx.filed_projects.update(r.project_id for r in (*new_records, *changed_records, *gone))
        if new_records:
            create_with_history(StageRecord, new_records, user=ctx.actor)
        if changed_records:
            update_with_history(StageRecord, changed_records, ["date", "filed_by", *VERIFICATION_FIELDS],
                                user=ctx.actor)
        for record in gone:
            record._history_user = ctx.actor
            record.delete()


class ShareHandler(Handler):
    """As `project_set_shares`: the shares of each project named in the sheet replace its shares."""

    sheet_name = "项目共享"
    model = ProjectShare
    fields = {"ratio": "ratio", "tax_ratio": "tax_ratio"}
    refs = {"project": ("project", "project_id"), "unit": ("unit", "unit_id")}
    what = "该项目"
    closing_record = "共享"

    def correction_subjects(self, instances) -> list:
        return instances  # one per project, already (project id, code, name)

    def run(self) -> None:
        by_project: dict[int, list[Row]] = defaultdict(list)
        count = 0
        for number, raw in self.reader.rows():
            count += 1
            row = self.parse(number, raw)
            if "project" not in row.bad and row.ids.get("project"):
                by_project[row.ids["project"]].append(row)
        self.ctx.advance(count, self.sheet_name)
        existing: dict[int, dict[int, ProjectShare]] = defaultdict(dict)
        project_ids = [p for p in by_project if p > 0]
        for part in chunks(project_ids):
            for share in ProjectShare.objects.filter(project_id__in=part):
                existing[share.project_id][share.unit_id] = share
        lead = {pk: unit for pk, unit in self.ctx.projects.values()}
        # Closed periods (结账): shares of a project signed in one are changed as `project_set_shares`
        # allows (a project created by this file is covered by its own row on the 项目 sheet).
        self.signed = {}
        if self.ctx.closed:
            for part in chunks(sorted(set(project_ids) - self.ctx.new_projects)):
                self.signed.update({pk: (day, code, name) for pk, day, code, name in Project.objects.filter(
                    pk__in=part, signed_on__isnull=False).values_list("pk", "signed_on", "code", "name")})
        self.corrections = []
        creates, updates, deletes = [], [], []
        for project_id, rows in by_project.items():
            self.one_project(project_id, rows, existing[project_id], lead.get(project_id), creates, updates, deletes)
        if self.ctx.writing and self.corrections:
            self.save_corrections(self.corrections)
        if self.ctx.writing:
            self.save_proposals()
            for share in deletes:
                share._history_user = self.ctx.actor
                share.delete()
            if creates:
                create_with_history(ProjectShare, creates, user=self.ctx.actor)
            if updates:
                update_with_history(ProjectShare, updates, ["ratio", "tax_ratio"], user=self.ctx.actor)

    def one_project(self, project_id, rows, current, lead_unit, creates, updates, deletes) -> None:
        complete = all(r.key is not None and not r.bad and not r.blocked for r in rows)
        wanted = {r.ids["unit"]: r for r in rows if r.key is not None and not r.bad & {"unit", "ratio"}}
        if complete and set(wanted) == set(current) and all(
            current[u].ratio == Decimal(r.values["ratio"]) and current[u].tax_ratio == self.tax_of(r, current.get(u))
            for u, r in wanted.items()
        ):
            self.counts["unchanged"] += len(rows)
            return
        if project_id > 0:
            problem = self.ctx.edit_problem(lead_unit, self.what)
            if problem:
                self.error(rows[0].number, "project", problem)
                return
        signed = self.signed.get(project_id)
        hit = self.ctx.closed_hit([("project", signed[0])]) if signed else None
        if hit and (problem := self.ctx.closing_problem(hit[0])):
            self.error(rows[0].number, "project", problem)
            return
        failed = False
        for unit_id, row in wanted.items():
            candidate = ProjectShare(project_id=project_id, unit_id=unit_id, ratio=Decimal(row.values["ratio"]))
            for _name, message in validate_instance(candidate):
                self.error(row.number, "ratio", message)
                failed = True
        total = sum((Decimal(r.values["ratio"]) for r in wanted.values()), Decimal("0"))
        if complete and abs(total - 1) > SHARE_TOLERANCE:
            for row in wanted.values():
                self.error(row.number, "ratio", f"共享比例之和应为1，实际为{total.normalize():f}")
            failed = True
        if complete and not failed:
            failed = self.tax_problem(wanted, current)
        if failed or not complete:
            return
        waiting = self.waiting_units(project_id, current, lead_unit, wanted)
        if waiting:
            # Another unit's share changes only with its consent (ledger/sharing.py): kept as a change
            # waiting for it, the project's shares stay as they are.
            self.proposals.append((project_id, {u: Decimal(r.values["ratio"]) for u, r in wanted.items()}, waiting))
            self.counts["pending"] = self.counts.get("pending", 0) + 1
            return
        if hit:
            codes = self.ctx.unit_codes
            summary = "；".join(f"{codes.get(u, u)}：{Decimal(r.values['ratio']).normalize():f}"
                               for u, r in wanted.items())
            self.corrections.append(((project_id, signed[1], signed[2]), hit[0], hit[2], "修改",
                                     f"导入：{summary or '取消共享'}"))
        for unit_id, row in wanted.items():
            share = current.get(unit_id)
            ratio = Decimal(row.values["ratio"])
            tax_ratio = self.tax_of(row, share)
            if share is None:
                creates.append(ProjectShare(project_id=project_id, unit_id=unit_id, ratio=ratio, tax_ratio=tax_ratio))
                self.counts["created"] += 1
            elif share.ratio != ratio or share.tax_ratio != tax_ratio:
                share.ratio, share.tax_ratio = ratio, tax_ratio
                updates.append(share)
                self.counts["updated"] += 1
            else:
                self.counts["unchanged"] += 1
        for unit_id, share in current.items():
            if unit_id not in wanted:
                deletes.append(share)
                self.counts["deleted"] += 1


    def tax_of(self, row: Row, share) -> Decimal | None:
        """The row's 税收分成比例; a file without the column keeps what the share has."""
        if "tax_ratio" not in self.present_keys:
            return share.tax_ratio if share is not None else None
        value = row.values.get("tax_ratio")
        return Decimal(value) if value is not None else None

    def tax_problem(self, wanted: dict, current: dict) -> bool:
        """税收分成比例 of one project: when any is set, the tax parts sum to 1 (as `check_tax_ratios`)."""
        from zhaoshang.core.errors import ApplicationError
        from zhaoshang.ledger.yields import check_tax_ratios

        if "tax_ratio" not in self.present_keys:
            return False
        try:
            check_tax_ratios([(Decimal(r.values["ratio"]), self.tax_of(r, current.get(u))) for u, r in wanted.items()])
        except ApplicationError as exc:  # each row of the project is told
            for row in wanted.values():
                self.error(row.number, "tax_ratio", exc.message)
            return True
        return False

    @property
    def proposals(self) -> list:
        if not hasattr(self, "_proposals"):
            self._proposals = []
        return self._proposals

    def waiting_units(self, project_id, current, lead_unit, wanted) -> set[int]:
        """The units outside the user's whose credited part of the project the rows change."""
        ids = self.ctx.visible_units
        if ids is None or project_id < 0 or getattr(self.ctx.user, "is_assessor", False):
            return set()
        before = {u: s.ratio for u, s in current.items()} or {lead_unit: Decimal(1)}
        after = {u: Decimal(r.values["ratio"]) for u, r in wanted.items()} or {lead_unit: Decimal(1)}
        zero = Decimal(0)
        return {u for u in before.keys() | after.keys() if before.get(u, zero) != after.get(u, zero) and u not in ids}

    def save_proposals(self) -> None:
        from zhaoshang.ledger import sharing
        from zhaoshang.orgs.models import Unit

        for project_id, ratios, waiting in self.proposals:
            project = Project.objects.get(pk=project_id)
            units = Unit.objects.in_bulk(list(ratios))
            sharing.propose(user=self.ctx.actor, project=project, shares=[(units[u], r) for u, r in ratios.items()],
                            waiting=waiting, correction_reason=self.ctx.correction_reason)


class FundHandler(Handler):
    """As `fund_arrival_record`: scope on the project's introducing unit, amount above 0, not after today.
    A row is identified by all four columns (and which of several equal rows it is), so it is either
    already there or new."""

    sheet_name = "到位资金"
    model = FundArrival
    fields = {"date": "date", "amount": "amount", "kind": "kind"}
    refs = {"project": ("project", "project_id")}
    exclude = ("evidence",)
    what = "该项目的到位资金"
    date_fields = ("date",)
    closing_record = "到位资金"
    pipelined = True
    keys_unique = True  # the n-th equal row is told apart by n (`make_key`)
    assigns_columns_only = True

    def correction_subjects(self, instances) -> list:
        names = _project_names({a.project_id for a in instances})
        return [(a.project_id, *names.get(a.project_id, ("", ""))) for a in instances]

    def correction_summary(self, instance, before, changed, row) -> str:
        return f"导入新增：{instance.date:%Y-%m-%d} {instance.amount.normalize():f}万元"

    def make_key(self, row: Row) -> tuple:
        # Two equal arrivals on one day (two transfers of the same amount) are two rows: the n-th equal
        # row of the file matches the n-th equal arrival of the database, so re-imports still match.
        base = super().make_key(row)
        self._occurrence[base] = n = self._occurrence.get(base, 0) + 1
        return (*base, n)

    @property
    def _occurrence(self) -> dict:
        if not hasattr(self, "_occ"):
            self._occ = {}
        return self._occ

    def load_existing(self, keys):
        # The keys of the arrivals already recorded, loaded once per project. Projects created by this
        # import have none but those of this sheet (whose equal rows are counted by make_key).
        if not hasattr(self, "_known"):
            self._known, self._loaded = set(), set()
        ids = sorted({k[0] for k in keys if k[0] and k[0] > 0} - self.ctx.new_projects - self._loaded)
        self._loaded.update(ids)
        seen: dict[tuple, int] = {}
        for part in chunks(ids):
            rows = FundArrival.objects.filter(project_id__in=part).order_by("id").values_list(
                "project_id", "date", "amount", "kind")
            for base in rows:
                seen[base] = n = seen.get(base, 0) + 1
                self._known.add((*base, n))
        return {k: True for k in keys if k in self._known}

    def process(self, row: Row, instance) -> None:
        if instance is True:  # every column is part of the key: an arrival already recorded is unchanged
            self.counts["unchanged"] += 1
            return
        super().process(row, instance)

    def units_of(self, instance) -> list:
        return [self._lead.get(instance.project_id)]

    @property
    def _lead(self) -> dict[int, int]:
        if not hasattr(self, "_lead_map"):
            self._lead_map = {pk: unit for pk, unit in self.ctx.projects.values()}
        return self._lead_map

    def permission_column(self) -> str:
        return "project"

    def extra_checks(self, instance, before, row) -> list[tuple[str, str]]:
        if instance.date is not None and instance.date > self.ctx.today:
            return [("date", "到位日期不能晚于今天")]
        return []

    def before_create(self, instance) -> None:
        instance.recorded_by_id = getattr(self.ctx.actor, "pk", None)
        if self.ctx.verified:
            self.ctx.verify(instance)

    def after_write(self, created, updated, before) -> None:
        self.ctx.touched_projects.update(a.project_id for a in created)
