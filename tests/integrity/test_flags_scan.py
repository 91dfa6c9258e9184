"""Double counting and packaged projects (issue 9 §3, acceptance 2): the scan raises flags with a reason in
plain Chinese; a same-investor flag keeps both projects out of every scheme until an assessor resolves it;
确认重复 gives the project to the chosen unit, 排除 restores both, 不予认定 counts none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.assessment.helpers import day, fund, project, shares, target, unit
from tests.factories import UserFactory
from zhaoshang.assessment.engine.run import run_scheme
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.integrity.models import Flag, FlagKind, FlagStatus, Resolution
from zhaoshang.integrity.selectors.flags import (
    flag_conflicts,
    flag_exclusions,
    open_flag_counts,
    uncounted_project_ids,
)
from zhaoshang.integrity.services.flags import NO_DIVISIONS, NO_REGISTRY, flag_resolve, flags_scan
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.models import ProjectShare
from zhaoshang.orgs.choices import UserRole

D = Decimal
def valid_uscc(body17: str) -> str:
    from zhaoshang.core.uscc import check_character

    return body17 + check_character(body17)


ZZ_USCC = valid_uscc("91410100MA44C1234")  # issued in 郑州市 (4101)
SH_USCC = valid_uscc("91310115MA1K41234")  # issued in 上海市浦东新区 (310115)


@pytest.fixture
def city(db):
    """Two districts of the 郑州 preset's first group, each with a 签约 target of 100,000万元."""
    a = unit("A", "重点地区", name="甲区")
    b = unit("B", "重点地区", name="乙县")
    for u in (a, b):
        target(u, 2023, "签约金额", 100000)
    assessor = UserFactory(username="assessor", role=UserRole.ASSESSOR)
    return a, b, assessor


def signed_values(year: str = "2023") -> dict[str, Decimal]:
    rr = run_scheme(load_preset("zhengzhou-2019"), year)
    return {s.code: s.values["signed"] for s in rr.inputs}, rr.conflicts


def same_investor_flag() -> Flag:
    return Flag.objects.get(kind=FlagKind.SAME_INVESTOR)


# ---- acceptance 2: same USCC ---------------------------------------------------------------------------------


def test_same_uscc_in_two_units_counts_for_neither_until_confirmed_for_the_chosen_unit(city):
    a, b, assessor = city
    pa = project(a, "2023-03-01", 60000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC, name="甲区客车项目")
    pb = project(b, "2023-05-10", 55000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC, name="乙县客车项目")
    values, conflicts = signed_values()
    assert values == {"A": D("60000"), "B": D("55000")}  # before the scan nobody knows

    report = flags_scan(year=2023)
    assert report.found[FlagKind.SAME_INVESTOR] == 1
    flag = same_investor_flag()
    assert "统一社会信用代码相同" in flag.reason and "甲区客车项目" in flag.reason and "乙县客车项目" in flag.reason
    assert "甲区" in flag.reason and "乙县" in flag.reason and "6.00亿元" in flag.reason
    assert [r.project for r in flag.rows.all()] == [pa, pb]
    assert [r.unit for r in flag.rows.all()] == [a, b]
    raised = flag.history.get()
    assert (raised.history_type, raised.history_change_reason, raised.reason) == ("+", "扫描发现", flag.reason)
    assert flag.evidence["facts"] and raised.evidence == flag.evidence

    values, conflicts = signed_values()
    assert values == {"A": D("0"), "B": D("0")}  # counted for neither until resolved
    messages = [c["message"] for c in conflicts]
    expected = "项目“甲区客车项目”与“乙县客车项目”疑似同一投资方重复计入（统一社会信用代码相同），在核实前均不计入"
    assert expected in messages
    assert uncounted_project_ids() == {pa.pk, pb.pk}
    assert open_flag_counts([pa.pk, pb.pk, 999]) == {pa.pk: 1, pb.pk: 1}

    flag_resolve(user=assessor, flag=flag, resolution=Resolution.CONFIRMED, kept_project=pb,
                 reason="乙县为实际引进单位")
    values, conflicts = signed_values()
    assert values == {"A": D("0"), "B": D("55000")}  # counted for the chosen unit only
    assert any("由乙县计入" in c["message"] for c in conflicts)
    assert flag_exclusions()[1] == uncounted_project_ids() == {pa.pk}
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED and flag.kept_unit == b and flag.resolved_by == assessor
    assert [h.resolution for h in flag.history.order_by("history_id")] == ["", Resolution.CONFIRMED]

    # A rescan neither duplicates the flag nor reopens it.
    flags_scan(year=2023)
    assert Flag.objects.filter(kind=FlagKind.SAME_INVESTOR).count() == 1
    assert same_investor_flag().status == FlagStatus.RESOLVED


