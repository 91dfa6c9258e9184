"""The 分组 sheet: a unit's group under each named grouping (分组口径). Importing creates what it names,
replaces a unit's group in a grouping, refuses unknown units by sheet, row and column, writes nothing
when anything is wrong, and is for assessors; the export gives a unit user their own units' rows."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command

from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.exchange.template import write_template
from zhaoshang.orgs.models import Grouping, GroupMembership, UnitGroup
from zhaoshang.orgs.services import membership_set

from .helpers import UNITS, fill, read_rows

pytestmark = pytest.mark.django_db


def memberships() -> set[tuple[str, str, str]]:
    return set(GroupMembership.objects.values_list("unit__code", "grouping__name", "group__name"))


def row(unit: str, grouping: str, group: str) -> dict:
    return {"单位编码": unit, "分组口径": grouping, "组别": group}


def test_template_has_the_sheet_with_its_columns(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    assert [c.value for c in wb["分组"][1]] == ["单位编码*", "分组口径*", "组别*"]
    notes = [r[0].value for r in wb["填表说明"].iter_rows() if r[0].value == "分组"]
    assert notes  # described in 填表说明 like every sheet


def test_import_creates_groupings_groups_and_memberships(tmp_path, assessor, unit_a, unit_b):
    path = fill(
        tmp_path / "分组.xlsx",
        {
            "分组": [
                row("A01", "莱芜竞赛口径", "区及功能区"),
                row("B01", "莱芜竞赛口径", "区及功能区"),
                row("A01", "淮阴考核口径", "平台"),
            ]
        },
    )
    result = import_workbook(path, user=assessor)
    assert result.ok, result.errors
    assert result.counts["分组"]["created"] == 3
    assert memberships() == {
        ("A01", "莱芜竞赛口径", "区及功能区"),
        ("B01", "莱芜竞赛口径", "区及功能区"),
        ("A01", "淮阴考核口径", "平台"),
    }
    assert set(Grouping.objects.values_list("name", flat=True)) == {"莱芜竞赛口径", "淮阴考核口径"}
    assert UnitGroup.objects.filter(name="区及功能区").count() == 1
    membership = GroupMembership.objects.get(unit=unit_a, grouping__name="莱芜竞赛口径")
    assert membership.history.get().history_user == assessor
    # the same file again changes nothing
    again = import_workbook(path, user=assessor)
    assert again.ok and again.total("created") == again.total("updated") == 0


def test_a_row_replaces_the_units_group_in_that_grouping_only(tmp_path, assessor, unit_a):
    membership_set(user=assessor, unit=unit_a, grouping="莱芜竞赛口径", group="区及功能区")
    membership_set(user=assessor, unit=unit_a, grouping="淮阴考核口径", group="平台")
    path = fill(tmp_path / "改.xlsx", {"分组": [row("A01", "莱芜竞赛口径", "市直部门")]})
    result = import_workbook(path, user=assessor)
    assert result.ok and result.counts["分组"]["updated"] == 1
    assert memberships() == {("A01", "莱芜竞赛口径", "市直部门"), ("A01", "淮阴考核口径", "平台")}


def test_a_unit_new_in_the_same_file_can_be_grouped(tmp_path, assessor):
    path = fill(tmp_path / "新.xlsx", {"单位": UNITS, "分组": [row("A01-01", "淮阴考核口径", "镇街")]})
    result = import_workbook(path, user=assessor)
    assert result.ok, result.errors
    assert memberships() == {("A01-01", "淮阴考核口径", "镇街")}


def test_errors_name_sheet_row_and_column_and_nothing_is_written(tmp_path, assessor, unit_a):
    path = fill(
        tmp_path / "错.xlsx",
        {
            "分组": [
                row("A01", "莱芜竞赛口径", "区及功能区"),
                row("X99", "莱芜竞赛口径", "区及功能区"),
                row("A01", "莱芜竞赛口径", "市直部门"),
                {"单位编码": "A01", "分组口径": "淮阴考核口径"},
            ]
        },
    )
    result = import_workbook(path, user=assessor)
    assert not result.ok
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert "单位编码“X99”不存在" in found[("分组", 3, "单位编码")]
    assert "与第2行重复" in found[("分组", 4, "单位编码")]
    assert ("分组", 5, "组别") in found
    assert not GroupMembership.objects.exists() and not Grouping.objects.exists()


def test_only_assessors_import_groupings(tmp_path, staff_a):
    path = fill(tmp_path / "单位.xlsx", {"分组": [row("A01", "莱芜竞赛口径", "区及功能区")]})
    result = import_workbook(path, user=staff_a)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("分组", 2, "单位编码", "只有系统管理员和考核办可以维护分组口径")
    ]
    assert not GroupMembership.objects.exists()


def test_export_is_scoped_like_the_units_sheet(tmp_path, assessor, staff_a, unit_a, unit_b):
    membership_set(user=assessor, unit=unit_a, grouping="莱芜竞赛口径", group="区及功能区")
    membership_set(user=assessor, unit=unit_b, grouping="莱芜竞赛口径", group="市直部门")
    everything = tmp_path / "全部.xlsx"
    export_workbook(everything, user=assessor)
    assert read_rows(everything, "分组") == [
        row("A01", "莱芜竞赛口径", "区及功能区"),
        row("B01", "莱芜竞赛口径", "市直部门"),
    ]
    own = tmp_path / "甲.xlsx"
    call_command("export", str(own), "--user", "staff_a")
    assert read_rows(own, "分组") == [row("A01", "莱芜竞赛口径", "区及功能区")]
    assert {r["单位编码"] for r in read_rows(own, "单位")} == {"A01"}


def test_export_imports_again_into_an_empty_city(tmp_path, assessor, unit_a):
    membership_set(user=assessor, unit=unit_a, grouping="莱芜竞赛口径", group="区及功能区")
    out = tmp_path / "导出.xlsx"
    export_workbook(out)
    GroupMembership.objects.all().delete()
    Grouping.objects.all().delete()
    result = import_workbook(out, user=assessor)
    assert result.ok, result.errors
    assert memberships() == {("A01", "莱芜竞赛口径", "区及功能区")}
