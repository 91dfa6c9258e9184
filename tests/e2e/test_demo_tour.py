"""The demo city as a new user meets it: the login page lists the demo accounts, a unit account sees
only its own unit, a direct link to another unit's project is refused, and the assessor sees all.
Also takes the README's screenshot."""

import re
from pathlib import Path

import pytest

from zhaoshang.demo.city import load_demo_city
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Unit

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login_demo(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("#login-submit")
    page.wait_for_url(re.compile(r"/ledger/"))


def test_demo_accounts_scope_and_screenshot(page, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo writes its evidence files
    load_demo_city()
    page.goto("/accounts/login/")
    accounts = page.locator("#demo-accounts").inner_text()
    assert "assessor" in accounts and "bj01" in accounts and "qkh" in accounts

    beijing = Unit.objects.get(name="驻北京招商局")
    foreign_project = Project.objects.exclude(lead_unit=beijing).exclude(shares__unit=beijing).first()

    login_demo(page, "bj01")
    units_shown = set(page.locator("#project-table tbody tr td:nth-child(4)").all_inner_texts())
    assert "驻北京招商局" in units_shown
    response = page.goto(f"/ledger/{foreign_project.pk}/")
    assert response.status == 404
    api = page.request.get(f"/api/projects/{foreign_project.pk}")
    assert api.status == 404

    page.context.clear_cookies()
    login_demo(page, "assessor")
    assert int(page.locator("#ledger-totals [data-total=count]").get_attribute("data-value")) == Project.objects.count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOTS) / "ledger.png"))
    response = page.goto(f"/ledger/{foreign_project.pk}/")
    assert response.status == 200
