"""The demo's resident offices have a month of paperwork: the office page shows logs, checks, budget and
expenses, not empty tables (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.activities.models import Expense, OfficeBudget, WeeklyCheck, WorkLog
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
