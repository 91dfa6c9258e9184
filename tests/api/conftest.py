"""API test helpers: a JSON client that authenticates with a bearer token of one of the named users."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhaoshang.orgs.models import ApiToken


class ApiClient:
    def __init__(self, key: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, data):
        return getattr(self.client, method)(path, json.dumps(data), content_type="application/json",
                                            headers=self.headers)

    def post(self, path: str, data):
        return self._send("post", path, data)

    def patch(self, path: str, data):
        return self._send("patch", path, data)

    def put(self, path: str, data):
        return self._send("put", path, data)


def _api(user) -> ApiClient:
    _, key = ApiToken.issue(user=user, name="tests")
    return ApiClient(key)


@pytest.fixture
def api_a(staff_a):
    return _api(staff_a)


@pytest.fixture
def api_b(staff_b):
    return _api(staff_b)


@pytest.fixture
def api_assessor(assessor):
    return _api(assessor)


@pytest.fixture
def api_leader(leader):
    return _api(leader)
