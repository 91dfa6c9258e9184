"""产出与服务 for the demo city (issue 15): three years of yields (产值, 税收, 用工, 用地) for the producing
projects, investor requests (most answered in time, some late, a few still overdue), aftercare visits with
issues, talent brought in (some credited to two units), and 项目跑办 items of the resident offices (the
Beijing office most). Written in bulk like the rest of the demo (no history rows), deterministic for a seed,
dated up to the demo's today; called before the preset targets, which are set from what units achieve."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.aftercare.deadlines import deadline_for
from zhaoshang.aftercare.models import (
    AftercareVisit,
    InvestorRequest,
    IssueStatus,
    LiaisonItem,
    LiaisonOutcome,
    LiaisonSought,
    LiaisonStep,
    RequestChannel,
    RequestStatus,
    Satisfaction,
    Talent,
    TalentLevel,
    TalentShare,
    VisitIssue,
)
from zhaoshang.ledger.choices import Stage, Status, Verification
from zhaoshang.ledger.models import Project, ProjectYield
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Person, Unit
from zhaoshang.targets.models import Target

REQUESTS = ("协调用电增容", "办理不动产权证", "申请技改补贴", "解决员工子女入学", "协调物流通道", "办理环评批复",
            "争取贷款贴息", "协调天然气接入", "办理消防验收", "招聘技术工人")
ANSWERS = ("已协调相关部门办结", "已提交专题会议研究并答复企业", "已按政策兑现", "已告知办理流程并跟踪办结")
ISSUES = ("招工难，熟练工缺口较大", "物流成本偏高", "厂区道路未硬化", "融资担保难", "配套企业不足", "蒸汽供应不稳定")
FIELDS = ("新能源材料", "生物医药", "智能制造", "电子信息", "现代农业", "数字经济")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭"
BODIES = ("国家发展改革委", "工业和信息化部", "财政部", "商务部", "交通运输部", "水利部", "国家能源局")
LIAISONS = {
    LiaisonSought.KEY_PROJECT: ("纳入国家重大项目库", "列入国家物流枢纽建设名单", "争取国家级产业园区认定"),
    LiaisonSought.MAJOR_POLICY: ("争取口岸功能延伸政策", "争取对口援疆产业政策支持", "争取新能源指标"),
    LiaisonSought.FUNDS: ("争取中央预算内投资", "争取专项债券额度", "争取产业转移专项资金"),
}


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def write_yields(rng: random.Random, today: dt.date, years) -> int:
    rows = []
    projects = Project.objects.filter(stage=Stage.PRODUCING).exclude(status=Status.TERMINATED).values_list(
        "id", "producing_on", "signed_amount")
    for pid, producing_on, signed in projects:
        land = Decimal(rng.randint(20, 300))
        output = max(Decimal(500), (signed or Decimal(5000)) * Decimal(rng.randint(40, 150)) / 100)
        employees = rng.randint(30, 600)
        for year in years:
            if producing_on is None or year < producing_on.year or year > today.year:
                continue
            share = Decimal(1) if year < today.year else Decimal(today.timetuple().tm_yday) / Decimal(365)
            grow = Decimal(rng.randint(95, 125)) / 100
            output = (output * grow).quantize(Decimal("1"))
            value = (output * share).quantize(Decimal("1"))
            tax = (value * Decimal(rng.randint(3, 8)) / 100).quantize(Decimal("0.1"))
            verified = year < today.year and rng.random() < 0.85
            rows.append(ProjectYield(
                project_id=pid, year=year, output_value=value, tax=tax, employees=employees, land_mu=land,
                note="" if year < today.year else f"{today.month}月末累计",
                verification=Verification.VERIFIED if verified else Verification.PENDING,
                verified_on=min(dt.date(year + 1, 2, 20), today) if verified else None,
                verified_at=_aware(min(dt.date(year + 1, 2, 20), today)) if verified else None))
    ProjectYield.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def write_requests(rng: random.Random, today: dt.date) -> tuple[int, int, int]:
    requests, visits, issues = [], [], []
    projects = list(Project.objects.filter(stage__in=[Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING])
                    .exclude(status=Status.TERMINATED).select_related("lead_unit").order_by("id")[:400])
    for project in projects:
        if rng.random() < 0.35:
            received = today - dt.timedelta(days=rng.randint(3, 400))
            deadline = deadline_for(received)
            roll = rng.random()
            answered = None
            if roll < 0.7:  # answered in time
                answered = received + dt.timedelta(days=rng.randint(2, max(2, (deadline - received).days)))
            elif roll < 0.85:  # answered late
                answered = deadline + dt.timedelta(days=rng.randint(3, 20))
            if answered is not None and answered > today:
                answered = None
            requests.append(InvestorRequest(
                project=project, unit_id=project.lead_unit_id, subject=rng.choice(REQUESTS), received_on=received,
                channel=rng.choice(RequestChannel.values), raised_by=f"{rng.choice(SURNAMES)}经理",
                assignee_id=project.assisting_secretary_id,
                department_id=None if project.assisting_secretary_id else project.assisting_unit_id or
                project.lead_unit_id,
                deadline=deadline, answered_on=answered,
                answer=rng.choice(ANSWERS) if answered else "",
                satisfaction=rng.choice(Satisfaction.values) if answered else "",
                status=RequestStatus.ANSWERED if answered else RequestStatus.OPEN,
                escalated_on=deadline + dt.timedelta(days=1) if answered is None and deadline < today else None))
        if project.stage == Stage.PRODUCING and rng.random() < 0.4:
            day = today - dt.timedelta(days=rng.randint(1, 300))
            visits.append(AftercareVisit(project=project, unit_id=project.lead_unit_id, date=day,
                                         visitor_id=project.introducer_id, met=f"{rng.choice(SURNAMES)}总",
                                         summary="企业生产经营正常，订单较上年增长"))
    AftercareVisit.objects.bulk_create(visits, batch_size=500)
    for visit in visits:
        for text in rng.sample(ISSUES, rng.randint(0, 2)):
            solved = rng.random() < 0.6
            issues.append(VisitIssue(visit=visit, description=text, owner="帮办秘书",
                                     status=IssueStatus.SOLVED if solved else IssueStatus.OPEN,
                                     resolution="已协调解决" if solved else "",
                                     resolved_on=min(today, visit.date + dt.timedelta(days=20)) if solved else None))
    InvestorRequest.objects.bulk_create(requests, batch_size=500)
    VisitIssue.objects.bulk_create(issues, batch_size=500)
    return len(requests), len(visits), len(issues)


def write_talent(rng: random.Random, today: dt.date, years) -> int:
    units = list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.RESIDENT_OFFICE).order_by("code"))
    if not units:
        return 0
    people = {}
    for pid, unit_id in Person.objects.values_list("id", "unit_id"):
        people.setdefault(unit_id, []).append(pid)
    producing = list(Project.objects.filter(stage=Stage.PRODUCING).values_list("id", "lead_unit_id", "investor")[:200])
    talents, shares = [], []
    levels = [TalentLevel.NATIONAL, TalentLevel.PROVINCIAL, TalentLevel.PROVINCIAL, TalentLevel.MUNICIPAL,
              TalentLevel.MUNICIPAL, TalentLevel.MUNICIPAL, TalentLevel.CITY_LEADING, TalentLevel.CITY_SHORTAGE]
    for year in years:
        for _i in range(25):
            joined = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if joined > today:
                continue
            pid, unit_id, investor = rng.choice(producing) if producing else (None, rng.choice(units).pk, "某企业")
            team = rng.random() < 0.25
            name = f"{rng.choice(SURNAMES)}{'教授团队' if team else rng.choice(('博士', '高工', '研究员'))}"
            talents.append(Talent(name=name, is_team=team, team_size=rng.randint(3, 12) if team else None,
                                  level=rng.choice(levels), field=rng.choice(FIELDS), enterprise=investor,
                                  project_id=pid, joined_on=joined, unit_id=unit_id,
                                  introducer_id=rng.choice(people.get(unit_id, [None]))))
    Talent.objects.bulk_create(talents, batch_size=500)
    for talent in talents:
        if rng.random() < 0.2:
            other = rng.choice(units)
            if other.pk != talent.unit_id:
                shares += [TalentShare(talent=talent, unit_id=talent.unit_id, ratio=Decimal("0.6")),
                           TalentShare(talent=talent, unit=other, ratio=Decimal("0.4"))]
    TalentShare.objects.bulk_create(shares, batch_size=500)
    return len(talents)


def write_liaisons(rng: random.Random, today: dt.date, years) -> int:
    offices = list(Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE).order_by("code"))
    items, steps = [], []
    for office in offices:
        beijing = "北京" in office.name
        lead = office.people.order_by("staff_no").values_list("id", flat=True).first()
        for year in years:
            for _i in range(rng.randint(6, 10) if beijing else rng.randint(0, 2)):
                started = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
                if started > today:
                    continue
                sought = rng.choice(LiaisonSought.values)
                done = started + dt.timedelta(days=rng.randint(40, 200))
                outcome = LiaisonOutcome.IN_PROGRESS if done > today else rng.choice(
                    [LiaisonOutcome.WON, LiaisonOutcome.WON, LiaisonOutcome.PARTIAL, LiaisonOutcome.FAILED])
                won = outcome in (LiaisonOutcome.WON, LiaisonOutcome.PARTIAL) and sought == LiaisonSought.FUNDS
                items.append(LiaisonItem(
                    unit=office, title=rng.choice(LIAISONS[sought]), sought=sought, body=rng.choice(BODIES),
                    started_on=started, outcome=outcome,
                    outcome_on=None if outcome == LiaisonOutcome.IN_PROGRESS else done,
                    amount_won=Decimal(rng.randint(5, 80) * 100) if won else None, lead_person_id=lead))
    LiaisonItem.objects.bulk_create(items, batch_size=500)
    # Bole 002 四㈡: 每个驻点招商局对接、推荐领导考察项目不低于30个，“其中北京局以跑办项目计分” — the bole-2023
    # 项目跑办（北京局） item scores the Beijing office's 跑办 against this target.
    Target.objects.bulk_create([
        Target(unit=office, year=year, indicator="项目跑办", value=Decimal(30))
        for office in offices if "北京" in office.name for year in years
        if not Target.objects.filter(unit=office, year=year, indicator="项目跑办").exists()
    ])
    for item in items:
        day = item.started_on
        for action in ("赴部委汇报对接", "按要求补充申报材料", "陪同市领导赴京跑办"):
            day = day + dt.timedelta(days=rng.randint(10, 40))
            if day > today or (item.outcome_on and day > item.outcome_on):
                break
            steps.append(LiaisonStep(item=item, date=day, action=action))
    LiaisonStep.objects.bulk_create(steps, batch_size=500)
    return len(items)


def write_aftercare(*, seed: int, years, today: dt.date) -> int:
    """Everything above; returns the number of records written (yields, requests, visits, talent, 跑办)."""
    rng = random.Random(f"{seed}-aftercare")
    total = write_yields(rng, today, years)
    requests, visits, _issues = write_requests(rng, today)
    total += requests + visits
    total += write_talent(rng, today, years)
    total += write_liaisons(rng, today, years)
    return total
