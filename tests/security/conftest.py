"""The three administrators (三员) and a login helper that goes through the real login page (and so through
the lockout), unlike `force_login`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.orgs.choices import UserRole

from ..factories import UserFactory

GOOD_PASSWORD = "Zs-Audit-2024!"


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sysadmin", role=UserRole.ADMIN)


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", role=UserRole.SECURITY_ADMIN)


@pytest.fixture
def auditadmin(db):
    return UserFactory(username="auditadmin", role=UserRole.AUDIT_ADMIN)


def login(client, username: str, password: str = "pw", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)
