"""factory_boy factories for the domain models. Defaults make a valid, signed manufacturing project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from zhaoshang.activities.models import PromotionEvent
from zhaoshang.ledger.models import FundArrival, Project
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

    code = factory.Sequence(lambda n: f"XM{n:06d}")
    name = factory.Sequence(lambda n: f"新能源电池项目{n}")
    investor = "某某新能源科技有限公司"
    investor_uscc = "91110000600037341L"
    category = "manufacturing"
    signed_amount = Decimal("50000")
    signed_on = dt.date(2024, 2, 1)
    status = "advancing"
    stage = "signed"
    lead_unit = factory.SubFactory(UnitFactory)


class FundArrivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundArrival

    project = factory.SubFactory(ProjectFactory)
    date = dt.date(2024, 3, 1)
    amount = Decimal("1000")
    kind = "fixed_asset"
