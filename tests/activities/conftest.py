"""Fixtures for the daily work: a resident office with its people and a unit head, on top of the
three named users of tests/conftest.py (staff_a, staff_b, assessor)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory, UnitFactory, UnitGroupFactory, UserFactory
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.orgs.choices import PersonRole, UnitKind, UserRole


def at(text: str) -> dt.datetime:
    """'2024-04-05 10:00' in Shanghai time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def office(db):
    group = UnitGroupFactory(code="G-RO", name="驻点招商局")
    return UnitFactory(code="BJ", name="驻北京招商局", kind=UnitKind.RESIDENT_OFFICE, group=group)


@pytest.fixture
def office_staff(office):
    return UserFactory(username="bj_staff", role=UserRole.UNIT_STAFF, unit=office)


@pytest.fixture
def office_head(office):
    return UserFactory(username="bj_head", role=UserRole.UNIT_HEAD, unit=office)


@pytest.fixture
def office_people(office, office_staff):
    director = PersonFactory(staff_no="BJ-1", name="王金良", unit=office, role=PersonRole.DIRECTOR)
    deputy = PersonFactory(staff_no="BJ-2", name="李杰", unit=office, role=PersonRole.LIAISON, user=office_staff)
    return director, deputy


@pytest.fixture
def head_a(unit_a):
    return UserFactory(username="head_a", role=UserRole.UNIT_HEAD, unit=unit_a)
