"""People and team money for the demo city (issue 13): 个人分成 on some projects (引资人 split 60/40,
帮办秘书 50/50), the 招商干部 roster of the 产业专班 — their own people and a few cadres seconded from the
departments, some without result in the last twelve months (无实绩) and what followed — and each 产业专班's
budget for the year, kept by a lead department, with expenses approved, reimbursed and pending.

Written in bulk like the rest of the generator (no history rows), deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from zhaoshang.activities import cadres as cadre_reading
from zhaoshang.activities.choices import ExpenseCategory, ExpenseStatus, FollowUpAction
from zhaoshang.activities.models import Cadre, CadreFollowUp, Expense, OfficeBudget
from zhaoshang.ledger.choices import CreditRole, Status
from zhaoshang.ledger.models import Project, ProjectCredit
from zhaoshang.orgs.choices import UnitKind, UserRole
from zhaoshang.orgs.models import Person, Unit, User

SPLITS = 40  # projects whose 引资人 credit is split 60/40
SECRETARY_SPLITS = 15  # projects whose 帮办秘书 credit is split 50/50
TEAM_BUDGET = Decimal("50")  # 万元 a 产业专班 a year
POSTS = ("科长", "副科长", "主任科员", "副主任")
TRIPS = ("赴合肥对接动力电池企业", "赴深圳参加电子信息产业招商推介会", "接待苏州医疗器械企业考察",
         "赴上海拜访新能源整车企业", "赴杭州对接智能终端项目", "接待北京创新药企业考察团")


def _projects_to_split(rng: random.Random, since: dt.date) -> list[Project]:
    qs = (Project.objects.filter(signed_on__gte=since, introducer__isnull=False).exclude(status=Status.TERMINATED)
          .only("id", "introducer_id", "assisting_secretary_id", "lead_unit_id").order_by("id"))
    rows = list(qs[:4000])
    rng.shuffle(rows)
    return rows


def write_credits(rng: random.Random, today: dt.date) -> int:
    people_by_unit: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in Person.objects.filter(is_active=True).values_list("pk", "unit_id").order_by("pk"):
        people_by_unit[unit_id].append(pk)
    unit_of = dict(Person.objects.values_list("pk", "unit_id"))
    rows: list[ProjectCredit] = []
    split_intro = split_sec = 0
    for p in _projects_to_split(rng, today.replace(year=today.year - 2, month=1, day=1)):
        if split_intro < SPLITS:
            others = [x for x in people_by_unit[unit_of[p.introducer_id]] if x != p.introducer_id]
            if others:
                rows += [ProjectCredit(project_id=p.pk, person_id=p.introducer_id, role=CreditRole.INTRODUCER,
                                       ratio=Decimal("0.6")),
                         ProjectCredit(project_id=p.pk, person_id=rng.choice(others), role=CreditRole.INTRODUCER,
                                       ratio=Decimal("0.4"))]
                split_intro += 1
                continue
        if split_sec < SECRETARY_SPLITS and p.assisting_secretary_id:
            others = [x for x in people_by_unit[unit_of[p.assisting_secretary_id]] if x != p.assisting_secretary_id]
            if others:
                rows += [ProjectCredit(project_id=p.pk, person_id=p.assisting_secretary_id, role=CreditRole.SECRETARY,
                                       ratio=Decimal("0.5")),
                         ProjectCredit(project_id=p.pk, person_id=rng.choice(others), role=CreditRole.SECRETARY,
                                       ratio=Decimal("0.5"))]
                split_sec += 1
        if split_intro >= SPLITS and split_sec >= SECRETARY_SPLITS:
            break
    ProjectCredit.objects.bulk_create(rows)
    return len(rows)


def write_cadres(rng: random.Random, today: dt.date, assessor: User | None) -> tuple[int, int]:
    """The 专班's own people, and one or two seconded department cadres per 专班 chosen among those
    without result in the last twelve months; two of these have follow-ups (约谈; 留任 with a reason)."""
    teams = list(Unit.objects.filter(kind=UnitKind.TASK_FORCE, is_active=True).order_by("code"))
    if not teams:
        return 0, 0
    start, end = cadre_reading.last_twelve_months(today)
    cadres: list[Cadre] = []
    for team in teams:
        for person in Person.objects.filter(unit=team, is_active=True).order_by("staff_no"):
            begin = today - dt.timedelta(days=rng.randint(200, 650))
            cadres.append(Cadre(person=person, unit=team, team=team, term_start=begin,
                                term_end=begin.replace(year=begin.year + 2) - dt.timedelta(days=1), full_time=False))
    departments = list(Person.objects.filter(unit__kind=UnitKind.DEPARTMENT, is_active=True)
                       .select_related("unit").order_by("staff_no"))
    results = cadre_reading.results([p.pk for p in departments], start, end)
    idle = [p for p in departments if p.pk not in results]
    rng.shuffle(idle)
    seconded = []
    for team, person in zip(teams * 2, idle, strict=False):
        begin = today - dt.timedelta(days=rng.randint(400, 650))
        cadre = Cadre(person=person, unit=person.unit, team=team, term_start=begin,
                      term_end=begin.replace(year=begin.year + 2) - dt.timedelta(days=1), full_time=True,
                      original_post=f"{person.unit.name}{rng.choice(POSTS)}",
                      note="脱产专职，保留原单位职务")
        cadres.append(cadre)
        seconded.append(cadre)
    Cadre.objects.bulk_create(cadres)
    follow_ups = []
    if seconded:
        follow_ups.append(CadreFollowUp(cadre=seconded[0], date=today - dt.timedelta(days=10),
                                        action=FollowUpAction.TALK, recorded_by=assessor,
                                        reason="近一年无签约项目，专班负责人约谈，要求制定下季度对接计划"))
    if len(seconded) > 1:
        follow_ups.append(CadreFollowUp(cadre=seconded[1], date=today - dt.timedelta(days=5),
                                        action=FollowUpAction.RETAIN, recorded_by=assessor,
                                        reason="在谈项目两个已进入合同审查，留任至项目签约"))
    CadreFollowUp.objects.bulk_create(follow_ups)
    return len(cadres), len(follow_ups)


def write_team_finance(rng: random.Random, today: dt.date, assessor: User | None) -> tuple[int, int]:
    """Each 产业专班's budget for the year, kept by a department (扎口管理), and its expenses."""
    teams = list(Unit.objects.filter(kind=UnitKind.TASK_FORCE, is_active=True).order_by("code"))
    leads = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True).order_by("code"))
    if not teams or not leads:
        return 0, 0
    staff = {u.unit_id: u for u in User.objects.filter(unit__in=teams, role=UserRole.UNIT_STAFF)}
    year_start = today.replace(month=1, day=1)
    span = max((today - year_start).days, 1)
    budgets, expenses = [], []
    now = timezone.now()
    for i, team in enumerate(teams):
        lead = leads[i % len(leads)]
        budgets.append(OfficeBudget(unit=lead, team=team, year=today.year, amount=TEAM_BUDGET,
                                    note="专款专用，牵头单位扎口管理"))
        for k in range(8):
            day = year_start + dt.timedelta(days=min(span, int(span * (k + 1) / 9)))
            status = ExpenseStatus.APPROVED if k < 6 else ExpenseStatus.PENDING
            amount = Decimal(rng.randrange(800, 9000)).quantize(Decimal("0.01"))
            expenses.append(Expense(
                unit=lead, team=team, date=day, category=rng.choice(list(ExpenseCategory)), amount=amount,
                description=rng.choice(TRIPS), status=status, created_by=staff.get(team.pk),
                approved_by=assessor if status == ExpenseStatus.APPROVED else None,
                approved_at=now if status == ExpenseStatus.APPROVED else None,
                reimbursed_on=min(day + dt.timedelta(days=7), today) if k < 4 else None,
                reimbursed_by=assessor if k < 4 else None))
    OfficeBudget.objects.bulk_create(budgets)
    Expense.objects.bulk_create(expenses)
    return len(budgets), len(expenses)


def write_people(*, seed: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(f"{seed}-people")
    assessor = User.objects.filter(role=UserRole.ASSESSOR).order_by("pk").first()
    credits = write_credits(rng, today)
    cadres, follow_ups = write_cadres(rng, today, assessor)
    budgets, expenses = write_team_finance(rng, today, assessor)
    return {"个人分成": credits, "招商干部": cadres, "无实绩处理": follow_ups, "组团预算": budgets,
            "组团支出": expenses}
