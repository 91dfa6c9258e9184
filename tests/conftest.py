"""Shared fixtures. Permission tests use three named users: `staff_a` (of unit A), `staff_b` (of
unit B) and `assessor` (考核办, sees all)."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhaoshang.orgs.choices import UserRole

from .factories import ProjectFactory, UnitFactory, UserFactory


def pytest_configure(config):
    """Every factory user gets a password, and the production hasher (PBKDF2, a million rounds) costs ~0.2 s
    each on a CI core: minutes over the suite for nothing a test checks. The production hasher itself is
    Django's default and stays in settings; tests of the login path only need a hash, not a slow one."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the default language. A request with `Accept-Language: en` activates
    English in the test thread, and Django leaves it active after the response."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def unit_a(db):
    return UnitFactory(code="A01", name="甲区")


@pytest.fixture
def unit_a_child(unit_a):
    return UnitFactory(code="A01-01", name="甲区某街道", kind="township", parent=unit_a)


@pytest.fixture
def unit_b(db):
    return UnitFactory(code="B01", name="乙县", kind="county")


@pytest.fixture
def staff_a(unit_a):
    return UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=unit_a)


@pytest.fixture
def staff_b(unit_b):
    return UserFactory(username="staff_b", role=UserRole.UNIT_STAFF, unit=unit_b)


@pytest.fixture
def assessor(db):
    return UserFactory(username="assessor", role=UserRole.ASSESSOR)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=UserRole.LEADER)


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(lead_unit=unit_a, code="XM-A-1", name="甲区电池项目")


@pytest.fixture
def project_b(unit_b):
    return ProjectFactory(lead_unit=unit_b, code="XM-B-1", name="乙县光伏项目")