def test_fuzzy_name_in_two_units_is_flagged_and_excluded_restores_counting(city):
    a, b, assessor = city
    project(a, "2023-03-01", 60000, investor="河南宇通客车股份有限公司", investor_uscc="", name="甲区客车项目")
    project(b, "2023-09-01", 52000, investor="宇通客车有限公司", investor_uscc=SH_USCC, name="乙县客车项目")
    project(b, "2023-04-01", 60000, investor="宇通重工有限公司", investor_uscc="", name="乙县重工项目")  # other name
    flags_scan(year=2023)
    flag = same_investor_flag()
    assert "名称相近" in flag.reason and "河南宇通客车股份有限公司" in flag.reason and "宇通客车有限公司" in flag.reason
    values, _ = signed_values()
    assert values == {"A": D("0"), "B": D("60000")}  # 重工 still counts for B

    flag_resolve(user=assessor, flag=flag, resolution=Resolution.EXCLUDED, reason="两家为不同企业，分别投资")
    values, _ = signed_values()
    assert values == {"A": D("60000"), "B": D("112000")}


def test_no_flag_for_a_repeat_investor_with_a_different_investment(city):
    a, b, _ = city
    project(a, "2023-03-01", 60000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC)
    project(b, "2023-05-01", 20000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC)  # amount differs
    project(b, "2021-01-05", 60000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC)  # two years before
    project(a, "2023-06-01", 60000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC)  # same unit
    flags_scan(year=2023)
    assert not Flag.objects.filter(kind=FlagKind.SAME_INVESTOR).exists()


def test_split_by_agreed_shares_and_not_recognised(city):
    a, b, assessor = city
    pa = project(a, "2023-03-01", 60000, investor_uscc=ZZ_USCC, name="甲区项目")
    project(b, "2023-03-02", 60000, investor_uscc=ZZ_USCC, name="乙县项目")
    c = unit("C", "重点地区", name="丙区")
    project(c, "2023-04-01", 80000, investor_uscc=SH_USCC, investor="某某光伏有限公司", name="丙区项目")
    pd = project(a, "2023-04-02", 80000, investor_uscc=SH_USCC, investor="某某光伏有限公司", name="甲区光伏项目")
    flags_scan(year=2023)
    first, second = Flag.objects.filter(kind=FlagKind.SAME_INVESTOR).order_by("id")
    flag_resolve(user=assessor, flag=first, resolution=Resolution.CONFIRMED, kept_project=pa,
                 shares=[(a, D("0.6")), (b, D("0.4"))], reason="两区共同引进，按六四分成")
    assert sorted(ProjectShare.objects.filter(project=pa).values_list("unit__code", "ratio")) == [
        ("A", D("0.6")), ("B", D("0.4"))]
    with pytest.raises(ApplicationError, match="须填写理由"):
        flag_resolve(user=assessor, flag=second, resolution=Resolution.REJECTED)
    flag_resolve(user=assessor, flag=second, resolution=Resolution.REJECTED, reason="项目为借用，不予认定")
    values, conflicts = signed_values()
    assert values == {"A": D("36000"), "B": D("24000"), "C": D("0")}
    assert pd.pk in uncounted_project_ids()
    assert any("不予认定" in c["message"] for c in conflicts)
    # A run reads the conflicts and the uncounted projects at once: the same projects as each read alone.
    assert flag_exclusions() == (flag_conflicts(), uncounted_project_ids())


def test_only_assessors_resolve_and_district_assessors_only_within_their_district(city):
    a, b, assessor = city
    project(a, "2023-03-01", 60000, investor_uscc=ZZ_USCC)
    project(b, "2023-03-02", 60000, investor_uscc=ZZ_USCC)
    flags_scan(year=2023)
    flag = same_investor_flag()
    staff = UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=a)
    district = UserFactory(username="district_a", role=UserRole.DISTRICT_ASSESSOR, unit=a)
    for user in (staff, district):
        with pytest.raises(PermissionDeniedError):
            flag_resolve(user=user, flag=flag, resolution=Resolution.EXCLUDED, reason="不是重复")
    with pytest.raises(ApplicationError, match="保留计入"):
        flag_resolve(user=assessor, flag=flag, resolution=Resolution.CONFIRMED)


