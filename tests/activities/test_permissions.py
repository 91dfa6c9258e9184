"""Who may see and change the daily work: staff_a (unit A), staff_b (unit B) and the assessor."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory, UnitFactory, UserFactory
from zhaoshang.activities import selectors, services
from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.orgs.choices import PersonRole, UserRole

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_a(unit_a):
    return PersonFactory(staff_no="A-HEAD", name="甲区书记", unit=unit_a, role=PersonRole.PARTY_GOV_HEAD)


@pytest.fixture
def visit_a(staff_a, unit_a, leader_a):
    return services.visit_create(user=staff_a, date=dt.date(2024, 3, 1), unit=unit_a, leader=leader_a,
                                 enterprise="甲区某电池企业")


def test_staff_record_only_their_own_units(staff_a, staff_b, unit_a, leader_a, visit_a):
    with pytest.raises(PermissionDeniedError):
        services.visit_create(user=staff_b, date=dt.date(2024, 3, 2), unit=unit_a, leader=leader_a, enterprise="X")
    with pytest.raises(PermissionDeniedError):
        services.visit_update(user=staff_b, visit=visit_a, enterprise="改名")
    assert visit_a.history.first().history_user == staff_a


def test_lists_are_scoped(staff_a, staff_b, assessor, visit_a):
    assert list(selectors.visit_list(user=staff_a)) == [visit_a]
    assert list(selectors.visit_list(user=staff_b)) == []
    assert list(selectors.visit_list(user=assessor)) == [visit_a]


def test_other_units_records_are_404(client, staff_b, assessor, visit_a):
    client.force_login(staff_b)
    assert client.get(f"/work/visits/{visit_a.pk}/").status_code == 404
    assert client.post(f"/work/visits/{visit_a.pk}/delete/").status_code == 404
    client.force_login(assessor)
    assert client.get(f"/work/visits/{visit_a.pk}/").status_code == 200


def test_only_a_unit_head_submits_and_only_the_office_returns(staff_a, assessor, unit_a, unit_b):
    with pytest.raises(PermissionDeniedError):
        services.submission_submit(user=staff_a, unit=unit_a, period="2024-03")
    head_a = UserFactory(username="head_a", role=UserRole.UNIT_HEAD, unit=unit_a)
    with pytest.raises(PermissionDeniedError):
        services.submission_submit(user=head_a, unit=unit_b, period="2024-03")
    sub = services.submission_submit(user=head_a, unit=unit_a, period="2024-03", at=at("2024-04-01 09:00"))
    with pytest.raises(PermissionDeniedError):
        services.submission_return(user=staff_a, submission=sub, reason="自己退回")
    with pytest.raises(PermissionDeniedError):
        services.submission_return(user=head_a, submission=sub, reason="自己退回")
    services.submission_return(user=assessor, submission=sub, reason="请补充到位资金凭证")


def test_submission_views_forbid_and_hide(client, staff_a, staff_b, unit_a):
    head_a = UserFactory(username="head_a", role=UserRole.UNIT_HEAD, unit=unit_a)
    sub = services.submission_submit(user=head_a, unit=unit_a, period="2024-03", at=at("2024-04-01 09:00"))
    client.force_login(staff_a)
    assert client.get("/work/submissions/submit/").status_code == 403
    assert client.post(f"/work/submissions/{sub.pk}/return/", {"reason": "x"}).status_code == 403
    client.force_login(staff_b)
    assert client.get(f"/work/submissions/{sub.pk}/").status_code == 404
    html = client.get("/work/submissions/?period=2024-03").content.decode()
    assert 'data-unit="A01"' not in html and 'data-unit="B01"' in html


def test_office_money_belongs_to_the_office_and_the_assessor(client, staff_a, staff_b, assessor):
    office = UnitFactory(code="SZ", name="驻深圳招商局", kind="resident_office")
    staff_sz = UserFactory(username="sz", role=UserRole.UNIT_STAFF, unit=office)
    with pytest.raises(PermissionDeniedError):
        services.budget_set(user=staff_sz, unit=office, year=2024, amount=45)
    with pytest.raises(PermissionDeniedError):
        services.expense_create(user=staff_a, unit=office, date=dt.date(2024, 3, 1), category="travel", amount=100,
                                description="差旅")
    expense = services.expense_create(user=staff_sz, unit=office, date=dt.date(2024, 3, 1), category="travel",
                                      amount=100, description="差旅")
    with pytest.raises(PermissionDeniedError):  # unit staff do not approve
        services.expense_decide(user=staff_sz, expense=expense, approve=True)
    client.force_login(staff_b)
    assert client.get(f"/work/offices/{office.pk}/").status_code == 404
    client.force_login(assessor)
    assert client.get(f"/work/offices/{office.pk}/").status_code == 200
