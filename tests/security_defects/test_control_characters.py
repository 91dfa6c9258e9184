"""Defect 1: control characters broke the export for everyone.

A unit user could save a name holding NUL, BEL, a bidirectional override or a zero-width space through the
API, a form, the workbook import (openpyxl's `_x0000_` escape reads back as a real NUL) or the admin;
afterwards every export including the row failed (openpyxl's IllegalCharacterError, HTTP 500), and on
PostgreSQL the NUL failed the write with a raw database error. Now every write path refuses them with a
Chinese message naming the field, exports leave out any stored before, and a data migration cleans them."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse

from zhaoshang.activities.models import Visit
from zhaoshang.core.text import clean_stored_text
from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Person, Unit

from ..exchange.helpers import fill
from ..factories import PersonFactory, ProjectFactory, UserFactory

NUL, BEL, RLO, ZWSP = "\x00", "\x07", "\u202e", "\u200b"


def project_body(**overrides) -> dict:
    return {"code": "XM-CC-1", "name": "甲区储能项目", "investor": "某储能公司", "signed_amount": "100",
            "signed_on": "2024-03-01", "lead_unit_code": "A01", **overrides}


# ---- the API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [NUL, BEL, RLO, ZWSP, "\x85"])
def test_api_refuses_invisible_characters_in_a_name_naming_the_field(api_a, unit_a, bad):
    response = api_a.post("/api/projects", project_body(name=f"甲区{bad}项目"))
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == ["name"] and "不可见字符" in body["fields"]["name"][0]
    assert f"U+{ord(bad):04X}" in body["message"]
    assert not Project.objects.exists()


def test_api_refuses_them_in_codes_queries_and_nested_bodies(api_a, api_assessor, unit_a, project_a):
    response = api_assessor.post("/api/units", {"code": f"Z{NUL}1", "name": "新单位", "kind": "district"})
    assert response.status_code == 422 and "code" in response.json()["fields"]
    assert api_a.get("/api/people", {"q": f"王{NUL}"}).status_code == 422
    shares = {"shares": [{"unit_code": f"A01{ZWSP}", "ratio": "1"}]}
    response = api_a.put(f"/api/projects/{project_a.pk}/shares", shares)
    assert response.status_code == 422 and list(response.json()["fields"]) == ["shares.0.unit_code"]


def test_api_refuses_a_line_break_in_a_one_line_name_but_keeps_it_in_a_note(api_a, unit_a, project_a):
    response = api_a.post("/api/projects", project_body(name="甲区\n项目"))
    assert response.status_code == 400
    assert response.json()["fields"]["name"] == ["项目名称只能填一行文字，不能含有U+000A（换行符）"]
    response = api_a.post(f"/api/projects/{project_a.pk}/funds",
                          {"date": "2024-05-01", "amount": "10", "kind": "fixed_asset", "note": "第一笔\n第二笔"})
    assert response.status_code == 201, response.json()


# ---- forms and the admin ------------------------------------------------------------------------------------


def test_the_project_form_refuses_them_beside_the_field(client, staff_a, unit_a):
    client.force_login(staff_a)
    data = {"code": "XM-CC-2", "name": f"甲区{BEL}项目", "investor": "某公司", "signed_amount": "10",
            "lead_unit": unit_a.pk, "status": "negotiating", "category": ""}
    page = client.post(reverse("ledger:project_create"), data).content.decode()
    assert "项目名称含有不可见字符U+0007（控制字符），请删除后重新输入" in page
    assert not Project.objects.exists()


def test_a_model_form_of_daily_work_refuses_them(client, staff_a, unit_a):
    leader = PersonFactory(unit=unit_a)
    client.force_login(staff_a)
    data = {"date": "2024-05-06", "unit": unit_a.pk, "leader": leader.pk, "enterprise": f"某{RLO}公司",
            "matter": "对接", "industry": ""}
    page = client.post(reverse("activities:visits_create"), data).content.decode()
    assert "企业名称含有不可见字符U+202E（双向文字控制符）" in page
    assert not Visit.objects.exists()


def test_the_admin_refuses_them(client, unit_a):
    admin = UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("admin:orgs_person_add"),
                           {"staff_no": "P9", "name": f"王{ZWSP}五", "unit": unit_a.pk, "title": "", "role": "staff",
                            "is_active": "on"})
    assert response.status_code == 200
    assert "姓名含有不可见字符U+200B（零宽字符）" in response.content.decode()
    assert not Person.objects.filter(staff_no="P9").exists()


# ---- the workbook import ------------------------------------------------------------------------------------


def test_an_openpyxl_escape_that_reads_back_as_nul_is_refused_on_import(tmp_path, staff_a, unit_a):
    row = {"项目编号": "XM-CC-3", "项目名称": "甲区_x0000_项目", "投资方": "某公司", "签约金额(万元)": 10,
           "引资单位编码": "A01"}
    result = import_workbook(fill(tmp_path / "nul.xlsx", {"项目": [row]}), user=staff_a)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("项目", 2, "项目名称", "含有不可见字符U+0000（空字符），请删除后重新导入")]
    assert not Project.objects.exists()


def test_a_nul_in_a_code_is_refused_before_anything_is_looked_up(tmp_path, staff_a, unit_a):
    row = {"项目编号": "XM_x0000_CC", "项目名称": "项目", "投资方": "某公司", "签约金额(万元)": 10,
           "引资单位编码": "A01"}
    result = import_workbook(fill(tmp_path / "code.xlsx", {"项目": [row]}), user=staff_a)
    assert [e.column for e in result.errors] == ["项目编号"] and "U+0000" in result.errors[0].message


# ---- exports and what was stored before ------------------------------------------------------------------


@pytest.fixture
def stored_badly(unit_a):
    """Rows saved before the rule (written past every check, as an old release could). BEL and ESC, which
    openpyxl refuses as NUL: PostgreSQL cannot store a NUL at all."""
    project = ProjectFactory(lead_unit=unit_a, code="XM-OLD-1", signed_on=dt.date(2024, 3, 1))
    Project.objects.filter(pk=project.pk).update(name=f"旧{BEL}项目\x1b", investor="=HYPERLINK(\"x\")")
    Unit.objects.filter(pk=unit_a.pk).update(name=f"甲{RLO}区")
    return project


def test_export_never_fails_on_a_stored_control_character(tmp_path, stored_badly, client, staff_a):
    export_workbook(tmp_path / "out.xlsx", year=2024)
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["项目"]
    row = next(ws.iter_rows(min_row=2, values_only=True))
    assert row[1] == "旧项目"
    client.force_login(staff_a)
    response = client.get(reverse("exchange:export"), {"year": 2024})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    cell = wb["项目"]["C2"]
    # A text Excel could take for a formula stays text (quote prefix), never a formula.
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix


def test_the_data_migration_cleans_what_was_stored(stored_badly, unit_a):
    assert clean_stored_text(apps, ["ledger.Project", "orgs.Unit"]) == 2
    stored_badly.refresh_from_db()
    unit_a.refresh_from_db()
    assert (stored_badly.name, unit_a.name) == ("旧项目", "甲区")
    assert clean_stored_text(apps, ["ledger.Project", "orgs.Unit"]) == 0  # running it again changes nothing


def test_the_migration_keeps_unique_codes_apart(unit_a):
    ProjectFactory(lead_unit=unit_a, code="XM-9")
    twin = ProjectFactory(lead_unit=unit_a, code="XM-X")
    Project.objects.filter(pk=twin.pk).update(code=f"XM-9{ZWSP}")
    clean_stored_text(apps, ["ledger.Project"])
    twin.refresh_from_db()
    assert twin.code == f"XM-9~{twin.pk}"
