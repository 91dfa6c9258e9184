"""A small city for the report tests: three resident offices (驻点招商局, the Bole scheme's group) and
two districts in another group, with 2024 targets, projects in 2023 and 2024 and fund arrivals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.assessment.helpers import fund, group, project, submission, target
from tests.factories import UnitFactory, UserFactory
from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store
from zhaoshang.orgs.choices import UserRole

D = Decimal


@pytest.fixture
def city(db):
    offices = group("驻点招商局")
    other = group("区县")
    bj = UnitFactory(code="ZD01", name="驻北京招商局", kind="resident_office", group=offices)
    sh = UnitFactory(code="ZD02", name="驻上海招商局", kind="resident_office", group=offices)
    gz = UnitFactory(code="ZD03", name="驻广州招商局", kind="resident_office", group=offices)
    qa = UnitFactory(code="QX01", name="甲区", kind="district", group=other)
    qb = UnitFactory(code="QX02", name="乙县", kind="county", group=other)
    for u, signed, funds in ((bj, 100000, 30000), (sh, 80000, 20000), (gz, 50000, 10000), (qa, 60000, 20000),
                             (qb, 40000, 10000)):
        target(u, 2024, "签约金额", signed)
        target(u, 2024, "到位资金", funds)
        target(u, 2024, "开工项目数", 4)
    p1 = project(bj, "2024-01-15", 30000, code="XM-BJ-1", name="北京新能源电池项目", industry="新能源",
                 investor_origin="北京", started_on="2024-03-01")
    p2 = project(bj, "2024-02-20", 12000.5, code="XM-BJ-2", name="北京数据中心项目", industry="数字经济",
                 investor_origin="北京")
    p3 = project(sh, "2024-03-10", 20000, code="XM-SH-1", name="上海生物医药项目", industry="生物医药",
                 investor_origin="上海", is_foreign=True, foreign_amount=D("800"))
    p4 = project(gz, "2024-05-10", 9000, code="XM-GZ-1", name="广州装备制造项目", industry="装备制造",
                 investor_origin="广东")
    p5 = project(qa, "2024-02-01", 25000, code="XM-QA-1", name="甲区光伏组件项目", industry="新能源",
                 investor_origin="江苏")
    p6 = project(qb, "2024-03-25", 7000, code="XM-QB-1", name="乙县食品加工项目", industry="绿色食品",
                 investor_origin="")
    project(bj, "2023-02-10", 20000, code="XM-BJ-0", name="北京旧项目", industry="新能源", investor_origin="北京")
    project(qa, "2024-03-05", 99999, code="XM-QA-X", name="甲区已终止项目", status="terminated")
    fund(p1, "2024-02-01", 5000)
    fund(p1, "2024-03-20", 2500.25)
    fund(p3, "2024-03-28", 3000)
    fund(p5, "2024-03-01", 4000)
    fund(p2, "2024-04-02", 1000)
    fund(p6, "2023-12-01", 100)
    submission(bj, "2024-01", "2024-02-05", "2024-02-03T10:00:00")
    submission(sh, "2024-01", "2024-02-05", "2024-02-09T10:00:00")
    submission(gz, "2024-01", "2024-02-05", None)
    return {"offices": [bj, sh, gz], "districts": [qa, qb], "projects": [p1, p2, p3, p4, p5, p6]}


@pytest.fixture
def assessor(db):
    return UserFactory(username="assessor", role=UserRole.ASSESSOR)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=UserRole.LEADER)


@pytest.fixture
def bj_staff(city):
    return UserFactory(username="bj_staff", role=UserRole.UNIT_STAFF, unit=city["offices"][0])


@pytest.fixture
def q1_run(city):
    rr = run_scheme(resolve_scheme("bole-2023"), "2024Q1", dt.date(2024, 3, 31))
    return store(rr)
