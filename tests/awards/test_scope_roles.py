"""Unit users see their own unit's nominations only (404 otherwise); the 审计局 reads everything, writes
only its own review and cannot change ledger data in pages or the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import _api
from tests.factories import UserFactory
from zhaoshang.awards import services
from zhaoshang.awards.models import Nomination
from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.integrity.services.verification import fact_reject
from zhaoshang.ledger.models import FundArrival, Project
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.scope import check_can_edit_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def noms(run, catalogue, assessor, city):
    item = catalogue.items.get(name="先进集体奖")
    services.nominate_from_run(user=assessor, run=run)
    sh = services.nominate_manually(user=assessor, item=item, unit=city["offices"][1], reason="引进外资项目")
    return {"bj": Nomination.objects.filter(unit=city["offices"][0]).first(), "sh": sh}


def test_unit_user_sees_own_unit_only(client, noms, bj_staff):
    client.force_login(bj_staff)
    page = client.get(reverse("awards:index")).content.decode()
    assert "驻北京招商局" in page and "驻上海招商局" not in page
    assert client.get(reverse("awards:nomination_detail", args=[noms["bj"].pk])).status_code == 200
    assert client.get(reverse("awards:nomination_detail", args=[noms["sh"].pk])).status_code == 404
    assert client.post(reverse("awards:nomination_review", args=[noms["sh"].pk]),
                       {"office": "audit", "verdict": "approve"}).status_code == 404
    cat = noms["bj"].item.catalogue
    page = client.get(reverse("awards:catalogue_detail", args=[cat.pk])).content.decode()
    assert "驻上海招商局" not in page


def test_leader_reads_all_and_writes_nothing(client, noms, leader):
    client.force_login(leader)
    assert client.get(reverse("awards:nomination_detail", args=[noms["sh"].pk])).status_code == 200
    r = client.post(reverse("awards:nomination_review", args=[noms["sh"].pk]), {"office": "audit",
                                                                                 "verdict": "approve"}, follow=True)
    assert not noms["sh"].reviews.exists()
    assert r.status_code in (200, 403)


def test_audit_office_reads_everything_and_reviews(client, noms, audit_user):
    client.force_login(audit_user)
    assert client.get(reverse("awards:nomination_detail", args=[noms["sh"].pk])).status_code == 200
    client.post(reverse("awards:nomination_review", args=[noms["sh"].pk]),
                {"office": "audit", "verdict": "object", "reason": "需补充审计资料"})
    r = noms["sh"].reviews.get()
    assert (r.office, r.verdict, r.signed_by) == ("audit", "object", audit_user)
    assert client.get(reverse("ledger:project_list")).status_code == 200


def test_audit_office_cannot_change_ledger_data(client, city, audit_user):
    bj = city["offices"][0]
    project = city["projects"][0]
    assert audit_user.sees_all_units and audit_user.is_read_only
    with pytest.raises(PermissionDeniedError):
        check_can_edit_unit(audit_user, bj.pk)
    client.force_login(audit_user)
    before = Project.objects.count()
    r = client.post(reverse("ledger:project_create"), {"code": "XM-AUD-1", "name": "审计新建", "lead_unit": bj.pk,
                                                      "signed_amount": "100"})
    assert r.status_code == 403 and Project.objects.count() == before
    r = client.post(reverse("ledger:project_edit", args=[project.pk]), {"name": "审计改名"})
    assert r.status_code == 403
    project.refresh_from_db()
    assert project.name == "北京新能源电池项目"
    api = _api(audit_user)
    assert api.get("/api/projects").status_code == 200
    assert api.patch(f"/api/projects/{project.pk}", {"version": project.version, "name": "改名"}).status_code == 403
    fund = FundArrival.objects.filter(project=project).first()
    with pytest.raises(PermissionDeniedError):
        fact_reject(user=audit_user, fact=fund, reason="审计认为不实")


def test_audit_role_account_needs_no_unit(db):
    user = UserFactory(username="audit2", role=UserRole.AUDIT_OFFICE)
    assert user.unit is None and user.sees_all_units
