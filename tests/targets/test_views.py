"""Targets pages: an assessor previews a decomposition then saves it; unit staff see only their unit's
targets and may not decompose; a bad factors workbook is refused with its row and column named."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import UnitFactory, UserFactory
from zhaoshang.targets.models import Target

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["单位编码", "领导职数", "职能系数", "上年完成额"])
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("factors.xlsx", buf.getvalue(), content_type=XLSX)


@pytest.fixture
def units():
    return [UnitFactory(code=c, name=f"单位{c}") for c in ("A", "B", "C")]


def form(**extra):
    return {
        "year": "2024",
        "indicator": "签约金额",
        "total": "100",
        "weight_0": "0.3",
        "weight_1": "0.3",
        "weight_2": "0.4",
        **extra,
    }


def test_assessor_previews_then_saves(client, assessor, units):
    client.force_login(assessor)
    url = reverse("targets:decompose")
    assert client.get(url).status_code == 200
    resp = client.post(
        url, form(action="preview", factors_file=workbook(["A", 1, 1, 100], ["B", 1, 1, 100], ["C", 1, 1, 100]))
    )
    page = resp.content.decode()
    assert resp.status_code == 200 and 'id="preview-table"' in page
    assert "33.34" in page and "33.33" in page and 'id="preview-sum">100.00万元<' in page
    assert not Target.objects.exists()  # a preview saves nothing

    # The Save button posts the previewed factors back: no file needed, the same split is written.
    save = {
        "action": "save",
        "rows_json": page.split('name="rows_json" value="')[1].split('"')[0].replace("&quot;", '"'),
    }
    resp = client.post(url, form(**save))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("targets:target_list"))
    values = dict(Target.objects.filter(year=2024, indicator="签约金额").values_list("unit__code", "value"))
    assert values == {"A": Decimal("33.34"), "B": Decimal("33.33"), "C": Decimal("33.33")}
    assert sum(values.values()) == 100
    record = Target.history.filter(unit__code="A").first()
    assert record.history_user == assessor

    listing = client.get(resp["Location"]).content.decode()
    assert "单位A" in listing and "33.34" in listing


def test_factors_typed_into_the_table(client, assessor, units):
    client.force_login(assessor)
    a, b, _ = units
    # A: leaders 2/4, coefficient 1/2, last year 300/400 → 0.3×0.5 + 0.3×0.5 + 0.4×0.75 = 0.6 of 1000.
    data = form(total="1000", action="preview", **{f"f0_{a.id}": "2", f"f1_{a.id}": "1", f"f2_{a.id}": "300"})
    data |= {f"f0_{b.id}": "2", f"f1_{b.id}": "1", f"f2_{b.id}": "100"}
    page = client.post(reverse("targets:decompose"), data).content.decode()
    assert "600.00" in page and "400.00" in page and "单位C" in page  # C is listed in the table, not split
    assert page.count("<tr><td>C</td>") == 1

    data[f"f1_{b.id}"] = "abc"
    page = client.post(reverse("targets:decompose"), data).content.decode()
    assert "单位B（B）的“职能系数”" in page and "不是有效的数字" in page and 'id="preview-table"' not in page


def test_bad_file_names_row_and_column(client, assessor, units):
    client.force_login(assessor)
    url = reverse("targets:decompose")
    page = client.post(
        url, form(action="preview", factors_file=workbook(["A", 1, 1, 100], ["B", 1, "x", 100]))
    ).content.decode()
    assert "因素表第3行第C列（职能系数）" in page and "“x”不是有效的数字" in page
    assert 'id="preview-table"' not in page

    page = client.post(url, form(action="preview", factors_file=workbook(["A", 1, 1, -5]))).content.decode()
    assert "因素表第2行第D列（上年完成额）：因素不能为负数" in page

    page = client.post(url, form(action="preview", factors_file=workbook(["Z", 1, 1, 5]))).content.decode()
    assert "单位编码不存在：Z" in page

    junk = SimpleUploadedFile("factors.xlsx", b"not a workbook", content_type=XLSX)
    page = client.post(url, form(action="preview", factors_file=junk)).content.decode()
    assert "无法读取因素表" in page
    assert not Target.objects.exists()


def test_weights_must_sum_to_one(client, assessor, units):
    client.force_login(assessor)
    page = client.post(
        reverse("targets:decompose"), form(action="preview", weight_2="0.5", factors_file=workbook(["A", 1, 1, 1]))
    ).content.decode()
    assert "合计为1" in page and 'id="preview-table"' not in page


def test_unit_staff_forbidden_and_sees_only_own_targets(client, units):
    a, b, _ = units
    Target.objects.create(unit=a, year=2024, indicator="签约金额", value=Decimal("10"))
    Target.objects.create(unit=b, year=2024, indicator="签约金额", value=Decimal("20"))
    staff = UserFactory(username="a_staff", role="unit_staff", unit=a)
    client.force_login(staff)
    url = reverse("targets:decompose")
    assert client.get(url).status_code == 403
    resp = client.post(url, form(action="save", rows_json='[["A", ["1", "1", "1"]]]'))
    assert resp.status_code == 403
    assert Target.objects.get(unit=a).value == Decimal("10")
    listing = client.get(reverse("targets:target_list")).content.decode()
    assert "单位A" in listing and "单位B" not in listing and 'id="decompose-link"' not in listing


def test_leader_reads_all_targets_but_cannot_decompose(client, leader, units):
    a, b, _ = units
    Target.objects.create(unit=a, year=2024, indicator="签约金额", value=Decimal("10"))
    Target.objects.create(unit=b, year=2023, indicator="到位资金", value=Decimal("20"))
    client.force_login(leader)
    listing = client.get(reverse("targets:target_list"), {"year": "2023"}).content.decode()
    assert "单位B" in listing and "单位A" not in listing
    assert client.get(reverse("targets:decompose")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    resp = client.get(reverse("targets:target_list"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def _pager_link(html: str, rel: str) -> str:
    """The href of the page link `rel` (prev/next) under the table, as a browser would follow it."""
    nav = html.split('id="target-pagination"')[1].split("</ul>")[0]
    return nav.split(f'rel="{rel}"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")


def _targets(unit, *indicators, year=2024):
    for n, indicator in enumerate(indicators, start=1):
        Target.objects.create(unit=unit, year=year, indicator=indicator, value=Decimal(n))


def _shown_units(html: str) -> list[str]:
    """The unit name of each row of the targets table, in order."""
    rows = html.split('id="target-table"')[1].split("</tbody>")[0].split("<tr>")[2:]
    return [row.split("<td>")[3].split("</td>")[0] for row in rows]


def test_targets_come_a_page_of_units_at_a_time(client, assessor, units, monkeypatch):
    """A province's 3,000 units are paged by unit: a unit's targets stay together, the links keep the filter."""
    from zhaoshang.targets import views

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    for unit in units:
        _targets(unit, "签约金额", "到位资金", "新开工")
    _targets(units[0], "签约金额", year=2023)  # another year, filtered out
    client.force_login(assessor)
    first = client.get(reverse("targets:target_list"), {"year": "2024", "indicator": "签约金额"}).content.decode()
    assert _shown_units(first) == ["单位A", "单位B"] and "第 1 / 2 页，共 3 个单位" in first
    following = _pager_link(first, "next")
    assert "year=2024" in following and "indicator=%E7%AD%BE%E7%BA%A6%E9%87%91%E9%A2%9D" in following
    second = client.get(reverse("targets:target_list") + following).content.decode()
    assert _shown_units(second) == ["单位C"] and "indicator=" in _pager_link(second, "prev")
    # All indicators: a page holds every target of its units, never half a unit.
    every = client.get(reverse("targets:target_list"), {"year": "2024"}).content.decode()
    assert _shown_units(every) == ["单位A"] * 3 + ["单位B"] * 3
    assert _shown_units(client.get(reverse("targets:target_list"), {"year": "2024", "page": 2}).content.decode()) == [
        "单位C"] * 3


def test_target_pages_keep_a_unit_users_scope(client, units, monkeypatch):
    from zhaoshang.targets import views

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 1)
    a, b, _ = units
    town = UnitFactory(code="A-1", name="单位A的街道", kind="township", parent=a)
    for unit in (a, town, b):
        _targets(unit, "签约金额")
    client.force_login(UserFactory(username="a_staff", role="unit_staff", unit=a))
    pages = [client.get(reverse("targets:target_list"), {"page": n}).content.decode() for n in (1, 2, 3)]
    assert _shown_units(pages[0]) == ["单位A"] and _shown_units(pages[1]) == ["单位A的街道"]
    assert "共 2 个单位" in pages[0] and "单位B" not in "".join(pages)


def test_target_page_queries_do_not_grow_with_its_units(client, assessor):
    client.force_login(assessor)
    counts = []
    for before, total in ((0, 5), (5, 50)):
        for i in range(before, total):
            _targets(UnitFactory(code=f"T{i:03d}"), "签约金额", "到位资金")
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("targets:target_list")).content.decode()
        assert len(_shown_units(html)) == 2 * total
        counts.append(len(queries))
    assert counts[0] == counts[1]
