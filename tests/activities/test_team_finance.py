"""Team finance (issue 13): a 产业专班's budget set by the 招商办, expenses entered by the team and
approved by its lead unit within the budget (总量控制), reimbursed one by one, and the team's ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from zhaoshang.activities import money, teams
from zhaoshang.activities.models import Expense
from zhaoshang.activities.services import expense_decide
from zhaoshang.activities.services import teams as services
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.choices import UnitKind, UserRole

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def setup(assessor):
    lead = UnitFactory(code="BM01", name="市商务局", kind=UnitKind.DEPARTMENT)
    team = UnitFactory(code="ZB01", name="新能源汽车产业专班", kind=UnitKind.TASK_FORCE)
    team_staff = UserFactory(username="zb_staff", role=UserRole.UNIT_STAFF, unit=team)
    lead_head = UserFactory(username="bm_head", role=UserRole.UNIT_HEAD, unit=lead)
    services.team_budget_set(user=assessor, team=team, lead_unit=lead, year=2025, amount=D("1"), note="专款专用")
    return {"lead": lead, "team": team, "staff": team_staff, "head": lead_head, "assessor": assessor}


def _spend(s, day: str, amount: str):
    return services.team_expense_create(user=s["staff"], team=s["team"], date=dt.date.fromisoformat(day),
                                        category="travel", amount=D(amount), description="赴合肥对接电池企业")


def test_only_the_office_in_charge_sets_a_budget(setup):
    with pytest.raises(PermissionDeniedError):
        services.team_budget_set(user=setup["head"], team=setup["team"], lead_unit=setup["lead"], year=2025,
                                 amount=D(5))


def test_an_expense_needs_a_budget_for_its_year(setup):
    with pytest.raises(ApplicationError) as exc:
        _spend(setup, "2024-06-01", "100")
    assert "尚无经费预算" in exc.value.message


def test_the_lead_unit_approves_within_the_budget(setup):
    first, second = _spend(setup, "2025-03-01", "6000"), _spend(setup, "2025-04-01", "5000")
    # kept by the lead unit, accounted to the team
    assert (first.unit, first.team) == (setup["lead"], setup["team"])
    with pytest.raises(PermissionDeniedError):  # the team's staff cannot approve
        expense_decide(user=setup["staff"], expense=first, approve=True)
    expense_decide(user=setup["head"], expense=first, approve=True)
    with pytest.raises(ApplicationError) as exc:  # 1 万元 = 10,000 元: 6,000 + 5,000 is over
        expense_decide(user=setup["head"], expense=second, approve=True)
    assert "超过" in exc.value.message
    summary = money.budget_summary(setup["lead"], 2025, setup["team"])
    assert (summary.budget_yuan, summary.approved_yuan, summary.pending_yuan, summary.remaining_yuan) == (
        D("10000.00"), D("6000.00"), D("5000.00"), D("4000.00"))
    # the lead unit's own (office-style) account is untouched
    assert money.budget_summary(setup["lead"], 2025).approved_yuan == 0


def test_an_approved_expense_is_reimbursed_once(setup):
    expense = _spend(setup, "2025-03-01", "6000")
    with pytest.raises(ApplicationError):
        services.team_expense_reimburse(user=setup["head"], expense=expense, on=dt.date(2025, 3, 10))
    expense_decide(user=setup["head"], expense=expense, approve=True)
    services.team_expense_reimburse(user=setup["head"], expense=expense, on=dt.date(2025, 3, 10))
    with pytest.raises(ApplicationError) as exc:
        services.team_expense_reimburse(user=setup["head"], expense=expense, on=dt.date(2025, 3, 11))
    assert "已于2025-03-10报销" in exc.value.message
    assert teams.account(setup["team"], 2025).reimbursed_yuan == D("6000.00")
    assert Expense.history.filter(id=expense.pk).count() == 3  # entered, approved, reimbursed


def test_the_ledger_page(setup, client, staff_b):
    expense = _spend(setup, "2025-03-01", "6000")
    expense_decide(user=setup["head"], expense=expense, approve=True)
    _spend(setup, "2025-05-01", "1200.50")
    url = reverse("activities:team_ledger", args=[setup["team"].pk]) + "?year=2025"
    client.force_login(setup["head"])
    page = client.get(url).content.decode()
    assert "预算管理、总量控制，扎口管理、分别核算" in page
    assert "市商务局" in page and "10,000.00" in page and "6,000.00" in page and "4,000.00" in page
    assert "1,200.50" in page and "批准" in page
    listing = client.get(reverse("activities:team_list") + "?year=2025").content.decode()
    assert "新能源汽车产业专班" in listing
    # the lead unit's head reimburses through the page
    resp = client.post(reverse("activities:team_expense_reimburse", args=[setup["team"].pk, expense.pk]),
                       {"on": "2025-03-10"})
    assert resp.status_code == 302
    expense.refresh_from_db()
    assert expense.reimbursed_on == dt.date(2025, 3, 10)
    # another unit learns nothing
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    assert "新能源汽车产业专班" not in client.get(reverse("activities:team_list")).content.decode()


def test_the_team_enters_an_expense_on_the_page(setup, client):
    client.force_login(setup["staff"])
    url = reverse("activities:team_expense_create", args=[setup["team"].pk])
    resp = client.post(url, {"date": "2025-06-01", "category": "reception", "amount": "800",
                             "description": "接待考察客商"})
    assert resp.status_code == 302
    assert Expense.objects.get(team=setup["team"]).status == "pending"


def test_a_resident_office_keeps_its_own_account_on_the_ledger(office, office_head, assessor, client):
    from zhaoshang.activities.services import budget_set, expense_create

    budget_set(user=assessor, unit=office, year=2025, amount=D("32.5"))
    expense = expense_create(user=office_head, unit=office, date=dt.date(2025, 2, 3), category="meals",
                             amount=D("1280.50"), description="驻点伙食补助")
    expense_decide(user=assessor, expense=expense, approve=True)
    account = teams.account(office, 2025)
    assert not account.is_team and account.lead_unit == office
    assert account.summary.remaining_yuan == D("325000.00") - D("1280.50")
    client.force_login(office_head)
    page = client.get(reverse("activities:team_ledger", args=[office.pk]) + "?year=2025").content.decode()
    assert "323,719.50" in page and "1,280.50" in page


def test_the_list_of_teams_reads_each_account_as_its_own_page_does(setup, client, django_assert_max_num_queries):
    """The list reads every team's account at once (`teams.accounts`): the same budget, spending, pending and
    reimbursed figures as each team's own account, for a 专班 kept by its lead unit, a resident office's own
    account and a team without a budget, and no more queries for more teams."""
    from zhaoshang.activities.models import OfficeBudget

    s = setup
    paid = _spend(s, "2025-03-01", "6000")
    expense_decide(user=s["head"], expense=paid, approve=True)
    services.team_expense_reimburse(user=s["head"], expense=paid, on=dt.date(2025, 3, 10))
    _spend(s, "2025-04-01", "1500.50")
    office = UnitFactory(code="ZD01", name="驻深圳招商局", kind=UnitKind.RESIDENT_OFFICE)
    OfficeBudget.objects.create(unit=office, year=2025, amount=D("3"))
    for amount, status, reimbursed in (("2000", "approved", dt.date(2025, 5, 2)), ("700", "pending", None),
                                       ("900", "rejected", None), ("300", "approved", None)):
        Expense.objects.create(unit=office, date=dt.date(2025, 5, 1), category="travel", amount=D(amount),
                               description="拜访深圳客商", status=status, reimbursed_on=reimbursed)
    idle = UnitFactory(code="ZB02", name="生物医药产业专班", kind=UnitKind.TASK_FORCE)
    listed = [s["team"], office, idle]

    def figures(a):
        m = a.summary
        return (a.team, a.lead_unit, a.is_team, m.budget_wan, m.budget_yuan, m.approved_yuan, m.pending_yuan,
                m.remaining_yuan, a.reimbursed_yuan)

    assert [figures(a) for a in teams.accounts(listed, 2025)] == [figures(teams.account(t, 2025)) for t in listed]
    assert figures(teams.accounts(listed, 2025)[1])[3:] == (
        D("3"), D("30000.00"), D("2300.00"), D("700.00"), D("27700.00"), D("2000.00"))
    client.force_login(s["assessor"])
    url = reverse("activities:team_list") + "?year=2025"
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for i in range(10):
        UnitFactory(code=f"ZB1{i}", name=f"第{i}产业专班", kind=UnitKind.TASK_FORCE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "驻深圳招商局" in page and "第9产业专班" in page and "27,700" in page
