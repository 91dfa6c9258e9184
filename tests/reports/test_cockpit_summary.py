"""The province cockpit read from the figures the database keeps (`ledger.summary`, PostgreSQL): the same
figures, links and flags as aggregating the ledger, after every kind of write — services, `update()`, raw SQL,
status changes, shares added and removed, a unit moved to another group, deletes, TRUNCATE. On SQLite
`maintained()` is False and both reads aggregate the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tests.assessment.helpers import fund, project
from tests.factories import UnitFactory
from zhaoshang.ledger import summary
from zhaoshang.ledger.models import FundArrival, LedgerSummaryDelta, Project, ProjectShare, SharedProject
from zhaoshang.orgs.models import Unit, UnitGroup
from zhaoshang.reports import cockpit

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)
MID_MONTH = dt.date(2024, 3, 18)  # a month covered in part: the per-unit figures read those days from projects


def _both(user, as_of, monkeypatch) -> tuple[dict, dict]:
    kept = cockpit._cockpit_data(user, 2024, as_of)
    with monkeypatch.context() as m:
        m.setattr(cockpit, "_whole_province", lambda user: False)
        summed = cockpit._cockpit_data(user, 2024, as_of)
    return kept, summed


def _same(user, monkeypatch) -> dict:
    for as_of in (AS_OF, MID_MONTH, dt.date(2024, 12, 31)):
        kept, summed = _both(user, as_of, monkeypatch)
        assert kept == summed, as_of
    return cockpit._cockpit_data(user, 2024, AS_OF)


def test_the_kept_figures_equal_the_ledger_after_every_kind_of_write(city, assessor, monkeypatch):
    bj, sh, _gz = city["offices"]
    qa, qb = city["districts"]
    p1, p2, p3, _p4, p5, p6 = city["projects"]
    data = _same(assessor, monkeypatch)
    completion = {c["key"]: c for c in data["completion"]}
    # 签约 in Q1 2024: p1 30,000 + p2 12,000.5 + p3 20,000 + p5 25,000 + p6 7,000 (the terminated one left out)
    assert completion["signed"]["value"] == "94000.5"
    assert completion["funds"]["value"] == "14500.25"  # 5,000 + 2,500.25 + 3,000 + 4,000
    assert completion["foreign"]["foreign_projects"] == 1

    ProjectShare.objects.create(project=p1, unit=qa, ratio=Decimal("0.5"))  # 驻点 and 区县: held apart
    ProjectShare.objects.create(project=p5, unit=qb, ratio=Decimal("0.5"))  # both 区县: not a conflict
    data = _same(assessor, monkeypatch)
    assert data["flags"]["conflict_count"] == 1 and data["shared_projects"] == 2

    Project.objects.filter(pk=p2.pk).update(signed_amount=Decimal("13000"), industry="新材料")  # no save()
    Project.objects.filter(pk=p3.pk).update(status="terminated", status_reason="撤资")  # its funds leave
    with connection.cursor() as cursor:  # a raw write, as the importer's COPY
        cursor.execute("UPDATE ledger_project SET signed_on = '2024-03-20', lead_unit_id = %s WHERE id = %s",
                       [qb.pk, p1.pk])
    FundArrival.objects.filter(project=p5).update(amount=Decimal("4100"), date=dt.date(2024, 3, 19))
    fund(p6, "2024-03-30", 700)
    late = project(sh, "2024-03-25", 5000, code="XM-SH-9", name="上海新签项目", industry="生物医药",
                   investor_origin="上海", is_foreign=True, foreign_amount=Decimal("120"), started_on="2024-03-28")
    fund(late, "2024-03-29", 600)
    data = _same(assessor, monkeypatch)
    completion = {c["key"]: c for c in data["completion"]}
    assert completion["signed"]["value"] == "80000"  # p1 30,000 + p2 13,000 + p5 25,000 + p6 7,000 + new 5,000
    assert completion["funds"]["value"] == "12900.25"  # p1 7,500.25 + p5 4,100 + p6 700 + new 600
    assert completion["foreign"]["foreign_projects"] == 1  # p3 terminated, the new one foreign
    assert data["flags"]["conflict_count"] == 0  # p1 now led by 乙县, shared with 甲区: both 区县

    Project.objects.filter(pk=p3.pk).update(status="advancing")  # back: its funds and amount count again
    Unit.objects.filter(pk=qa.pk).update(group=UnitGroup.objects.get(name="驻点招商局"))  # 甲区 moved
    assert _same(assessor, monkeypatch)["flags"]["conflict_count"] == 2  # p1 and p5 now held apart

    ProjectShare.objects.filter(project=p5).delete()
    late.delete()  # its funds go with it
    moved = UnitFactory(code="QX09", name="丙区", group=None)
    Project.objects.filter(pk=p6.pk).update(lead_unit=moved)
    data = _same(assessor, monkeypatch)
    assert data["flags"]["conflict_count"] == 1 and data["shared_projects"] == 1


def test_truncate_and_folding_keep_the_figures(city, assessor, monkeypatch):
    bj, _sh, _gz = city["offices"]
    qa, _qb = city["districts"]
    monkeypatch.setattr(summary, "COMPACT_AFTER", 3)
    ProjectShare.objects.create(project=city["projects"][0], unit=qa, ratio=Decimal("0.5"))
    for i in range(6):
        fund(city["projects"][0], f"2024-03-{i + 1:02d}", 10 + i)
    assert _same(assessor, monkeypatch)["flags"]["conflict_count"] == 1
    cockpit.cockpit_data(user=assessor, year=2024, as_of=AS_OF)  # folds what changed
    if connection.vendor == "postgresql":
        assert not LedgerSummaryDelta.objects.filter(folded=False).exists()
        assert SharedProject.objects.count() == 1
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before a TRUNCATE
            cursor.execute("TRUNCATE ledger_projectshare")
            cursor.execute("TRUNCATE ledger_fundarrival, integrity_spotcheckitem")
    else:
        ProjectShare.objects.all().delete()
        FundArrival.objects.all().delete()
    data = _same(assessor, monkeypatch)
    assert {c["key"]: c["value"] for c in data["completion"]}["funds"] == "0"
    assert data["flags"]["conflict_count"] == 0 and data["shared_projects"] == 0


def test_the_bulletin_overview_reads_the_kept_figures_as_the_ledger(city, monkeypatch):
    # The bulletin's 总体情况 reads the filed figures from those the database keeps (PostgreSQL); the same numbers
    # as summing the ledger, this year's with 已认定 beside them and last year's without.
    from zhaoshang.reports import content

    p1 = city["projects"][0]
    Project.objects.update(signed_verified_on=None)  # only p1's signing and funds 已认定
    Project.objects.filter(pk=p1.pk).update(signed_verified_on=dt.date(2024, 3, 1))
    FundArrival.objects.update(verification="pending", verified_on=None)
    FundArrival.objects.filter(project=p1).update(verification="verified", verified_on=dt.date(2024, 3, 2))
    windows = ((dt.date(2024, 1, 1), AS_OF, AS_OF), (dt.date(2024, 1, 1), MID_MONTH, None),
               (dt.date(2023, 1, 1), dt.date(2023, 3, 31), None))
    for start, end, as_of in windows:
        kept = content._ledger_overview(start, end, as_of)
        with monkeypatch.context() as m:
            m.setattr(summary, "maintained", lambda alias: False)
            summed = content._ledger_overview(start, end, as_of)
        assert kept == summed, (start, end)
    q1 = content._ledger_overview(dt.date(2024, 1, 1), AS_OF, AS_OF)
    assert (q1["signed_n"], q1["signed"], q1["funds"]) == (5, Decimal("94000.5"), Decimal("14500.25"))
    assert q1["signed_verified"] == p1.signed_amount
    assert q1["funds_verified"] == sum(f.amount for f in FundArrival.objects.filter(project=p1, date__lte=AS_OF))
    assert 0 < q1["funds_verified"] < q1["funds"]