def test_district_assessor_resolves_a_flag_inside_its_district(city):
    a, _, _ = city
    town = unit("A-1", None, kind="township", name="甲区某镇")
    town.parent = a
    town.save()
    project(a, "2023-03-01", 60000, investor_uscc=ZZ_USCC)
    project(town, "2023-03-02", 60000, investor_uscc=ZZ_USCC)
    flags_scan(year=2023)
    district = UserFactory(username="district_a", role=UserRole.DISTRICT_ASSESSOR, unit=a)
    flag_resolve(user=district, flag=same_investor_flag(), resolution=Resolution.EXCLUDED, reason="镇与区各自一期")
    assert same_investor_flag().resolution == Resolution.EXCLUDED


# ---- automatic re-check ------------------------------------------------------------------------------------


def test_saving_a_project_rechecks_it_and_a_correction_closes_the_flag(city):
    a, b, _ = city
    staff_a = UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=a)
    staff_b = UserFactory(username="staff_b", role=UserRole.UNIT_STAFF, unit=b)
    common = {"category": "C", "status": "advancing", "investor": "郑州宇通客车有限公司"}
    ledger.project_create(user=staff_a, code="XM-A", name="甲区客车项目", investor_uscc=ZZ_USCC, lead_unit=a,
                          signed_amount=D("60000"), signed_on=day("2023-03-01"), **common)
    pb = ledger.project_create(user=staff_b, code="XM-B", name="乙县客车项目", investor_uscc=ZZ_USCC, lead_unit=b,
                               signed_amount=D("58000"), signed_on=day("2023-03-20"), **common)
    flag = same_investor_flag()
    assert flag.status == FlagStatus.OPEN  # raised by the save, without a scan
    ledger.project_update(user=staff_b, project=pb, expected_version=pb.version, investor_uscc=SH_USCC,
                          investor="上海某某客车有限公司")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED and flag.resolution == Resolution.CLEARED


# ---- packaged, refiled, elsewhere, registry ------------------------------------------------------------------


def test_packaged_at_year_end_and_refiled_existing(city):
    a, _, _ = city
    packaged = project(a, "2023-12-20", 30000, name="年末签约项目")
    funded = project(a, "2023-12-21", 30000, name="年末签约已到位项目")
    fund(funded, "2024-02-01", 1000)
    project(a, "2023-12-22", 30000, name="年末签约已注册项目", registered_on="2024-03-01")
    project(a, "2023-11-20", 30000, name="十一月签约项目")
    refiled = project(a, "2023-06-01", 30000, name="老企业项目", registered_on="2019-05-01")
    report = flags_scan(year=2023)
    packed = Flag.objects.get(kind=FlagKind.PACKAGED_YEAR_END)
    assert [r.project for r in packed.rows.all()] == [packaged]
    assert "年末突击签约" in packed.reason and "2023-12-20" in packed.reason and "2024-03-30" in packed.reason
    old = Flag.objects.get(kind=FlagKind.REFILED_EXISTING)
    assert [r.project for r in old.rows.all()] == [refiled]
    assert "2019-05-01" in old.reason and "老企业" in old.reason
    # Packaged and refiled flags are risks for the reviewers: the projects still count until resolved.
    assert packaged.pk not in uncounted_project_ids()
    assert NO_REGISTRY in report.not_run


def test_registered_elsewhere_only_with_city_divisions(city, settings):
    a, _, _ = city
    elsewhere = project(a, "2023-03-01", 30000, investor_uscc=SH_USCC, registered_on="2023-04-01", name="异地项目")
    project(a, "2023-03-02", 20000, investor_uscc=ZZ_USCC, registered_on="2023-04-01", name="本地项目")
    settings.CITY_DIVISION_CODES = []
    report = flags_scan(year=2023)
    assert NO_DIVISIONS in report.not_run
    assert not Flag.objects.filter(kind=FlagKind.REGISTERED_ELSEWHERE).exists()
    settings.CITY_DIVISION_CODES = ["4101"]
    report = flags_scan(year=2023)
    flag = Flag.objects.get(kind=FlagKind.REGISTERED_ELSEWHERE)
    assert [r.project for r in flag.rows.all()] == [elsewhere]
    assert "310115" in flag.reason and "4101" in flag.reason
    assert NO_DIVISIONS not in report.not_run


