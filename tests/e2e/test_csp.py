"""Acceptance 4 (issue 11): the Content-Security-Policy header is on every page, and every main page still
works under it in a real browser: no CSP violation, no script error, htmx still swaps, ECharts still draws,
the small behaviours moved out of onclick=… still act, Swagger UI still loads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.orgs.choices import UserRole

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory, UnitGroupFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records every violation the page reports, from the first byte on (an init script is not subject to the CSP).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')));
"""

ASSESSOR_PAGES = [
    "/ledger/", "/ledger/new/", "/work/", "/work/reminders/", "/work/offices/", "/assessment/",
    "/assessment/schemes/", "/targets/", "/reports/", "/exchange/", "/units/", "/integrity/verification/",
    "/integrity/spotchecks/", "/integrity/flags/", "/integrity/inspections/", "/security/account/",
    "/security/password/",
]


@pytest.fixture
def watched(page):
    problems: list[str] = []
    page.add_init_script(WATCH)
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if "Content Security Policy" in msg.text or msg.type == "error" and "Refused" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    return page, problems


def visit(page, problems, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], url
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp || []")
    assert violations == [] and problems == [], (url, violations, problems)


@pytest.fixture
def city(db):
    group = UnitGroupFactory(code="G-QX", name="区县")
    unit = UnitFactory(code="QX01", name="甲区", group=group)
    for i in range(3):
        project = ProjectFactory(lead_unit=unit, code=f"XM-CSP-{i}", signed_on=dt.date(2024, 3, i + 1),
                                 signed_amount=Decimal("1000"), industry="新能源")
        FundArrivalFactory(project=project, date=dt.date(2024, 3, i + 1), amount=Decimal("100"))
    return unit


def test_main_pages_work_under_the_policy(watched, city):
    page, problems = watched
    UserFactory(username="assessor", role=UserRole.ASSESSOR)
    login(page, "assessor")
    for url in ASSESSOR_PAGES:
        visit(page, problems, url)

    # htmx still swaps the ledger's results when a filter changes.
    visit(page, problems, "/ledger/")
    with page.expect_response(lambda r: "/ledger/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.click("#filter-submit")
    assert page.evaluate("window.__csp") == [] and problems == []

    # A project page.
    visit(page, problems, page.locator("#project-table tbody a").first.get_attribute("href"))

    # ECharts draws the cockpit, and the year selector (was onchange=…) still submits.
    visit(page, problems, "/reports/cockpit/?year=2024")
    page.wait_for_function("() => window.zsCockpit && window.zsCockpit.charts['chart-completion']")
    assert page.locator("#chart-completion canvas").count() == 1
    with page.expect_navigation():
        page.select_option("select[name=year]", index=1)
    assert "year=" in page.url
    assert page.evaluate("window.__csp") == [] and problems == []

    # Swagger UI (ninja's bundled files) still renders.
    visit(page, problems, "/api/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert page.evaluate("window.__csp") == [] and problems == []


def test_unit_user_and_administrators_pages(watched, city):
    page, problems = watched
    UserFactory(username="staff", role=UserRole.UNIT_STAFF, unit=city)
    for name, role in (("sysadmin", UserRole.ADMIN), ("secadmin", UserRole.SECURITY_ADMIN),
                       ("auditadmin", UserRole.AUDIT_ADMIN)):
        UserFactory(username=name, role=role)

    login(page, "staff")
    for url in ("/ledger/", "/work/", "/reports/cockpit/", "/security/account/"):
        visit(page, problems, url)
    page.context.clear_cookies()

    pages = {
        "sysadmin": ["/security/", "/security/users/", "/security/users/new/"],
        "secadmin": ["/security/", "/security/users/", "/security/lockouts/"],
        "auditadmin": ["/security/", "/security/audit/", "/security/audit/?action=login"],
    }
    for username, urls in pages.items():
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "pw")
        page.click("button[type=submit]")
        page.wait_for_url("**/security/**")
        for url in urls:
            visit(page, problems, url)
        page.context.clear_cookies()


def test_confirm_dialogs_moved_to_static_script_still_ask(watched):
    """data-confirm (was onsubmit="return confirm(…)"): dismissing the question keeps the user where they are."""
    page, problems = watched
    UserFactory(username="staff_x", role=UserRole.ASSESSOR)
    login(page, "staff_x")
    visit(page, problems, "/security/account/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#logout-everywhere-form button[type=submit]")
    assert asked and "所有设备" in asked[0]
    assert "/security/account/" in page.url  # still logged in, still here
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#logout-everywhere-form button[type=submit]")
    assert "/accounts/login/" in page.url


def test_django_admin_works_under_the_policy(watched, city):
    page, problems = watched
    UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True, is_staff=True)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for url in ("/admin/", "/admin/orgs/unit/", f"/admin/orgs/unit/{city.pk}/change/", "/admin/orgs/user/",
                "/admin/orgs/user/add/"):
        visit(page, problems, url)
