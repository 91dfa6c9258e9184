"""Pre-review (项目预评审). Seed 003: "各区要建立项目预评审制度…坚决淘汰不符合转调方向、政策导向、环保要求的项目";
seed 002 (博乐): "坚持严禁“三高”项目进博乐…坚决杜绝高污染、高能耗、高排放的产业项目落地".

With REQUIRE_PREREVIEW on, signing without a passed review is refused in the service, the form (beside
签约日期), the API and the import; with a passed review it is accepted; a 三高 project cannot pass; with
the setting off nothing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.api.conftest import _api
from tests.exchange.helpers import fill
from tests.factories import ProjectFactory, UserFactory
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.integrity.models import PreReview
from zhaoshang.integrity.services.prereview import prereview_record
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UserRole

pytestmark = pytest.mark.django_db

REFUSAL = "该项目尚未通过预评审（转调方向、政策导向、环保），不能登记签约。请先完成项目预评审。"


@pytest.fixture
def required(settings):
    settings.REQUIRE_PREREVIEW = True


@pytest.fixture
def unsigned(unit_a):
    """A project 在谈 (not signed yet) of unit A."""
    return ProjectFactory(lead_unit=unit_a, code="XM-001", name="甲区储能项目", signed_on=None,
                          signed_amount=Decimal("0"), status="negotiating")


def review(user, project, **overrides) -> PreReview:
    data = {"direction_fit": "fit", "policy_fit": "fit", "reviewer": "市发改委 王工",
            "reviewed_on": dt.date(2024, 1, 20), "conclusion": "passed"}
    data.update(overrides)
    return prereview_record(user=user, project=project, **data)


def sign(user, project, day=dt.date(2024, 2, 1)) -> Project:
    return ledger.project_update(user=user, project=project, expected_version=project.version, signed_on=day,
                                 signed_amount=Decimal("50000"), status="advancing")


# ---------------------------------------------------------------------------------------------
# The review itself


def test_a_three_highs_project_cannot_pass(assessor, unsigned):
    with pytest.raises(ApplicationError) as exc:
        review(assessor, unsigned, high_energy=True, high_emission=True)
    assert exc.value.field_errors["conclusion"] == ["项目存在高能耗、高排放问题，属“三高”项目，不能评审通过"]
    with pytest.raises(ApplicationError) as exc:
        review(assessor, unsigned, direction_fit="unfit")
    assert exc.value.field_errors["conclusion"] == ["项目不符合转调方向，不能评审通过"]
    failed = review(assessor, unsigned, high_pollution=True, conclusion="failed", note="高污染，淘汰")
    assert failed.three_highs == ["高污染"] and failed.history.count() == 1
    # The database keeps the rule as well, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        PreReview.objects.create(project=unsigned, direction_fit="fit", policy_fit="fit", high_pollution=True,
                                 reviewer="x", reviewed_on=dt.date(2024, 1, 1), conclusion="passed")


def test_reviewers_are_the_offices_within_their_scope(assessor, staff_a, unit_b, unsigned):
    district_b = UserFactory(username="district_b", role=UserRole.DISTRICT_ASSESSOR, unit=unit_b)
    district_a = UserFactory(username="district_a", role=UserRole.DISTRICT_ASSESSOR, unit=unsigned.lead_unit)
    for user in (staff_a, district_b):
        with pytest.raises(PermissionDeniedError):
            review(user, unsigned)
    assert review(district_a, unsigned).reviewed_by == district_a
    assert review(assessor, unsigned).reviewed_by == assessor


# ---------------------------------------------------------------------------------------------
# The signing guard: service, form, API, import


def test_service_refuses_signing_until_a_passed_review(required, assessor, staff_a, unit_a, unsigned):
    with pytest.raises(ApplicationError) as exc:
        sign(staff_a, unsigned)
    assert exc.value.message == REFUSAL and exc.value.field_errors == {"signed_on": [REFUSAL]}
    with pytest.raises(ApplicationError):  # created already signed: it has no review yet
        ledger.project_create(user=staff_a, code="XM-NEW", name="新项目", investor="某公司", lead_unit=unit_a,
                              signed_on=dt.date(2024, 3, 1), signed_amount=Decimal("100"), status="advancing")
    assert not Project.objects.filter(code="XM-NEW").exists()

    review(assessor, unsigned, conclusion="failed", policy_fit="unfit")
    with pytest.raises(ApplicationError):
        sign(staff_a, Project.objects.get(pk=unsigned.pk))
    review(assessor, unsigned, reviewed_on=dt.date(2024, 1, 25))
    signed = sign(staff_a, Project.objects.get(pk=unsigned.pk))
    assert signed.signed_on == dt.date(2024, 2, 1)
    # A later 不通过 withdraws the pass for any new signing (the project already signed stays signed).
    other = ProjectFactory(lead_unit=unit_a, code="XM-002", signed_on=None, signed_amount=0, status="negotiating")
    review(assessor, other, reviewed_on=dt.date(2024, 1, 1))
    review(assessor, other, reviewed_on=dt.date(2024, 1, 2), conclusion="failed", high_energy=True)
    with pytest.raises(ApplicationError):
        sign(staff_a, Project.objects.get(pk=other.pk))


def test_form_shows_the_refusal_beside_the_signing_date(client, required, assessor, staff_a, unit_a, unsigned):
    from tests.ledger.test_views import field_errors, project_post

    client.force_login(staff_a)
    response = client.post(reverse("ledger:project_create"), project_post(unit_a))
    assert response.status_code == 200 and field_errors(response, "signed_on") == [REFUSAL]
    created = client.post(reverse("ledger:project_create"), project_post(unit_a, signed_on="", status="negotiating",
                                                                         signed_amount="0"))
    assert created.status_code == 302 and Project.objects.get(code="XM-NEW-1").signed_on is None

    url = reverse("ledger:project_edit", args=[unsigned.pk])
    data = project_post(unit_a, code=unsigned.code, name=unsigned.name, investor=unsigned.investor,
                        investor_uscc=unsigned.investor_uscc, signed_on="2024-02-01", signed_amount="50000",
                        version=str(unsigned.version))
    assert field_errors(client.post(url, data), "signed_on") == [REFUSAL]
    review(assessor, unsigned)
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=unsigned.pk).signed_on == dt.date(2024, 2, 1)


def test_api_refuses_signing_until_a_passed_review(required, assessor, staff_a, unsigned):
    unit, office = _api(staff_a), _api(assessor)
    body = {"code": "XM-API", "name": "接口项目", "investor": "某公司", "lead_unit_code": "A01",
            "signed_on": "2024-03-01", "signed_amount": "100", "status": "advancing"}
    refused = unit.post("/api/projects", body)
    assert refused.status_code == 400 and refused.json()["fields"] == {"signed_on": [REFUSAL]}

    patch = {"version": unsigned.version, "signed_on": "2024-02-01", "signed_amount": "50000", "status": "advancing"}
    assert unit.patch(f"/api/projects/{unsigned.pk}", patch).status_code == 400
    # The pre-review through the API: a 三高 project cannot pass; a unit user may not record one.
    three_high = {"project_code": "XM-001", "direction_fit": "fit", "policy_fit": "fit", "high_pollution": True,
                  "reviewer": "专家组", "reviewed_on": "2024-01-20", "conclusion": "passed"}
    answer = office.post("/api/integrity/prereviews", three_high)
    assert answer.status_code == 400 and "conclusion" in answer.json()["fields"]
    assert unit.post("/api/integrity/prereviews", three_high | {"high_pollution": False}).status_code == 403
    assert office.post("/api/integrity/prereviews", three_high | {"high_pollution": False}).status_code == 201
    assert [r["conclusion_display"] for r in unit.get("/api/integrity/prereviews").json()] == ["通过"]
    assert unit.patch(f"/api/projects/{unsigned.pk}", patch).status_code == 200


def _row(**overrides) -> dict:
    row = {"项目编号": "XM-001", "项目名称": "甲区储能项目", "投资方": "某某储能科技有限公司", "项目类别": "制造业",
           "签约金额(万元)": 50000, "签约日期": dt.date(2024, 2, 1), "项目状态": "推进中", "引资单位编码": "A01"}
    row.update(overrides)
    return row


def test_import_refuses_new_signings_without_a_passed_review(tmp_path, required, assessor, staff_a, unsigned):
    path = fill(tmp_path / "签约.xlsx", {"项目": [_row(), _row(项目编号="XM-NEW", 项目名称="文件中的新项目")]})
    result = import_workbook(path, user=staff_a)
    refused = [(e.row, e.column.rstrip("*"), e.message) for e in result.errors]
    assert refused == [(2, "签约日期", REFUSAL), (3, "签约日期", REFUSAL)]
    assert Project.objects.get(pk=unsigned.pk).signed_on is None and not Project.objects.filter(code="XM-NEW").exists()

    review(assessor, unsigned)
    result = import_workbook(fill(tmp_path / "签约2.xlsx", {"项目": [_row()]}), user=staff_a)
    assert result.ok, [e.as_dict() for e in result.errors]
    assert Project.objects.get(pk=unsigned.pk).signed_on == dt.date(2024, 2, 1)
    # Re-importing a project already signed is not a new signing.
    assert import_workbook(fill(tmp_path / "签约3.xlsx", {"项目": [_row(项目名称="改名")]}), user=staff_a).ok


# ---------------------------------------------------------------------------------------------
# Setting off; the project page


def test_with_the_setting_off_nothing_changes(tmp_path, settings, staff_a, unit_a, unsigned):
    settings.REQUIRE_PREREVIEW = False
    assert sign(staff_a, unsigned).signed_on == dt.date(2024, 2, 1)
    ledger.project_create(user=staff_a, code="XM-NEW", name="新项目", investor="某公司", lead_unit=unit_a,
                          signed_on=dt.date(2024, 3, 1), signed_amount=Decimal("100"), status="advancing")
    assert import_workbook(fill(tmp_path / "x.xlsx", {"项目": [_row(项目编号="XM-003")]}), user=staff_a).ok


def test_project_page_shows_the_reviews_and_the_link_for_reviewers(client, required, assessor, staff_a, staff_b,
                                                                    unsigned):
    review(assessor, unsigned, conclusion="failed", high_energy=True, note="能耗超标")
    detail = reverse("ledger:project_detail", args=[unsigned.pk])
    link = reverse("integrity:prereview_create", args=[unsigned.pk])
    client.force_login(staff_a)
    page = client.get(detail).content.decode()
    assert "项目预评审" in page and "高能耗" in page and "不通过" in page and link not in page
    assert client.get(link).status_code == 403
    client.force_login(staff_b)
    assert client.get(link).status_code == 404
    assert "甲区储能项目" not in client.get(reverse("integrity:prereview_list")).content.decode()

    client.force_login(assessor)
    assert link in client.get(detail).content.decode()
    refused = client.post(link, {"direction_fit": "fit", "policy_fit": "fit", "high_emission": "on",
                                 "reviewer": "专家组", "reviewed_on": "2024-01-20", "conclusion": "passed"})
    assert refused.status_code == 200
    assert "属“三高”项目，不能评审通过" in " ".join(refused.context["form"].errors["conclusion"])
    passed = client.post(link, {"direction_fit": "fit", "policy_fit": "fit", "reviewer": "专家组",
                                "reviewed_on": "2024-01-21", "conclusion": "passed"})
    assert passed.status_code == 302
    listing = client.get(reverse("integrity:prereview_list")).content.decode()
    assert "甲区储能项目" in listing and "本市要求项目通过预评审后方可登记签约" in listing
