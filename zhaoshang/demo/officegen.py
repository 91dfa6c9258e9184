"""The resident offices' daily paperwork for the demo city: work logs, weekly checks, the annual budget and
expenses (the last weeks' in detail, a few a month earlier in the year), the quarter settlements (当季费用核销)
and subsidy payments (驻点补助) of this year's finished quarters, and a few major-project reports (重大项目报告)
at each step of their flow — so the office pages show what an office's year looks like instead of empty
tables.

Written in bulk like the rest of the generator (no history rows), deterministic for a seed (its own random
stream), dated up to the demo's today so the current month has entries."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.activities import money
from zhaoshang.activities.choices import ExpenseCategory, ExpenseStatus, ReportStatus
from zhaoshang.activities.models import (
    Attendance,
    Expense,
    MajorInfoReport,
    OfficeBudget,
    QuarterSettlement,
    SubsidyPayment,
    WeeklyCheck,
    WorkLog,
)
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit, User

DAYS = 56  # eight weeks of logs and checks
# Bole's 定额包干: 32.5 万元 for an office of up to three people, 45.5 万元 above.
BUDGETS = (Decimal("32.5"), Decimal("45.5"))
TOPICS = ("新能源装备", "生物医药", "电子信息", "新材料", "现代物流", "数字经济", "高端装备")
RESULTS = ("对方有意来考察，约定下月带队", "已推荐至市投资促进中心", "需求为标准厂房，已对接园区",
           "暂无投资计划，保持联系", "提供了产业配套清单，待反馈")
EXPENSES = {
    ExpenseCategory.TRAVEL: ("往返高铁票", (300, 1800)),
    ExpenseCategory.RECEPTION: ("客商接待", (400, 2500)),
    ExpenseCategory.TRANSPORT: ("市内交通", (50, 400)),
    ExpenseCategory.MEALS: ("驻点伙食补助", (300, 1200)),
}


def write_office_work(*, seed: int, today: dt.date, years: tuple[int, ...]) -> dict[str, int]:
    """Logs, checks, budgets, expenses, settlements, subsidies and major-project reports for every resident
    office; returns the counts written."""
    rng = random.Random(f"{seed}-offices")
    assessor = User.objects.filter(username="assessor").first()
    offices = list(Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE).order_by("code"))
    logs, checks, budgets, expenses = [], [], [], []
    now = timezone.now()
    for office in offices:
        people = list(office.people.order_by("staff_no"))
        investors = list(Project.objects.filter(lead_unit=office).values_list("investor", flat=True)[:20])
        staff_user = User.objects.filter(unit=office).order_by("username").first()
        for year in years:
            amount = BUDGETS[1] if len(people) > 3 else BUDGETS[0]
            budgets.append(OfficeBudget(unit=office, year=year, amount=amount, note="定额包干"))
        week_logs = week_enterprises = 0
        for back in range(DAYS, -1, -1):
            day = today - dt.timedelta(days=back)
            if back == 0 or (day.isoweekday() <= 5 and rng.random() < 0.5):  # today's log is always in
                names = rng.sample(investors, k=min(len(investors), rng.randint(1, 2))) if investors else []
                names += [f"{rng.choice(('华', '中', '鼎', '瑞', '恒'))}{rng.choice(('泰', '信', '达', '源'))}"
                          f"{rng.choice(TOPICS)}有限公司"]
                logs.append(WorkLog(unit=office, date=day, author=people[0] if people else None,
                                    enterprises="\n".join(names), contacts=f"走访{len(names)}家企业，面谈负责人",
                                    results=rng.choice(RESULTS), created_by=staff_user))
                week_logs += 1
                week_enterprises += len(names)
            if day.isoweekday() == 7:
                if back > 0 and assessor is not None:  # this week's check is still to do
                    checks.append(WeeklyCheck(unit=office, week_ending=day, logs_checked=week_logs,
                                              enterprises_checked=week_enterprises, note="台账与日志一致",
                                              checked_by=assessor, checked_at=now))
                week_logs = week_enterprises = 0
            if back in (2, 20) or rng.random() < 0.12:  # one waiting for approval, one approved, at least
                category = rng.choice(list(EXPENSES))
                what, (low, high) = EXPENSES[category]
                recent = back < 10  # the last days' expenses still wait for approval
                expenses.append(Expense(
                    unit=office, date=day, category=category, amount=Decimal(rng.randint(low, high)),
                    description=what, created_by=staff_user,
                    status=ExpenseStatus.PENDING if recent else ExpenseStatus.APPROVED,
                    approved_by=None if recent else assessor, approved_at=None if recent else now))
        expenses.extend(_earlier_expenses(rng, office, today, staff_user, assessor))
    WorkLog.objects.bulk_create(logs, batch_size=500)
    WeeklyCheck.objects.bulk_create(checks, batch_size=500)
    OfficeBudget.objects.bulk_create(budgets, batch_size=500)
    Expense.objects.bulk_create(expenses, batch_size=500)
    settlements, payments = _settle_finished_quarters(offices, expenses, today, assessor)
    reports = _major_reports(rng, offices, today, assessor)
    return {"工作日志": len(logs), "每周核实": len(checks), "驻点经费预算": len(budgets), "驻点经费支出": len(expenses),
            "季度费用核销": settlements, "驻点补助发放": payments, "重大项目报告": reports}


def _earlier_expenses(rng: random.Random, office: Unit, today: dt.date, staff_user, assessor) -> list[Expense]:
    """Two to four approved expenses a month from January up to the detailed weeks, so the year's budget
    shows what it has paid for."""
    out = []
    first_detailed = today - dt.timedelta(days=DAYS)
    for month in range(1, 13):
        start = dt.date(today.year, month, 1)
        if start >= first_detailed:
            break
        for _ in range(rng.randint(2, 4)):
            day = start + dt.timedelta(days=rng.randint(0, 27))
            if day >= first_detailed:
                continue
            category = rng.choice(list(EXPENSES))
            what, (low, high) = EXPENSES[category]
            out.append(Expense(unit=office, date=day, category=category, amount=Decimal(rng.randint(low, high)),
                               description=what, created_by=staff_user, status=ExpenseStatus.APPROVED,
                               approved_by=assessor, approved_at=_at(day + dt.timedelta(days=2))))
    return out


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def _settle_finished_quarters(offices: list[Unit], expenses: list[Expense], today: dt.date,
                              assessor) -> tuple[int, int]:
    """This year's finished quarters: settled by the office in charge a few days after the quarter (when no
    expense of it still waits), and the quarter's subsidy paid from attendance (80 元 per person-day)."""
    settlements, payments = [], []
    for office in offices:
        for q in range(1, 5):
            quarter = f"{today.year}Q{q}"
            start, end = money.quarter_bounds(quarter)
            if end >= today:
                break
            mine = [e for e in expenses if e.unit_id == office.pk and start <= e.date <= end]
            if any(e.status == ExpenseStatus.PENDING for e in mine):
                break
            settled = min(end + dt.timedelta(days=5), today)
            settlements.append(QuarterSettlement(
                unit=office, quarter=quarter, settled_by=assessor, settled_at=_at(settled),
                expenses_total=sum((e.amount for e in mine if e.status == ExpenseStatus.APPROVED), money.ZERO)))
            days = Attendance.objects.filter(person__unit=office, date__range=(start, end), on_station=True).count()
            payments.append(SubsidyPayment(unit=office, quarter=quarter, person_days=days, rate=money.daily_rate(),
                                           amount=money.subsidy(days), paid_by=assessor,
                                           paid_at=_at(settled, 15)))
    QuarterSettlement.objects.bulk_create(settlements)
    SubsidyPayment.objects.bulk_create(payments)
    return len(settlements), len(payments)


