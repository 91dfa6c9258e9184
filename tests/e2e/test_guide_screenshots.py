"""The user guide's screenshots (docs/guide/README.md), taken from the demo city as each role sees it.

One pass over the year's work, from targets to the bulletin: each demo role logs in and the page it works on
is saved as docs/guide/images/<name>.png at 1280×800 (the visible window, not the whole page), reduced to a
256-colour palette so each file stays well under 300 KB and the folder can be committed. The assessment
run and its bulletin are made through the page, as the assessment office would. A page that answers an
error, or a file the guide names that was not written, fails the test — the guide never shows a stale or
missing picture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from zhaoshang.activities.models import Submission
from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city
from zhaoshang.orgs.models import Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
IMAGES = GUIDE / "images"
VIEWPORT = {"width": 1280, "height": 800}
MAX_BYTES = 300 * 1024


def last_quarter() -> str:
    day = today()
    quarter = (day.month - 1) // 3
    return f"{day.year}Q{quarter}" if quarter else f"{day.year - 1}Q4"


def save(page, name: str) -> Path:
    """The visible window as a palette PNG (text and charts read the same; a tenth of the size)."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{name}.png"
    raw = page.screenshot(type="png")
    from io import BytesIO

    image = Image.open(BytesIO(raw)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    assert path.stat().st_size < MAX_BYTES, (name, path.stat().st_size)
    return path


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("#login-submit")
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, username


def visit(page, path: str) -> None:
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, (path, response and response.status)


@pytest.fixture
def guide_page(browser, live_server, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo writes its evidence files
    load_demo_city()
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()


def test_guide_screenshots(guide_page):
    page = guide_page
    written: list[str] = []

    def shot(name: str) -> None:
        save(page, name)
        written.append(name)

    page.goto("/accounts/login/")
    assert "assessor" in page.locator("#demo-accounts").inner_text()
    shot("01-login")

    # 考核办: the year's targets, the ledger's totals, the verification queue and the flags.
    login(page, "assessor")
    visit(page, "/targets/")
    shot("02-targets")
    visit(page, "/ledger/")
    shot("03-ledger")
    visit(page, "/integrity/verification/")
    shot("09-verification")
    visit(page, "/integrity/flags/")
    shot("10-flags")

    # 单位工作人员: a county's ledger and the new-project form; a resident office's month.
    login(page, "zm01")
    visit(page, "/ledger/")
    shot("04-unit-ledger")
    visit(page, "/ledger/new/")
    shot("05-project-form")
    login(page, "bj01")
    office = Unit.objects.get(name="驻北京招商局")
    visit(page, f"/work/offices/{office.pk}/")
    shot("06-office")

    # 单位负责人: the monthly submissions of the county.
    head = "xy01-head"
    assert Submission.objects.filter(unit__code="XY01").exists()
    login(page, head)
    visit(page, "/work/submissions/")
    shot("07-submissions")

    # 区考核办: the district's preliminary checks.
    login(page, "qkh")
    visit(page, "/integrity/verification/")
    shot("08-district-verification")

    # 考核办 runs the quarter's assessment through the page and publishes it with its bulletin.
    login(page, "assessor")
    visit(page, "/assessment/")
    page.select_option("#run-form select[name=scheme]", "zhengzhou-2019")
    page.fill("#run-form input[name=period]", last_quarter())
    page.check("#run-form input[name=publish]")
    shot("11-run-form")
    page.click("#run-submit")
    page.wait_for_url(re.compile(r"/assessment/runs/\d+/"), timeout=240000)
    page.wait_for_load_state("networkidle")
    shot("12-run")
    visit(page, "/reports/")
    assert page.locator("a[href$='bulletin.docx']").count() >= 1
    shot("13-bulletins")

    # 领导 reads the cockpit.
    login(page, "leader")
    visit(page, "/reports/cockpit/")
    page.wait_for_timeout(1500)  # the charts draw after their data arrives
    shot("14-cockpit")

    # The installation's superuser (the demo's `admin`) works in the back office; the 三员: accounts and
    # roles, the audit log.
    login(page, "admin")
    visit(page, "/admin/")
    shot("15-admin")
    login(page, "secadmin")
    visit(page, "/security/users/")
    shot("16-secadmin-users")
    login(page, "auditor")
    visit(page, "/security/audit/")
    shot("17-audit-log")

    # Every picture the guide shows was just written.
    guide = (GUIDE / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"images/([\w-]+)\.png", guide))
    assert named and named <= set(written), sorted(named - set(written))
