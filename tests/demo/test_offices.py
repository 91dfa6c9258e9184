"""The demo's resident offices have a month of paperwork: the office page shows logs, checks, budget and
expenses, not empty tables (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhaoshang.activities.models import (
    Expense,
    MajorInfoReport,
    OfficeBudget,
    QuarterSettlement,
    SubsidyPayment,
    WeeklyCheck,
    WorkLog,
)
from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city
from zhaoshang.orgs.models import Unit, User

pytestmark = pytest.mark.django_db


def test_demo_office_page_shows_real_content(client):
    load_demo_city()
    office = Unit.objects.get(name="驻北京招商局")
    assert WorkLog.objects.filter(unit=office).exists() and WeeklyCheck.objects.filter(unit=office).exists()
    assert OfficeBudget.objects.filter(unit=office, year=today().year).exists()
    assert Expense.objects.filter(unit=office, status="approved").exists()
    assert Expense.objects.filter(unit=office, status="pending").exists()  # something for the assessor to decide

    client.force_login(User.objects.get(username="bj01"))
    page = client.get(reverse("activities:office_detail", args=[office.pk])).content.decode()
    assert "本月还没有工作日志" not in page and "还没有支出" not in page
    assert "定额包干" in page or "32.50" in page or "45.50" in page
    # This year's finished quarters are settled and their subsidy paid; reports stand at each step.
    finished = [q for q in range(1, 5) if dt.date(today().year, 3 * q, 28) < today() - dt.timedelta(days=10)]
    settled = set(QuarterSettlement.objects.filter(unit=office).values_list("quarter", flat=True))
    assert {f"{today().year}Q{q}" for q in finished[:-1]} <= settled
    for payment in SubsidyPayment.objects.filter(unit=office):
        assert payment.amount == payment.person_days * payment.rate and payment.person_days > 0
    statuses = set(MajorInfoReport.objects.filter(unit=office).values_list("status", flat=True))
    assert {"reported", "assigned", "negotiating"} <= statuses
    checks = WeeklyCheck.objects.filter(unit=office).order_by("-week_ending")
    assert checks and all(c.enterprises_checked >= c.logs_checked for c in checks)