# (status, days ago, what the enterprise intends)
REPORTS = (
    (ReportStatus.REPORTED, 6, "拟在本市设立区域生产基地，用地约80亩"),
    (ReportStatus.ASSIGNED, 25, "计划投资建设智能装备产线，已提交初步方案"),
    (ReportStatus.NEGOTIATING, 60, "拟整体搬迁研发中心，正在洽谈落地条件"),
    (ReportStatus.SIGNED, 120, "投资建设新材料项目，已签约落地"),
)


def _major_reports(rng: random.Random, offices: list[Unit], today: dt.date, assessor) -> int:
    """Four reports per office, one at each step of 报告 → 交办 → 洽谈 → 签约; the lead units are the industry
    task forces (产业专班) or, without them, the city departments."""
    leads = list(Unit.objects.filter(kind=UnitKind.TASK_FORCE).order_by("code")) or list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("code"))
    rows = []
    for office in offices:
        signed = Project.objects.filter(lead_unit=office).order_by("-signed_on").first()
        for status, back, intention in REPORTS:
            if status == ReportStatus.SIGNED and signed is None:
                continue
            day = today - dt.timedelta(days=back)
            assigned = status != ReportStatus.REPORTED and bool(leads)
            note = f"{day + dt.timedelta(days=3):%Y-%m-%d} 已交办：请牵头单位会同驻点招商局对接" if assigned else ""
            name = (signed.investor if status == ReportStatus.SIGNED else
                    f"{rng.choice(('华', '中', '鼎', '瑞', '恒'))}{rng.choice(('科', '创', '联'))}"
                    f"{rng.choice(TOPICS)}集团有限公司")
            rows.append(MajorInfoReport(
                unit=office, reported_on=day, enterprise=name, industry=rng.choice(TOPICS), intention=intention,
                amount=Decimal(rng.randint(2, 30) * 5000), created_by=assessor,
                status=status if assigned else ReportStatus.REPORTED,
                assigned_unit=rng.choice(leads) if assigned else None,
                assigned_at=_at(day + dt.timedelta(days=3)) if assigned else None,
                project=signed if status == ReportStatus.SIGNED else None,
                progress=note))
    MajorInfoReport.objects.bulk_create(rows)
    return len(rows)