def test_registry_check_says_it_did_not_run_without_an_extract_then_compares(city, tmp_path, capsys):
    a, _, _ = city
    project(a, "2023-03-01", 30000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC, name="登记一致项目")
    project(a, "2023-03-02", 20000, investor="上海某某科技有限公司", investor_uscc=SH_USCC, name="名称不符项目")
    unknown = valid_uscc("91440300MA5F12345")
    project(a, "2023-03-03", 25000, investor="深圳某某有限公司", investor_uscc=unknown, name="查无项目")
    late = valid_uscc("91410105MA9G12345")
    project(a, "2023-03-04", 26000, investor="郑州新成立有限公司", investor_uscc=late, name="先签后设项目")
    gone = valid_uscc("91410105MA9H12345")
    project(a, "2023-03-05", 27000, investor="郑州已注销有限公司", investor_uscc=gone, name="注销企业项目")
    call_command("integrity", "scan", "--year", "2023")
    assert NO_REGISTRY in capsys.readouterr().out
    assert not Flag.objects.filter(kind__startswith="registry").exists()

    extract = tmp_path / "工商登记.csv"
    extract.write_text(
        "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
        f"郑州宇通客车有限公司,{ZZ_USCC},2010-01-05,郑州市市场监督管理局,1000万元,存续\n"
        f"上海某某新材料有限公司,{SH_USCC},2015/3/1,上海市浦东新区市场监督管理局,500万元,在业\n"
        f"郑州新成立有限公司,{late},2023年6月1日,郑州市市场监督管理局,100万元,存续\n"
        f"郑州已注销有限公司,{gone},2012-01-01,郑州市市场监督管理局,100万元,注销\n",
        encoding="utf-8",
    )
    call_command("integrity", "registry", "import", str(extract))
    assert "4 行" in capsys.readouterr().out
    call_command("integrity", "scan", "--year", "2023", "--json")
    assert NO_REGISTRY not in capsys.readouterr().out
    kinds = {f.rows.get().project.name: f.kind for f in Flag.objects.filter(kind__startswith="registry")}
    assert kinds == {
        "名称不符项目": FlagKind.REGISTRY_NAME,
        "查无项目": FlagKind.REGISTRY_UNKNOWN,
        "先签后设项目": FlagKind.REGISTRY_FOUNDED_AFTER,
        "注销企业项目": FlagKind.REGISTRY_CANCELLED,
    }
    assert "上海某某新材料有限公司" in Flag.objects.get(kind=FlagKind.REGISTRY_NAME).reason


def test_registry_import_is_all_or_nothing_and_names_row_and_column(db, tmp_path):
    from django.core.management.base import CommandError

    from zhaoshang.integrity.models import RegistryEntry

    extract = tmp_path / "bad.csv"
    extract.write_text(
        "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
        f"甲公司,{ZZ_USCC},2010-01-05,郑州,100,存续\n"
        "乙公司,91410100MA44C12340,2010-13-05,郑州,100,存续\n"
        f",{SH_USCC},,郑州,100,存续\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as err:
        call_command("integrity", "registry", "import", str(extract))
    text = str(err.value)
    assert "第3行“统一社会信用代码”" in text and "第3行“成立日期”" in text and "第4行“企业名称”：不能为空" in text
    assert not RegistryEntry.objects.exists()


def test_scan_of_shares_counts_share_units(city):
    """A shared project belongs to its share units: the same investment filed again by one of them alone
    is a duplicate of a project held by different units."""
    a, b, _ = city
    p = project(a, "2023-03-01", 60000, investor_uscc=ZZ_USCC)
    shares(p, [(a, "0.5"), (b, "0.5")])
    project(b, "2023-03-05", 60000, investor_uscc=ZZ_USCC)
    flags_scan(year=2023)
    assert Flag.objects.filter(kind=FlagKind.SAME_INVESTOR).count() == 1
    assert dt.date(2023, 3, 1) == Flag.objects.get().rows.first().project.signed_on


def test_a_province_scale_exclusion_leaves_out_the_same_projects(city, monkeypatch):
    """Above `MANY_EXCLUDED` left-out projects PostgreSQL reads them from a temporary table (a year's scan of a
    province can keep a million out); the run counts exactly what it counts with a short list."""
    from django.db import connection

    from zhaoshang.assessment.engine.measures import base as measure_base

    a, b, _ = city
    project(a, "2023-03-01", 60000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC, name="甲区客车项目")
    project(b, "2023-05-10", 55000, investor="郑州宇通客车有限公司", investor_uscc=ZZ_USCC, name="乙县客车项目")
    project(a, "2023-06-01", 7000, investor="河南另一家机械有限公司", name="甲区机械项目")
    flags_scan(year=2023)
    short_list, _ = signed_values()
    monkeypatch.setattr(measure_base, "MANY_EXCLUDED", 0)
    from_table, conflicts = signed_values()
    assert short_list == from_table == {"A": D("7000"), "B": D("0")}
    assert len(conflicts) == 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()"
                           " AND relname LIKE 'zs\\_excluded\\_%%'")
            assert cursor.fetchone()[0] >= 1  # made, and kept for the rest of the session
