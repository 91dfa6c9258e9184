"""Defect 3a: a unit user could give 100 % of its project to another unit, changing that unit's figures
without its consent. Now such a change waits (共享变更 待确认) until the receiving unit or an assessor
confirms it; until then the project keeps its shares and nothing counts for the receiving unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger import selectors, services, sharing
from zhaoshang.ledger.models import ProjectShare, ShareChange

from ..exchange.helpers import fill
from ..factories import UserFactory

ALL_TO_B = {"shares": [{"unit_code": "B01", "ratio": "1"}]}


def shares(project) -> dict[str, Decimal]:
    return {s.unit.code: s.ratio for s in ProjectShare.objects.filter(project=project).select_related("unit")}


def in_ledger_of(user, project) -> bool:
    return selectors.project_scope(user).filter(pk=project.pk).exists()


def test_giving_another_unit_the_whole_project_waits_for_its_consent(api_a, staff_b, project_a, unit_b):
    response = api_a.put(f"/api/projects/{project_a.pk}/shares", ALL_TO_B)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and {(line["unit_code"], line["consent"]) for line in body["lines"]} == {
        ("B01", "pending")}
    # Nothing changed yet: unit B does not hold the project, unit A still does.
    assert shares(project_a) == {} and not in_ledger_of(staff_b, project_a)
    detail = api_a.get(f"/api/projects/{project_a.pk}").json()
    assert detail["shares"] == [] and detail["pending_share_change"]["id"] == body["id"]


def test_the_receiving_unit_confirms_on_the_ledger_and_the_history_names_it(client, staff_a, staff_b, project_a,
                                                                               unit_b):
    change = services.project_set_shares(user=staff_a, project=project_a, shares=[(unit_b, Decimal(1))])
    client.force_login(staff_b)
    ledger = client.get(reverse("ledger:project_list")).content.decode()
    assert "有 1 项共享变更待本单位确认" in ledger
    page = client.get(reverse("ledger:share_changes")).content.decode()
    assert project_a.code in page and "确认共享" in page
    client.post(reverse("ledger:share_change_confirm", args=[change.pk]))
    assert shares(project_a) == {"B01": Decimal(1)} and in_ledger_of(staff_b, project_a)
    change.refresh_from_db()
    assert change.status == "applied"
    assert ProjectShare.objects.get(project=project_a).history.first().history_user == staff_b
    assert change.lines.get().history.first().history_user == staff_b


def test_the_receiving_unit_may_decline_and_nothing_changes(api_a, api_b, project_a, unit_b):
    change_id = api_a.put(f"/api/projects/{project_a.pk}/shares", ALL_TO_B).json()["id"]
    response = api_b.post(f"/api/share-changes/{change_id}/decline", {"note": "不是我方项目"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert shares(project_a) == {}
    # and a declined change cannot be confirmed afterwards
    assert api_b.post(f"/api/share-changes/{change_id}/confirm", {}).status_code == 400


def test_the_proposing_unit_cannot_confirm_its_own_change(api_a, project_a, unit_b):
    change_id = api_a.put(f"/api/projects/{project_a.pk}/shares", ALL_TO_B).json()["id"]
    assert api_a.post(f"/api/share-changes/{change_id}/confirm", {}).status_code == 403
    assert shares(project_a) == {}


def test_an_assessor_confirms_for_a_unit_and_writes_at_once(api_a, api_assessor, project_a, unit_b):
    change_id = api_a.put(f"/api/projects/{project_a.pk}/shares", ALL_TO_B).json()["id"]
    assert api_assessor.post(f"/api/share-changes/{change_id}/confirm", {}).json()["status"] == "applied"
    assert shares(project_a) == {"B01": Decimal(1)}
    response = api_assessor.put(f"/api/projects/{project_a.pk}/shares", {"shares": []})
    assert response.status_code == 200 and shares(project_a) == {}


def test_taking_away_another_units_share_also_needs_its_consent(staff_a, assessor, project_a, unit_a, unit_b):
    services.project_set_shares(user=assessor, project=project_a,
                                shares=[(unit_a, Decimal("0.5")), (unit_b, Decimal("0.5"))])
    change = services.project_set_shares(user=staff_a, project=project_a, shares=[])
    assert change is not None and shares(project_a) == {"A01": Decimal("0.5"), "B01": Decimal("0.5")}
    assert {line.unit.code: line.ratio for line in change.lines.all()} == {"B01": Decimal(0)}


def test_shares_between_the_writers_own_units_apply_at_once(staff_a, project_a, unit_a, unit_a_child):
    change = services.project_set_shares(user=staff_a, project=project_a,
                                         shares=[(unit_a, Decimal("0.7")), (unit_a_child, Decimal("0.3"))])
    assert change is None and shares(project_a) == {"A01": Decimal("0.7"), "A01-01": Decimal("0.3")}


def test_a_newer_change_supersedes_the_waiting_one(staff_a, project_a, unit_a, unit_b):
    first = services.project_set_shares(user=staff_a, project=project_a, shares=[(unit_b, Decimal(1))])
    services.project_set_shares(user=staff_a, project=project_a,
                                shares=[(unit_a, Decimal("0.5")), (unit_b, Decimal("0.5"))])
    first.refresh_from_db()
    assert first.status == "superseded"
    assert ShareChange.objects.filter(status="pending").count() == 1


def test_an_import_of_shares_to_another_unit_waits_too(tmp_path, staff_a, staff_b, project_a, unit_b):
    path = fill(tmp_path / "共享.xlsx", {"项目共享": [{"项目编号": "XM-A-1", "单位编码": "B01", "比例": 1}]})
    result = import_workbook(path, user=staff_a)
    assert result.ok and "1个项目的共享变更涉及其他单位，待其确认后生效" in result.summary()
    assert shares(project_a) == {}
    change = ShareChange.objects.get(project=project_a, status="pending")
    assert sharing.confirm(user=staff_b, change=change) is True
    assert shares(project_a) == {"B01": Decimal(1)}


@pytest.mark.parametrize("role", ["leader"])
def test_a_read_only_user_cannot_answer(role, project_a, staff_a, unit_b):
    change = services.project_set_shares(user=staff_a, project=project_a, shares=[(unit_b, Decimal(1))])
    reader = UserFactory(username="reader", role=role)
    assert not sharing.awaiting(user=reader).exists()
    with pytest.raises(Exception, match="只有被共享的单位或考核办|只读"):
        sharing.confirm(user=reader, change=change)


def test_the_project_page_shows_the_waiting_change_and_its_history(client, staff_a, project_a, unit_b):
    change = services.project_set_shares(user=staff_a, project=project_a, shares=[(unit_b, Decimal(1))])
    client.force_login(staff_a)
    page = client.get(reverse("ledger:project_detail", args=[project_a.pk])).content.decode()
    assert f'id="share-change-{change.pk}"' in page and "待 乙县 确认" in page and "撤回" in page
    assert "确认共享" not in page  # the proposing unit cannot confirm its own change
    client.post(reverse("ledger:share_change_withdraw", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == "withdrawn" and shares(project_a) == {}
    page = client.get(reverse("ledger:project_detail", args=[project_a.pk])).content.decode()
    assert "已撤回" in page
