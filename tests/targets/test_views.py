"""Targets pages: an assessor previews a decomposition then saves it; unit staff see only their unit's
targets and may not decompose; a bad factors workbook is refused with its row and column named."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
