"""Named groupings (分组口径): a unit is in different groups under different groupings, falls back to its
own 考核组别 where a grouping does not list it, and users who see all units find the groupings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.orgs.models import Grouping, GroupMembership, UnitGroup
from zhaoshang.orgs.selectors import people_grouped, units_grouped
from zhaoshang.orgs.services import membership_set

from ..factories import PersonFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db

GROUPINGS = reverse("orgs:grouping_list")


@pytest.fixture
def city(assessor):
    """金水区 is 市内五区 by default and 区及功能区 under 莱芜竞赛口径; 商务局 is listed nowhere."""
    sn = UnitGroupFactory(code="SN", name="市内五区及郑东新区")
    bm = UnitGroupFactory(code="BM", name="市直部门")
    district = UnitFactory(code="JS01", name="金水区", group=sn)
    department = UnitFactory(code="BM03", name="市商务局", kind="department", group=bm)
    membership_set(user=assessor, unit=district, grouping="莱芜竞赛口径", group="区及功能区")
    return district, department


def groups_of(grouping: str) -> dict[str, str | None]:
    return dict(units_grouped(grouping).values_list("code", "resolved_group"))


def test_a_unit_has_a_group_per_grouping_and_falls_back_to_its_own(city):
    assert groups_of("") == {"JS01": "市内五区及郑东新区", "BM03": "市直部门"}
    assert groups_of("莱芜竞赛口径") == {"JS01": "区及功能区", "BM03": "市直部门"}  # 商务局 keeps its own
    assert groups_of("没有这个口径") == groups_of("")  # a grouping that does not exist: everyone falls back


def test_people_take_their_units_group(city):
    district, _ = city
    PersonFactory(unit=district, staff_no="JS01-01")
    assert dict(people_grouped("莱芜竞赛口径").values_list("staff_no", "resolved_group")) == {"JS01-01": "区及功能区"}


def test_setting_a_membership_replaces_it_and_keeps_history(city, assessor):
    district, _ = city
    membership_set(user=assessor, unit=district, grouping="莱芜竞赛口径", group="市直部门")
    membership = GroupMembership.objects.get(unit=district)
    assert membership.group.name == "市直部门" and GroupMembership.objects.count() == 1
    assert UnitGroup.objects.filter(name="区及功能区").exists()  # created on first use, as the 单位 sheet does
    history = list(membership.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"] and history[-1].history_user == assessor
    assert Grouping.objects.get().history.get().history_user == assessor


def test_only_assessors_maintain_groupings(city, staff_a):
    district, _ = city
    with pytest.raises(PermissionDeniedError):
        membership_set(user=staff_a, unit=district, grouping="莱芜竞赛口径", group="市直部门")


def test_groupings_page_lists_groups_counts_and_members(city, client, assessor):
    client.force_login(assessor)
    page = client.get(GROUPINGS)
    assert page.status_code == 200
    views = {g.name: g for g in page.context["groupings"]}
    default = views["默认口径（单位表的考核组别）"]
    assert dict(default.groups) == {"市内五区及郑东新区": 1, "市直部门": 1}
    laiwu = views["莱芜竞赛口径"]
    assert laiwu.groups == [("区及功能区", 1)] and laiwu.fallback == 1
    assert [(m["code"], m["group"]) for m in laiwu.members] == [("JS01", "区及功能区")]
    text = page.content.decode()
    assert "莱芜竞赛口径" in text and "金水区" in text and "按单位表的考核组别" in text


def test_groupings_page_is_for_users_who_see_all_units(city, client, staff_a, assessor):
    client.force_login(staff_a)
    assert client.get(GROUPINGS).status_code == 403
    assert "groupings-link" not in client.get(reverse("orgs:unit_list")).content.decode()
    client.force_login(assessor)
    assert "groupings-link" in client.get(reverse("orgs:unit_list")).content.decode()


def test_unit_page_shows_its_group_under_each_grouping(city, client, assessor):
    district, _ = city
    client.force_login(assessor)
    text = client.get(reverse("orgs:unit_detail", args=[district.pk])).content.decode()
    assert "考核组别（莱芜竞赛口径）" in text and "区及功能区" in text and "市内五区及郑东新区" in text
