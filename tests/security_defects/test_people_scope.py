"""Defect 3b: the API accepted another unit's person as 引资人 or 帮办秘书 and answered with their name,
which listed people the user may not see. Now a person (or a 帮办单位) outside the user's units is refused
exactly as the web form refuses it — in the API as a staff number that does not exist — and no name of
theirs is echoed. The import and the services refuse them too."""

from __future__ import annotations

import pytest

from zhaoshang.core.errors import ApplicationError
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger import services
from zhaoshang.ledger.models import Project

from ..exchange.helpers import fill
from ..factories import PersonFactory

SECRET = "乙县保密人员"


@pytest.fixture
def person_b(unit_b):
    return PersonFactory(unit=unit_b, staff_no="PB-1", name=SECRET)


def body(**overrides) -> dict:
    return {"code": "XM-PS-1", "name": "甲区项目", "investor": "某公司", "signed_amount": "10",
            "signed_on": "2024-03-01", "lead_unit_code": "A01", **overrides}


@pytest.mark.parametrize("field", ["introducer_staff_no", "assisting_secretary_staff_no"])
def test_the_api_answers_another_units_person_as_unknown(api_a, unit_a, person_b, field):
    response = api_a.post("/api/projects", body(**{field: "PB-1"}))
    assert response.status_code == 422
    assert response.json()["fields"] == {field: ["找不到工号“PB-1”"]}
    assert SECRET not in response.content.decode()
    assert not Project.objects.exists()


def test_the_api_refuses_another_units_assisting_unit_and_patches_too(api_a, project_a, unit_b, person_b):
    response = api_a.post("/api/projects", body(assisting_unit_code="B01"))
    assert response.status_code == 422 and response.json()["fields"] == {"assisting_unit_code": ["找不到单位编码“B01”"]}
    response = api_a.patch(f"/api/projects/{project_a.pk}",
                           {"version": project_a.version, "introducer_staff_no": "PB-1"})
    assert response.status_code == 422 and SECRET not in response.content.decode()


def test_a_value_the_project_already_holds_stays_allowed(api_a, assessor, project_a, person_b):
    services.project_update(user=assessor, project=project_a, expected_version=project_a.version, introducer=person_b)
    project_a.refresh_from_db()
    response = api_a.patch(f"/api/projects/{project_a.pk}",
                           {"version": project_a.version, "introducer_staff_no": "PB-1", "name": "改名"})
    assert response.status_code == 200


def test_own_people_are_accepted(api_a, unit_a_child):
    own = PersonFactory(unit=unit_a_child, staff_no="PA-2")
    response = api_a.post("/api/projects", body(introducer_staff_no=own.staff_no))
    assert response.status_code == 201 and response.json()["introducer_name"] == own.name


def test_the_service_refuses_them_without_naming_them(staff_a, unit_a, person_b):
    with pytest.raises(ApplicationError) as caught:
        services.project_create(user=staff_a, code="XM-PS-2", name="项目", investor="某公司", lead_unit=unit_a,
                                introducer=person_b)
    assert caught.value.field_errors == {"introducer": ["所选引资人不在本单位及下级单位范围内"]}
    assert SECRET not in caught.value.message


def test_the_import_answers_another_units_person_as_unknown(tmp_path, staff_a, unit_a, person_b):
    row = {"项目编号": "XM-PS-3", "项目名称": "项目", "投资方": "某公司", "签约金额(万元)": 10, "引资单位编码": "A01",
           "引资人工号": "PB-1"}
    result = import_workbook(fill(tmp_path / "人.xlsx", {"项目": [row]}), user=staff_a)
    assert [(e.column, e.message) for e in result.errors] == [("引资人工号", "工号“PB-1”不存在（文件和系统中都没有）")]
