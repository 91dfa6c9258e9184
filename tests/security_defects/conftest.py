"""Tests of the defects an outside probe found (issue 11 "Defects found"), one module per defect. Each
test failed before its fix. API calls go through a bearer token, as an integrator's would."""

from __future__ import annotations

import pytest

from zhaoshang.orgs.models import ApiToken

from ..api.conftest import ApiClient


def api_for(user) -> ApiClient:
    _, key = ApiToken.issue(user=user, name="tests")
    return ApiClient(key)


@pytest.fixture
def api_a(staff_a):
    return api_for(staff_a)


@pytest.fixture
def api_b(staff_b):
    return api_for(staff_b)


@pytest.fixture
def api_assessor(assessor):
    return api_for(assessor)
