"""The resident offices' daily paperwork for the demo city: work logs, weekly checks, the annual budget and
expenses, so the office pages show what an office's month looks like instead of empty tables.

Written in bulk like the rest of the generator (no history rows), deterministic for a seed (its own random
stream), dated up to the demo's today so the current month has entries."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.activities.choices import ExpenseCategory, ExpenseStatus
from zhaoshang.activities.models import Expense, OfficeBudget, WeeklyCheck, WorkLog
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
    """Logs, checks, budgets and expenses for every resident office; returns the counts written."""
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
        week_logs = 0
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
            if day.isoweekday() == 7:
                if back > 0 and assessor is not None:  # this week's check is still to do
                    checks.append(WeeklyCheck(unit=office, week_ending=day, logs_checked=week_logs,
                                              enterprises_checked=week_logs * 2, note="台账与日志一致",
                                              checked_by=assessor, checked_at=now))
                week_logs = 0
            if back in (2, 20) or rng.random() < 0.12:  # one waiting for approval, one approved, at least
                category = rng.choice(list(EXPENSES))
                what, (low, high) = EXPENSES[category]
                recent = back < 10  # the last days' expenses still wait for approval
                expenses.append(Expense(
                    unit=office, date=day, category=category, amount=Decimal(rng.randint(low, high)),
                    description=what, created_by=staff_user,
                    status=ExpenseStatus.PENDING if recent else ExpenseStatus.APPROVED,
                    approved_by=None if recent else assessor, approved_at=None if recent else now))
    WorkLog.objects.bulk_create(logs, batch_size=500)
    WeeklyCheck.objects.bulk_create(checks, batch_size=500)
    OfficeBudget.objects.bulk_create(budgets, batch_size=500)
    Expense.objects.bulk_create(expenses, batch_size=500)
    return {"工作日志": len(logs), "每周核实": len(checks), "驻点经费预算": len(budgets), "驻点经费支出": len(expenses)}
