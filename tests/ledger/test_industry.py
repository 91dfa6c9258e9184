"""行业门类 (GB/T 4754-2017 sections) in the ledger, as an office meets it: older projects migrate
(制造业 → C, 农业 → A, 服务业 and 其他 → 待归类), the list marks the unclassified ones and filters on
them, and an office classifies many at once, each change an ordinary edit (scope, closed periods,
history)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from zhaoshang.ledger.choices import INDUSTRY_SETS, OLD_CATEGORY_SECTIONS, OLD_CATEGORY_WORDS, Section, section_label
from zhaoshang.ledger.models import Project, ProjectShare
from zhaoshang.periods.closing import period_close
from zhaoshang.periods.models import Correction

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db

LIST = reverse("ledger:project_list")
RECLASSIFY = reverse("ledger:project_reclassify")
migration = importlib.import_module("zhaoshang.ledger.migrations.0007_sections")


# ---------------------------------------------------------------------------------------------
# The sections and the migration


def test_the_twenty_sections_and_the_industrial_set():
    assert len(Section.values) == 20 and Section.values[0] == "A" and Section.values[-1] == "T"
    assert section_label("C") == "制造业" and section_label("K") == "房地产业"
    assert section_label("D") == "电力、热力、燃气及水生产和供应业"
    assert section_label("") == "待归类"
    assert INDUSTRY_SETS["工业"] == ("B", "C", "D")


def test_migration_maps_the_four_old_words():
    assert migration.section_for("manufacturing") == "C"
    assert migration.section_for("agriculture") == "A"
    assert migration.section_for("services") == ""
    assert migration.section_for("other") == ""
    assert migration.section_for("K") == "K"  # already a section: unchanged on a second run
    assert migration.section_for("nonsense") == ""
    # The app's own table of the old words agrees with the frozen one (the workbook reads the same words).
    assert OLD_CATEGORY_SECTIONS == migration.SECTION_OF
    assert OLD_CATEGORY_WORDS == {"制造业": "C", "农业": "A", "服务业": "", "其他": ""}
    # Back: a section with an old word gets it back; the others read as services.
    assert [migration.old_for(s) for s in ("C", "A", "", "K")] == ["manufacturing", "agriculture", "other",
                                                                     "services"]


def test_migration_converts_projects_and_their_history(unit_a):
    from django.apps import apps

    p = ProjectFactory(lead_unit=unit_a, code="OLD-1", category="C")
    q = ProjectFactory(lead_unit=unit_a, code="OLD-2", category="C")
    # As the table stood before the migration: the old words, in the rows and in the history.
    Project.objects.filter(pk=p.pk).update(category="manufacturing")
    Project.objects.filter(pk=q.pk).update(category="services")
    Project.history.filter(id=q.pk).update(category="services")
    migration.forwards(apps, None)
    assert Project.objects.get(pk=p.pk).category == "C"
    assert Project.objects.get(pk=q.pk).category == ""
    assert set(Project.history.filter(id=q.pk).values_list("category", flat=True)) == {""}


# ---------------------------------------------------------------------------------------------
# The list: badge and filter


def test_list_marks_unclassified_projects_and_filters_on_them(client, assessor, unit_a):
    ProjectFactory(lead_unit=unit_a, code="XM-C", category="C")
    ProjectFactory(lead_unit=unit_a, code="XM-K", category="K")
    ProjectFactory(lead_unit=unit_a, code="XM-NONE", category="")
    client.force_login(assessor)
    html = client.get(LIST).content.decode()
    assert "行业门类" in html and "待归类" in html and 'data-unclassified="1"' in html
    assert 'id="unclassified-notice"' in html and "有 1 个项目的行业门类待归类" in html
    assert "房地产业" in html

    only_unclassified = client.get(LIST, {"category": "unclassified"})
    assert [p.code for p in only_unclassified.context["projects"]] == ["XM-NONE"]
    only_k = client.get(LIST, {"category": "K"})
    assert [p.code for p in only_k.context["projects"]] == ["XM-K"]


def test_project_form_offers_the_sections(client, assessor, unit_a):
    client.force_login(assessor)
    html = client.get(reverse("ledger:project_create")).content.decode()
    assert '<option value="C">制造业</option>' in html
    assert '<option value="" selected>待归类</option>' in html


def test_detail_shows_the_section_or_unclassified(client, assessor, unit_a):
    p = ProjectFactory(lead_unit=unit_a, category="")
    client.force_login(assessor)
    html = client.get(reverse("ledger:project_detail", args=[p.pk])).content.decode()
    assert 'id="project-section"' in html and "待归类" in html


# ---------------------------------------------------------------------------------------------
# Bulk reclassification


def test_assessor_classifies_ticked_projects_and_the_history_says_so(client, assessor, unit_a):
    a = ProjectFactory(lead_unit=unit_a, code="XM-1", category="")
    b = ProjectFactory(lead_unit=unit_a, code="XM-2", category="")
    c = ProjectFactory(lead_unit=unit_a, code="XM-3", category="")
    client.force_login(assessor)
    response = client.post(RECLASSIFY, {"section": "K", "ids": [a.pk, b.pk], "query": "category=unclassified"})
    assert response.status_code == 302 and response["Location"].endswith("?category=unclassified")
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "已将2个项目归入“房地产业”，修改已记入各项目的历史。"]
    assert {p.code: p.category for p in Project.objects.all()} == {"XM-1": "K", "XM-2": "K", "XM-3": ""}
    latest = a.history.order_by("-history_date", "-history_id").first()
    assert latest.category == "K" and latest.history_user == assessor
    assert latest.prev_record.category == ""
    # The detail page's history names the change as a person reads it.
    html = client.get(reverse("ledger:project_detail", args=[a.pk])).content.decode()
    assert "待归类" in html and "房地产业" in html
    c.refresh_from_db()
    assert c.version == 1  # untouched


def test_all_matching_the_filter(client, assessor, unit_a, unit_b):
    ProjectFactory(lead_unit=unit_a, code="XM-A1", category="")
    ProjectFactory(lead_unit=unit_a, code="XM-A2", category="")
    ProjectFactory(lead_unit=unit_b, code="XM-B1", category="")
    ProjectFactory(lead_unit=unit_a, code="XM-A3", category="C")
    client.force_login(assessor)
    query = f"category=unclassified&unit={unit_a.pk}"
    client.post(RECLASSIFY, {"section": "G", "all_matching": "on", "query": query})
    assert {p.code: p.category for p in Project.objects.all()} == {
        "XM-A1": "G", "XM-A2": "G", "XM-B1": "", "XM-A3": "C"}


def test_a_unit_user_classifies_only_its_own_projects(client, staff_a, unit_a, unit_b):
    own = ProjectFactory(lead_unit=unit_a, code="XM-OWN", category="")
    # Shared with unit A, so staff_a sees it, but it is unit B's project: not theirs to edit.
    shared = ProjectFactory(lead_unit=unit_b, code="XM-SHARED", name="乙县共享项目", category="")
    ProjectShare.objects.create(project=shared, unit=unit_a, ratio=1)
    hidden = ProjectFactory(lead_unit=unit_b, code="XM-HIDDEN", category="")
    client.force_login(staff_a)

    html = client.get(LIST).content.decode()
    assert f'value="{own.pk}" form="project-reclassify"' in html
    assert f'value="{shared.pk}" form="project-reclassify" aria-label="选择 XM-SHARED" disabled' in html

    response = client.post(RECLASSIFY, {"section": "C", "ids": [own.pk, shared.pk, hidden.pk]})
    messages = [m.message for m in get_messages(response.wsgi_request)]
    assert messages[0] == "已将1个项目归入“制造业”，修改已记入各项目的历史。"
    assert messages[1].startswith("1个项目未修改：XM-SHARED 乙县共享项目：") and "无权修改" in messages[1]
    assert {p.code: p.category for p in Project.objects.all()} == {
        "XM-OWN": "C", "XM-SHARED": "", "XM-HIDDEN": ""}
    assert shared.history.count() == hidden.history.count() == 1  # only their creation


def test_read_only_users_cannot_reclassify(client, leader, unit_a):
    p = ProjectFactory(lead_unit=unit_a, category="")
    client.force_login(leader)
    assert 'id="project-reclassify"' not in client.get(LIST).content.decode()
    assert client.post(RECLASSIFY, {"section": "C", "ids": [p.pk]}).status_code == 403
    p.refresh_from_db()
    assert p.category == ""


def test_closed_periods_hold_as_for_any_edit(client, assessor, staff_a, unit_a):
    period_close(user=assessor, period="2024Q1")
    closed = ProjectFactory(lead_unit=unit_a, code="XM-Q1", category="")  # signed 2024-02-01
    open_ = ProjectFactory(lead_unit=unit_a, code="XM-Q2", category="", signed_on=dt.date(2024, 5, 1))

    client.force_login(staff_a)
    response = client.post(RECLASSIFY, {"section": "C", "ids": [closed.pk, open_.pk]})
    messages = [m.message for m in get_messages(response.wsgi_request)]
    assert "已结账" in messages[1] and "XM-Q1" in messages[1]
    assert {p.code: p.category for p in Project.objects.all()} == {"XM-Q1": "", "XM-Q2": "C"}

    client.force_login(assessor)
    response = client.post(RECLASSIFY, {"section": "C", "ids": [closed.pk]})
    assert "须填写更正理由" in [m.message for m in get_messages(response.wsgi_request)][-1]
    assert Project.objects.get(code="XM-Q1").category == ""
    client.post(RECLASSIFY, {"section": "C", "ids": [closed.pk], "correction_reason": "按国民经济行业分类归类"})
    assert Project.objects.get(code="XM-Q1").category == "C"
    assert Correction.objects.filter(reason="按国民经济行业分类归类").exists()


def test_nothing_ticked_or_no_section_says_so(client, assessor, unit_a):
    p = ProjectFactory(lead_unit=unit_a, category="")
    client.force_login(assessor)
    response = client.post(RECLASSIFY, {"section": "C"})
    assert "请先勾选要归类的项目" in " ".join(m.message for m in get_messages(response.wsgi_request))
    response = client.post(RECLASSIFY, {"section": "", "ids": [p.pk]})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.category == ""


# ---------------------------------------------------------------------------------------------
# Visits record the visited enterprise's section


def test_visit_form_and_list_carry_the_enterprise_section(client, staff_a, unit_a):
    from zhaoshang.activities.models import Visit
    from zhaoshang.orgs.models import Person

    head = Person.objects.create(staff_no="H1", name="王书记", unit=unit_a, role="head")
    client.force_login(staff_a)
    form = client.get(reverse("activities:visits_create")).content.decode()
    assert "企业行业门类" in form and '<option value="C">制造业</option>' in form
    response = client.post(reverse("activities:visits_create"), {
        "date": "2024-03-01", "unit": unit_a.pk, "leader": head.pk, "enterprise": "某某制造有限公司",
        "industry": "C", "matter": "对接"})
    assert response.status_code == 302
    client.post(reverse("activities:visits_create"), {
        "date": "2024-03-02", "unit": unit_a.pk, "leader": head.pk, "enterprise": "某某公司", "industry": "",
        "matter": ""})
    assert dict(Visit.objects.values_list("enterprise", "industry")) == {"某某制造有限公司": "C", "某某公司": ""}
    html = client.get(reverse("activities:visits_list")).content.decode()
    assert "企业行业门类" in html and "制造业" in html and "待归类" in html
    visit = Visit.objects.get(enterprise="某某公司")
    edit = client.get(reverse("activities:visits_edit", args=[visit.pk])).content.decode()
    assert '<option value="" selected>待归类</option>' in edit
