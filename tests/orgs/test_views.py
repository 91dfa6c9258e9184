"""Unit pages, the shared page frame (login, navigation) and the admin for master data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.orgs.choices import UnitKind, UserRole

from ..factories import PersonFactory, ProjectFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

UNITS = reverse("orgs:unit_list")


def test_unit_list_is_scoped(client, staff_a, unit_a, unit_a_child, unit_b):
    client.force_login(staff_a)
    units = client.get(UNITS).context["units"]
    assert {u.pk for u in units} == {unit_a.pk, unit_a_child.pk}


def test_unit_list_counts_and_sums(client, assessor, unit_a, unit_b):
    ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("1000.5"))
    ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("2000"))
    client.force_login(assessor)
    response = client.get(UNITS)
    by_pk = {u.pk: u for u in response.context["units"]}
    assert by_pk[unit_a.pk].project_count == 2 and by_pk[unit_a.pk].signed_sum == Decimal("3000.5")
    assert by_pk[unit_b.pk].project_count == 0
    assert "3,000.50" in response.content.decode()


def test_unit_list_queries_do_not_grow_with_units(client, assessor):
    client.force_login(assessor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(UNITS)
        return len(ctx.captured_queries)

    for _ in range(3):
        ProjectFactory(lead_unit=UnitFactory(parent=UnitFactory()))
    few = count()
    for _ in range(30):
        ProjectFactory(lead_unit=UnitFactory(parent=UnitFactory()))
    assert count() == few


def test_unit_detail(client, staff_a, unit_a, unit_a_child):
    unit_a.kind = UnitKind.RESIDENT_OFFICE
    unit_a.regions = "北京、天津"
    unit_a.focus_industries = "新能源汽车"
    unit_a.lead_leader = "王副市长"
    unit_a.save()
    PersonFactory(unit=unit_a, staff_no="A-001", name="李明", title="局长")
    client.force_login(staff_a)
    html = client.get(reverse("orgs:unit_detail", args=[unit_a.pk])).content.decode()
    for text in ("北京、天津", "新能源汽车", "王副市长", "A-001", "李明", "局长", unit_a_child.name):
        assert text in html
    assert f"{reverse('ledger:project_list')}?unit={unit_a.pk}" in html


def test_unit_detail_outside_scope_is_404(client, staff_a, unit_b):
    client.force_login(staff_a)
    assert client.get(reverse("orgs:unit_detail", args=[unit_b.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Page frame


def test_login_page_and_bad_password(client, staff_a):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    response = client.post(reverse("login"), {"username": "staff_a", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff_a", "password": "pw"})
    assert response.status_code == 302


def test_login_page_lists_demo_accounts_in_demo_mode(client, settings, staff_a):
    settings.DEMO_MODE = True
    html = client.get(reverse("login")).content.decode()
    assert "密码均为 demo" in html and "staff_a" in html


def test_navbar_shows_user_role_and_admin_link_by_role(client, staff_a, assessor):
    client.force_login(staff_a)
    html = client.get(UNITS).content.decode()
    assert "单位工作人员" in html and 'id="nav-admin"' not in html
    assert 'id="logout-form"' in html and 'name="language"' in html
    # The admin site lets in active staff only: an assessor without it would meet the admin's login page.
    client.force_login(assessor)
    assert 'id="nav-admin"' not in client.get(UNITS).content.decode()
    assessor.is_staff = True
    assessor.save()
    assert 'id="nav-admin"' in client.get(UNITS).content.decode()


def test_logout_is_post(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(UNITS).status_code == 302


# ---------------------------------------------------------------------------------------------
# Admin


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=UserRole.ADMIN, is_staff=True, is_superuser=True)


APP_LABELS = ("orgs", "ledger", "activities", "targets", "assessment")


def test_admin_registers_master_data():
    registered = {m._meta.label for m in admin.site._registry}
    for label in ("orgs.Unit", "orgs.UnitGroup", "orgs.Person", "orgs.User", "orgs.ApiToken", "ledger.Project",
                  "activities.PromotionEvent", "activities.Visit", "activities.Recommendation",
                  "activities.Submission", "activities.Attendance", "targets.Target", "assessment.Adjustment"):
        assert label in registered


def test_admin_pages_render(client, superuser, project_a):
    client.force_login(superuser)
    for model in admin.site._registry:
        if model._meta.app_label not in APP_LABELS:
            continue
        opts = model._meta
        for name in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}")
            assert client.get(url).status_code == 200, url
    project_url = reverse("admin:ledger_project_change", args=[project_a.pk])
    assert client.get(project_url).status_code == 200
    assert client.get(reverse("admin:ledger_project_history", args=[project_a.pk])).status_code == 200


def test_admin_issues_api_token_once(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:orgs_apitoken_add"), {"user": superuser.pk, "name": "对接系统"}, follow=True)
    token = apps.get_model("orgs", "ApiToken").objects.get()
    assert len(token.key_hash) == 64
    assert "令牌只显示这一次" in response.content.decode()


def test_language_switch_is_a_post_form(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": UNITS})
    assert response.status_code == 302 and response["Location"] == UNITS
    assert '<html lang="en">' in client.get(UNITS).content.decode()


def test_unit_list_pages_with_each_pages_totals(client, assessor, unit_a, unit_b, monkeypatch):
    """A province's 3,000 units come a page at a time, each unit with its own projects' count and sum."""
    from zhaoshang.orgs import views

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 1)
    ProjectFactory(lead_unit=unit_b, signed_amount=Decimal("120.5"))
    ProjectFactory(lead_unit=unit_b, signed_amount=Decimal("79.5"))
    client.force_login(assessor)
    first = client.get(UNITS)
    assert [u.pk for u in first.context["units"]] == [unit_a.pk] and first.context["units"][0].project_count == 0
    assert "第 1 / 2 页，共 2 个单位" in first.content.decode()
    second = client.get(UNITS, {"page": 2}).context["units"]
    assert [(u.pk, u.project_count, u.signed_sum) for u in second] == [(unit_b.pk, 2, Decimal("200"))]
