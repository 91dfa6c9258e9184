"""The cockpit's figures kept for ZHAOSHANG_COCKPIT_CACHE_SECONDS (province scale): the same view is served
from the cache, never across roles or unit scopes, and not at all when the setting is 0."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from zhaoshang.ledger.models import Project
from zhaoshang.reports.cockpit import cockpit_data

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)


def _signed(data) -> Decimal:
    return Decimal(next(c["value"] for c in data["completion"] if c["key"] == "signed"))


@pytest.fixture
def kept(settings):
    settings.ZHAOSHANG_COCKPIT_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _grow(user_unit_project: Project) -> None:
    Project.objects.filter(pk=user_unit_project.pk).update(signed_amount=user_unit_project.signed_amount + 1000)


def test_a_view_is_kept_for_its_seconds(city, assessor, kept):
    before = _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF))
    project = Project.objects.filter(signed_on__year=2024, signed_on__lte=AS_OF).exclude(status="terminated").first()
    _grow(project)
    assert _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF)) == before  # kept
    cache.clear()
    assert _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF)) == before + 1000


def test_a_unit_user_never_gets_the_assessors_figures(city, assessor, bj_staff, kept):
    everyone = _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF))
    own = _signed(cockpit_data(user=bj_staff, year=2024, as_of=AS_OF))
    assert own == Decimal("42000.5") != everyone
    units = [u["unit"] for g in cockpit_data(user=bj_staff, year=2024, as_of=AS_OF)["ranking"] for u in g["units"]]
    assert units == ["驻北京招商局"]


def test_not_kept_by_default(city, assessor, settings):
    settings.ZHAOSHANG_COCKPIT_CACHE_SECONDS = 0
    before = _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF))
    project = Project.objects.filter(signed_on__year=2024, signed_on__lte=AS_OF).exclude(status="terminated").first()
    _grow(project)
    assert _signed(cockpit_data(user=assessor, year=2024, as_of=AS_OF)) == before + 1000
