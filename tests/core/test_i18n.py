"""The English interface: the catalogue is complete, and the pages switch language by the browser's
Accept-Language, the language cookie or the language buttons, while Chinese stays the default.

The .mo files are build output (git-ignored), so the catalogue is compiled here first."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

from zhaoshang.orgs.choices import UserRole

from ..factories import ProjectFactory, UserFactory

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
LEDGER = reverse("ledger:project_list")
LOGIN = reverse("login")

LEDGER_HEADERS_EN = [
    "Project code", "Project name", "Investor", "Introducing unit", "Signed amount (10k CNY)", "Signing date",
    "Stage", "Status", "Funds in place (10k CNY)",
]
LEDGER_HEADERS_ZH = [
    "项目编号", "项目名称", "投资方", "引资单位", "签约金额(万元)", "签约日期", "阶段", "状态", "到位资金(万元)",
]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    call_command("compile_catalogues", stdout=io.StringIO())
    # Forget any catalogue loaded before the .mo existed (the same reset Django does when LOCALE_PATHS changes).
    trans_real._translations = {}
    trans_real._default = None
    yield
    trans_real._translations = {}


@pytest.fixture
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def translations(entry: polib.POEntry) -> list[str]:
    """The English text(s) of an entry: one msgstr, or one per plural form."""
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


# ---------------------------------------------------------------------------------------------
# The catalogue


def test_catalogue_is_fully_translated(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:20]}"
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100
    assert all(text.strip() for e in catalogue if not e.obsolete for text in translations(e))


def test_translations_keep_placeholders(catalogue):
    for entry in catalogue:
        for text in translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_translations_are_english(catalogue):
    # A msgstr left in Chinese (e.g. copied from the msgid) is not a translation; the arrows and
    # quotes used in messages are fine.
    chinese = [e.msgid for e in catalogue if any(re.search(r"[\u4e00-\u9fff]", t) for t in translations(e))]
    assert chinese == []


# ---------------------------------------------------------------------------------------------
# Pages


@pytest.fixture
def assessor_client(client, db):
    user = UserFactory(username="i18n_assessor", role=UserRole.ASSESSOR)
    client.force_login(user)
    ProjectFactory(code="XM-I18N-1", name="多语言测试项目")
    return client


@pytest.mark.django_db
def test_ledger_in_english_by_accept_language(assessor_client):
    response = assessor_client.get(LEDGER, headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Project ledger" in html
    for header in LEDGER_HEADERS_EN:
        assert header in html, header
    assert "项目台账" not in html
    # Choice labels (model TextChoices) and form labels come out in English too.
    assert "Not signed" in html and "Under negotiation" in html
    assert "All stages" in html and "Signing year" in html
    assert "Assessment office" in html  # the user's role in the navigation bar


@pytest.mark.django_db
def test_ledger_defaults_to_chinese(assessor_client):
    response = assessor_client.get(LEDGER)
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "项目台账" in html
    for header in LEDGER_HEADERS_ZH:
        assert header in html, header
    assert "Project ledger" not in html
    assert "未签约" in html and "考核办" in html


@pytest.mark.django_db
def test_language_cookie_and_switcher(assessor_client):
    assessor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Project ledger" in assessor_client.get(LEDGER).content.decode()

    response = assessor_client.post(reverse("set_language"), {"language": "zh-hans", "next": LEDGER}, follow=True)
    assert "项目台账" in response.content.decode()
    response = assessor_client.post(reverse("set_language"), {"language": "en", "next": LEDGER}, follow=True)
    assert "Project ledger" in response.content.decode()


@pytest.mark.django_db
def test_service_messages_follow_the_language(client, staff_a, project_b):
    """A refusal raised in a service reaches the 403 page in the user's language."""
    client.force_login(staff_a)
    url = reverse("ledger:project_edit", args=[project_b.pk])
    # project_b is outside staff_a's scope, so it is not even visible: 404. Make it visible but not editable.
    from zhaoshang.ledger.models import ProjectShare

    ProjectShare.objects.create(project=project_b, unit=staff_a.unit, ratio=1)
    en = client.get(url, headers={"accept-language": "en"})
    assert en.status_code == 403
    assert "You can only change data of your own unit and its subordinate units, so you may not change this project" \
        in en.content.decode()
    zh = client.get(url)
    assert "您只能修改本单位及下级单位的数据，无权修改该项目" in zh.content.decode()


@pytest.mark.django_db
def test_login_page_in_english(client):
    html = client.get(LOGIN, headers={"accept-language": "en"}).content.decode()
    for text in ("Log in", "Username", "Password", "Investment Promotion Ledger and Assessment"):
        assert text in html, text
    assert "登录" not in html

    wrong = client.post(LOGIN, {"username": "nobody", "password": "x"}, headers={"accept-language": "en"})
    assert "Incorrect username or password" in wrong.content.decode()

    assert "登录" in client.get(LOGIN).content.decode()


# ---------------------------------------------------------------------------------------------
# Daily work, assessment, cockpit and exchange

NAV_EN = ["Project ledger", "Daily work", "Assessment", "Cockpit", "Import/Export", "Log out"]
NAV_ZH = ["项目台账", "日常工作", "考核", "驾驶舱", "导入导出"]

WORK_PAGES_EN = {
    "/work/": ["Quota progress", "Reminders", "Monthly submissions", "Enterprise visit"],
    "/assessment/": ["Run assessment", "Assessment schemes", "Scheme", "As-of date", "No assessment results yet"],
    "/reports/cockpit/": ["Leaders' cockpit", "Progress against annual targets", "Annual target", "Warnings",
                          "Latest published assessment results"],
    "/exchange/": ["Data exchange (standard workbook)", "Download template", "Upload and import", "Export workbook",
                   "Dry run (validate only, write nothing)"],
}


@pytest.mark.parametrize("path", list(WORK_PAGES_EN))
@pytest.mark.django_db
def test_work_pages_in_english(assessor_client, path):
    response = assessor_client.get(path, headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    nav = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    for label in NAV_EN:
        assert label in nav, label
    links = nav.split('<ul class="navbar-nav', 1)[1].split("</ul>", 1)[0]
    assert not re.search(r"[\u4e00-\u9fff]", links), "the navigation links are in English"
    for text in WORK_PAGES_EN[path]:
        assert text in html, text


@pytest.mark.parametrize("path", list(WORK_PAGES_EN))
@pytest.mark.django_db
def test_work_pages_default_to_chinese(assessor_client, path):
    html = assessor_client.get(path).content.decode()
    assert '<html lang="zh-hans">' in html
    for label in NAV_ZH:
        assert label in html, label
    assert "Daily work" not in html and "Cockpit" not in html


@pytest.mark.django_db
def test_cockpit_chart_labels_follow_the_language(assessor_client):
    """cockpit.js draws its legends and tooltips from #cockpit-labels, which the page translates."""
    url = reverse("reports:cockpit")
    en = assessor_client.get(url, headers={"accept-language": "en"}).context["labels"]
    assert en["rate"] == "Completion rate" and en["schedule"] == "Time schedule"
    assert en["months"][0] == "Jan" and en["year"] == "{year}"
    zh = assessor_client.get(url).context["labels"]
    assert zh["rate"] == "完成率" and zh["months"][0] == "1月"
    completion = assessor_client.get(url, headers={"accept-language": "en"}).context["data"]["completion"]
    assert [c["label"] for c in completion][:2] == ["Signed amount", "Funds in place"]
