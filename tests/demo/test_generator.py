"""The synthetic data generator: deterministic, valid, consistent, never in the future."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, F, Max, Sum

from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.core.uscc import is_valid_uscc
from zhaoshang.demo.citygen import kind_counts
from zhaoshang.demo.generator import flush_city, generate
from zhaoshang.ledger.choices import (
    STAGE_DATE_FIELD,
    STAGE_VERIFIED_FIELD,
    STATUSES_NEEDING_REASON,
    Stage,
    Verification,
)
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.ledger.verification import refresh_project_verified_dates
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.models import Person, Unit, UnitGroup
from zhaoshang.targets.models import Target

TODAY = dt.date(2026, 11, 23)
DATE_FIELDS = ("signed_on", "registered_on", "started_on", "completed_on", "producing_on")


def _snapshot() -> list[tuple]:
    return list(
        Project.objects.order_by("code").values_list(
            "code", "name", "investor", "investor_uscc", "signed_amount", "signed_on", "started_on", "stage",
            "status", "lead_unit__code",
        )
    )


@pytest.fixture
def small_city(db):
    return generate(seed=5, units=5, projects=200, years=(2023, 2024), today=TODAY)


def test_same_seed_same_data(db):
    generate(seed=5, units=5, projects=200, years=(2023, 2024), today=TODAY)
    first = _snapshot()
    first_shares = list(ProjectShare.objects.order_by("project__code", "unit__code")
                        .values_list("project__code", "unit__code", "ratio"))
    flush_city()
    assert not Project.objects.exists() and not Unit.objects.exists()
    generate(seed=5, units=5, projects=200, years=(2023, 2024), today=TODAY)
    assert _snapshot() == first
    assert list(ProjectShare.objects.order_by("project__code", "unit__code")
                .values_list("project__code", "unit__code", "ratio")) == first_shares
    flush_city()
    generate(seed=6, units=5, projects=200, years=(2023, 2024), today=TODAY)
    assert _snapshot() != first


def test_generated_rows_pass_full_clean(small_city):
    for project in Project.objects.order_by("?")[:120]:
        project.full_clean()
    for model in (Unit, Person, UnitGroup, PromotionEvent, FundArrival, StageRecord, ProjectShare, Visit,
                  Recommendation, Submission, Attendance, Target):
        for row in model.objects.order_by("?")[:25]:
            row.full_clean()


def test_amounts_are_decimal_and_codes_valid(small_city):
    projects = list(Project.objects.all())
    assert len(projects) == 200
    assert all(isinstance(p.signed_amount, Decimal) for p in projects)
    assert all(p.investor_uscc == "" or is_valid_uscc(p.investor_uscc) for p in projects)
    assert sum(1 for p in projects if p.investor_uscc) > 150
    for p in projects:
        if p.status in STATUSES_NEEDING_REASON:
            assert p.status_reason
        if p.foreign_amount:
            assert p.is_foreign


def test_shares_sum_to_one(small_city):
    sums = ProjectShare.objects.values("project").annotate(total=Sum("ratio"), n=Count("id"))
    assert sums, "about one project in ten is shared"
    for row in sums:
        assert row["total"] == Decimal("1")
        assert row["n"] == 2
    for share in ProjectShare.objects.select_related("project"):
        assert share.project.shares.filter(unit_id=share.project.lead_unit_id).exists()


def test_stages_computed_and_dates_in_order(small_city):
    stages = set()
    for p in Project.objects.all():
        assert p.stage == p.computed_stage()
        stages.add(p.stage)
        dates = [getattr(p, f) for f in DATE_FIELDS if getattr(p, f)]
        assert dates == sorted(dates)
        filed = {r.stage: r.date for r in p.stage_records.all()}
        for stage, field in STAGE_DATE_FIELD.items():  # one filing per dated stage, 签约 included
            assert filed.get(stage) == getattr(p, field)
    assert {Stage.SIGNED, Stage.REGISTERED, Stage.STARTED} <= stages


def test_generated_facts_are_verified_on_their_own_date(small_city):
    # A benchmark over generated data counts what it counted before verification existed.
    assert not StageRecord.objects.exclude(verification=Verification.VERIFIED).exists()
    assert not FundArrival.objects.exclude(verification=Verification.VERIFIED).exists()
    assert not StageRecord.objects.exclude(verified_on=F("date")).exists()
    assert not FundArrival.objects.exclude(verified_on=F("date")).exists()
    for stage, field in STAGE_DATE_FIELD.items():
        assert not Project.objects.exclude(**{STAGE_VERIFIED_FIELD[stage]: F(field)}).filter(
            **{f"{field}__isnull": False}).exists()
        assert not Project.objects.filter(**{f"{field}__isnull": True,
                                             f"{STAGE_VERIFIED_FIELD[stage]}__isnull": False}).exists()
    # The set-based refresh agrees with what the generator wrote directly.
    before = list(Project.objects.order_by("pk").values_list(*STAGE_VERIFIED_FIELD.values()))
    refresh_project_verified_dates()
    assert list(Project.objects.order_by("pk").values_list(*STAGE_VERIFIED_FIELD.values())) == before


def test_no_date_after_today(db):
    today = dt.date(2024, 6, 30)
    generate(seed=3, units=10, projects=300, years=(2023, 2024, 2025), today=today)
    for field in DATE_FIELDS:
        assert Project.objects.filter(**{f"{field}__gt": today}).count() == 0
    for model in (FundArrival, StageRecord, PromotionEvent, Visit, Recommendation, Attendance):
        assert model.objects.aggregate(m=Max("date"))["m"] <= today
    latest = Submission.objects.exclude(submitted_at=None).aggregate(m=Max("submitted_at"))["m"]
    assert latest.date() <= today
    assert not Submission.objects.filter(period__gte="2024-06").exists()
    assert set(Target.objects.values_list("year", flat=True)) == {2023, 2024}
    assert Project.objects.filter(signed_on__year=2024).count() < Project.objects.filter(signed_on__year=2023).count()


def test_every_kind_and_role(db):
    generate(seed=1, units=30, projects=100, years=(2024,), today=TODAY)
    assert set(Unit.objects.values_list("kind", flat=True)) == set(UnitKind.values)
    assert set(Person.objects.values_list("role", flat=True)) == set(PersonRole.values)
    towns = Unit.objects.filter(kind=UnitKind.TOWNSHIP)
    assert towns.exists() and not towns.filter(parent=None).exists()
    assert not towns.exclude(parent__kind=UnitKind.COUNTY).exists()
    assert Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE).exclude(regions="").exists()
    office_staff = Person.objects.filter(unit__kind=UnitKind.RESIDENT_OFFICE, role=PersonRole.DIRECTOR)
    assert Attendance.objects.filter(person__in=office_staff).exists()
    assert Submission.objects.filter(submitted_at=None).exists() or Submission.objects.count() < 30
    assert Target.objects.filter(indicator="签约金额").count() == Unit.objects.count()


def test_kind_counts_add_up():
    for n in (1, 5, 8, 20, 150, 1000):
        counts = kind_counts(n)
        assert sum(counts.values()) == n
        assert all(v >= 1 for v in counts.values())
