"""Defect 2: inputs that made a server error (500). Each is now a 4xx naming the field.

Integers beyond 64 bits overflow SQLite's and PostgreSQL's integer columns; 0001-01-01 minus the
reminders' look-back is no date; a letter where the API expects an id reached Django's HTML 404 page."""

from __future__ import annotations

import pytest
from django.urls import reverse

BIG = str(2**64)


@pytest.mark.parametrize("path, params, field", [
    ("/api/people", {"offset": BIG}, "offset"),
    ("/api/projects", {"offset": BIG}, "offset"),
    ("/api/units", {"offset": BIG}, "offset"),
    ("/api/units", {"parent": BIG}, "parent"),
    ("/api/projects", {"unit": BIG}, "unit"),
    ("/api/people", {"unit": BIG}, "unit"),
])
def test_numbers_beyond_64_bits_are_a_422_naming_the_parameter(api_a, project_a, path, params, field):
    response = api_a.get(path, params)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_an_id_beyond_64_bits_in_the_path_is_a_json_404(api_a, project_a):
    for path in (f"/api/projects/{BIG}", f"/api/people/{BIG}", f"/api/units/{BIG}/"):
        response = api_a.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_a_version_beyond_64_bits_is_refused(api_a, project_a):
    response = api_a.patch(f"/api/projects/{project_a.pk}", {"version": 2**64, "name": "新名称"})
    assert response.status_code == 422 and "version" in response.json()["fields"]


def test_a_letter_where_an_id_goes_is_a_json_404_not_an_html_page(api_a):
    for method, path in (("get", "/api/people/abc"), ("get", "/api/projects/1x/funds"),
                         ("patch", "/api/units/null%2Cnull")):
        response = getattr(api_a, method)(path, *([{}] if method != "get" else []))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "路径中的编号应为正整数" in response.json()["message"]


def test_the_ledger_drill_down_beyond_64_bits_is_a_400_naming_the_filter(client, staff_a, project_a):
    client.force_login(staff_a)
    response = client.get(reverse("ledger:project_list"), {"lead_unit": BIG})
    assert response.status_code == 400
    assert "筛选条件有误：引资单位" in response.content.decode()
    # An ordinary filter still answers 200.
    assert client.get(reverse("ledger:project_list"), {"lead_unit": project_a.lead_unit_id}).status_code == 200


def test_the_reminders_of_year_one_are_a_400_naming_the_date(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("activities:reminders"), {"date": "0001-01-01"})
    assert response.status_code == 400
    assert "日期（date）（0001-01-01）早于1949年1月1日" in response.content.decode()
    assert client.get(reverse("activities:reminders"), {"date": "2024-05-01"}).status_code == 200


def test_the_openapi_document_lists_the_errors_each_operation_answers(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "422"} <= codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "400" in codes, (method, path)


def test_a_nul_in_a_query_value_is_refused_at_the_door_naming_the_parameter(client, assessor):
    """PostgreSQL cannot hold a NUL: a page reading a raw ?q= would fail deep in the driver (HTTP 500)."""
    client.force_login(assessor)
    for path in ("/ledger/", "/integrity/flags/", "/work/reminders/"):
        response = client.get(path, {"q": "中\x00牟"})
        assert response.status_code == 400, path
        assert "“q”含有不可见字符" in response.content.decode()
