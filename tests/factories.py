"""factory_boy factories for the domain models. Defaults make a valid, signed manufacturing project.

Facts made by a factory are verified (已认定) on their own date, as the data migration left every fact
that existed before verification: a scheme with `basis = "verified"` (the presets) counts them, so the
hand-computed examples hold. Pass `verified=False` for a project or a fund arrival still 待核实; a
project's filings (one per stage with a date, 签约 included) are made with it. Facts filed through
the services start at 待核实, as in production, and a test verifies them explicitly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from zhaoshang.activities.models import PromotionEvent
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.choices import STAGE_DATE_FIELD, STAGE_VERIFIED_FIELD, Verification
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.orgs.choices import PersonRole, UnitKind, UserRole
from zhaoshang.orgs.models import Person, Unit, UnitGroup, User


class UnitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n:02d}")
    name = factory.Sequence(lambda n: f"考核组{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DISTRICT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    staff_no = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"张{n}")
    unit = factory.SubFactory(UnitFactory)
    role = PersonRole.STAFF


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = UserRole.UNIT_STAFF
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromotionEvent

    code = factory.Sequence(lambda n: f"E{n:04d}")
    date = dt.date(2024, 3, 1)
    name = factory.Sequence(lambda n: f"招商推介会{n}")
    level = "prefecture"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True  # the hook below writes what it changes

    code = factory.Sequence(lambda n: f"XM{n:06d}")
    name = factory.Sequence(lambda n: f"新能源电池项目{n}")
    investor = "某某新能源科技有限公司"
    investor_uscc = "91110000600037341L"
    category = "C"  # 制造业
    signed_amount = Decimal("50000")
    signed_on = dt.date(2024, 2, 1)
    status = "advancing"
    stage = "signed"
    lead_unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """One filing per stage with a date; 已认定 on that date unless `verified=False` (待核实)."""
        if not create:
            return
        verified = extracted is None or bool(extracted)
        records, dates = [], {}
        for stage, field in STAGE_DATE_FIELD.items():
            on = getattr(obj, field)
            if on is None or StageRecord.objects.filter(project=obj, stage=stage).exists():
                continue
            record = StageRecord(project=obj, stage=stage, date=on, note="测试数据")
            if verified:
                verify(record, on)
                dates[STAGE_VERIFIED_FIELD[stage]] = on
            records.append(record)
        StageRecord.objects.bulk_create(records)
        if dates:
            Project.objects.filter(pk=obj.pk).update(**dates)
            for field, on in dates.items():
                setattr(obj, field, on)


def verify(fact, on: dt.date) -> None:
    """Mark a stage filing or a fund arrival 已认定 on the date `on` (in memory; the caller saves)."""
    fact.verification = Verification.VERIFIED
    fact.verified_on = on
    fact.verified_at = fact.reviewed_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)), SHANGHAI)


class FundArrivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundArrival

    class Params:
        verified = True

    project = factory.SubFactory(ProjectFactory)
    date = dt.date(2024, 3, 1)
    amount = Decimal("1000")
    kind = "fixed_asset"
    verification = factory.LazyAttribute(lambda o: Verification.VERIFIED if o.verified else Verification.PENDING)
    verified_on = factory.LazyAttribute(lambda o: o.date if o.verified else None)
