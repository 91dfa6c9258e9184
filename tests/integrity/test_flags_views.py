"""The flag pages and API: a unit user reads the flags touching its unit (and nothing else: 404), cannot
scan or resolve; the assessor scans, sees the projects side by side and resolves; the registry page
imports an extract and shows the bad rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.conftest import _api
from tests.factories import ProjectFactory, UnitFactory
from zhaoshang.core.uscc import check_character
from zhaoshang.integrity.models import Flag, FlagKind, FlagProject, RegistryEntry, Resolution
from zhaoshang.integrity.services.flags import flags_scan

USCC = "91410100MA44C1234" + check_character("91410100MA44C1234")
LIST = reverse("integrity:flag_list")


@pytest.fixture
def flagged(unit_a, unit_b):
    """Unit A and a third unit C file the same investment; unit B has nothing to do with it."""
    unit_c = UnitFactory(code="C01", name="丙区")
    pa = ProjectFactory(lead_unit=unit_a, code="XM-A-9", name="甲区客车项目", investor="郑州宇通客车有限公司",
                        investor_uscc=USCC, signed_amount=Decimal("60000"), signed_on=dt.date(2023, 3, 1))
    pc = ProjectFactory(lead_unit=unit_c, code="XM-C-9", name="丙区客车项目", investor="河南宇通客车股份有限公司",
                        investor_uscc=USCC, signed_amount=Decimal("60000"), signed_on=dt.date(2023, 4, 1))
    flags_scan(year=2023)
    return Flag.objects.get(kind=FlagKind.SAME_INVESTOR), pa, pc


def test_unit_users_see_only_flags_touching_their_units_and_cannot_resolve(client, flagged, staff_a, staff_b):
    flag, pa, pc = flagged
    detail = reverse("integrity:flag_detail", args=[flag.pk])
    client.force_login(staff_a)
    page = client.get(LIST).content.decode()
    # The flag is about the unit's own project and "another unit's": it names neither C nor C's project.
    assert "甲区客车项目" in page and "丙区客车项目" not in page and "其他单位的项目" in page and "丙区" not in page
    page = client.get(detail).content.decode()
    assert "郑州宇通客车有限公司" in page and USCC in page
    assert "河南宇通客车股份有限公司" not in page and "丙区" not in page and "XM-C-9" not in page
    assert reverse("ledger:project_detail", args=[pa.pk]) in page
    assert reverse("ledger:project_detail", args=[pc.pk]) not in page
    assert 'id="flag-resolve-form"' not in page and 'id="flag-scan-form"' not in client.get(LIST).content.decode()
    response = client.post(reverse("integrity:flag_resolve", args=[flag.pk]),
                           {"resolution": "excluded", "reason": "不是重复"})
    assert response.status_code == 403
    assert client.post(reverse("integrity:flag_scan"), {"year": "2023"}).status_code == 403

    client.force_login(staff_b)
    assert "甲区客车项目" not in client.get(LIST).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(reverse("integrity:flag_resolve", args=[flag.pk]), {"resolution": "excluded"}).status_code == 404
    flag.refresh_from_db()
    assert flag.is_open


def test_assessor_scans_filters_and_confirms_for_one_unit(client, flagged, assessor, unit_a):
    flag, pa, _ = flagged
    client.force_login(assessor)
    response = client.post(reverse("integrity:flag_scan"), {"year": "2023"}, follow=True)
    page = response.content.decode()
    assert "2023年扫描2个签约项目" in page and "未导入工商登记数据，未执行比对" in page
    assert "同一投资方重复计入" in client.get(LIST, {"kind": "same_investor", "status": "open"}).content.decode()
    assert "甲区客车项目" not in client.get(LIST, {"kind": "packaged_year_end"}).content.decode()

    resolve = reverse("integrity:flag_resolve", args=[flag.pk])
    bad = client.post(resolve, {"resolution": "confirmed"})
    assert bad.status_code == 400 and "请选择保留计入的单位" in bad.content.decode()
    client.post(resolve, {"resolution": "confirmed", "kept": str(pa.pk), "reason": "甲区首先引进"})
    flag.refresh_from_db()
    assert flag.resolution == Resolution.CONFIRMED and flag.kept_unit == unit_a
    page = client.get(reverse("integrity:flag_detail", args=[flag.pk])).content.decode()
    assert "确认重复" in page and "由甲区计入" in page and "甲区首先引进" in page


def test_api_lists_reads_and_resolves_within_scope(flagged, staff_a, staff_b, assessor):
    flag, pa, _ = flagged
    api_a, api_b, api_assessor = _api(staff_a), _api(staff_b), _api(assessor)
    data = api_a.get("/api/integrity/flags").json()
    assert data["count"] == 1 and data["items"][0]["kind"] == "same_investor"
    assert {p["code"] for p in data["items"][0]["projects"]} == {"XM-A-9"}  # C's project is not named
    assert "丙区" not in api_a.get(f"/api/integrity/flags/{flag.pk}").content.decode()
    assert data["items"][0]["may_resolve"] is False
    assert api_b.get("/api/integrity/flags").json()["count"] == 0
    assert api_b.get(f"/api/integrity/flags/{flag.pk}").status_code == 404
    assert api_a.post(f"/api/integrity/flags/{flag.pk}/resolve",
                      {"resolution": "excluded", "reason": "x"}).status_code == 403
    assert api_a.post("/api/integrity/flags/scan", {"year": 2023}).status_code == 403

    missing = api_assessor.post(f"/api/integrity/flags/{flag.pk}/resolve", {"resolution": "rejected"})
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    done = api_assessor.post(f"/api/integrity/flags/{flag.pk}/resolve",
                             {"resolution": "confirmed", "kept_project_code": "XM-A-9", "reason": "甲区首先引进"})
    assert done.status_code == 200, done.content
    assert done.json()["kept_unit"]["code"] == "A01" and done.json()["status"] == "resolved"
    scan = api_assessor.post("/api/integrity/flags/scan", {"year": 2023}).json()
    assert scan["unchanged"] == 1 and scan["new"] == 0


def test_registry_page_imports_and_reports_bad_rows(client, assessor, staff_a):
    url = reverse("integrity:registry")
    client.force_login(staff_a)
    assert client.get(url).status_code == 403
    client.force_login(assessor)
    assert "未导入工商登记数据，未执行比对" in client.get(url).content.decode()
    header = "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
    bad = SimpleUploadedFile("bad.csv", (header + "甲公司,123,2020-01-01,郑州,100,存续\n").encode())
    page = client.post(url, {"file": bad}).content.decode()
    assert "第2行“统一社会信用代码”" in page and not RegistryEntry.objects.exists()
    good = SimpleUploadedFile("good.csv", (header + f"甲公司,{USCC},2020-01-01,郑州,100,存续\n").encode())
    page = client.post(url, {"file": good}, follow=True).content.decode()
    assert "已导入工商登记数据1行" in page and "good.csv" in page
    assert RegistryEntry.objects.get().name == "甲公司"


def _flags(unit_a, unit_c, year: int, n: int, status: str = "open", label: str = "") -> list[Flag]:
    """`n` same-investor flags of `year` between a project of A and one of C, made directly."""
    out = []
    for i in range(n):
        a, c = f"甲区{label}{year}项目{i}", f"丙区{label}{year}项目{i}"
        pa = ProjectFactory(lead_unit=unit_a, code=f"XM-A-{label}{year}-{i}", name=a)
        pc = ProjectFactory(lead_unit=unit_c, code=f"XM-C-{label}{year}-{i}", name=c)
        flag = Flag.objects.create(kind=FlagKind.SAME_INVESTOR, fingerprint=f"t-{label}{year}-{i}", year=year,
                                   reason=f"“{a}”与“{c}”疑似同一投资方", status=status)
        FlagProject.objects.create(flag=flag, project=pa, unit=unit_a, position=0)
        FlagProject.objects.create(flag=flag, project=pc, unit=unit_c, position=1)
        out.append(flag)
    return out


def test_a_long_list_pages_open_and_newest_first_in_the_same_number_of_queries(client, unit_a, assessor, staff_a,
                                                                                settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.integrity.views import flags as views

    settings.DEBUG = False
    unit_c = UnitFactory(code="C01", name="丙区")
    _flags(unit_a, unit_c, 2023, 2)
    _flags(unit_a, unit_c, 2024, 2, status="resolved", label="已处理")

    def list_page(user, **query):
        client.force_login(user)
        client.get(LIST, query)  # warm: the session, the first request's caches
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(LIST, query).content.decode()
        return page, len(ctx.captured_queries)

    _, few_assessor = list_page(assessor)
    _, few_unit = list_page(staff_a)
    _flags(unit_a, unit_c, 2024, 5)  # the newest open flags
    page, many_assessor = list_page(assessor)
    _, many_unit = list_page(staff_a)
    assert (many_assessor, many_unit) == (few_assessor, few_unit)  # a flag's rows are not read one by one

    # Open flags first, the newest year first; resolved ones after them.
    order = [page.index(name) for name in ("甲区2024项目4", "甲区2024项目0", "甲区2023项目0", "甲区已处理2024项目1")]
    assert order == sorted(order) and all(f"丙区2024项目{i}" in page for i in range(5))

    views.PAGE = 3  # a page shorter than the list says how many there are
    try:
        page, _ = list_page(assessor, status="open")
        assert "共7项，显示前3项" in page
        assert "甲区2024项目4" in page and "甲区2023项目0" not in page
        page, _ = list_page(staff_a, status="open")  # a unit's user: its own projects, not C's
        assert "共7项，显示前3项" in page and "丙区2024项目4" not in page and "其他单位的项目" in page
    finally:
        views.PAGE = 200
