"""Keyset paging of the project list (issue 12): a `cursor` walks the ledger in its default order (signed_on
newest first, then id), page after page, without skipping or repeating a project, and stays inside the user's
scope; offset paging keeps working."""

from __future__ import annotations

import datetime as dt

import pytest

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _walk(api, limit: int, **params) -> list[str]:
    codes, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = api.get("/api/projects", query)
        assert r.status_code == 200, r.content
        body = r.json()
        codes += [p["code"] for p in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return codes
        assert pages < 50


@pytest.fixture
def ledger(unit_a, unit_b):
    """Seven projects of 甲区 (two on one day, one without a signing date) and three of 乙县."""
    days = [dt.date(2024, 5, 1), dt.date(2024, 3, 1), dt.date(2024, 3, 1), dt.date(2023, 12, 31),
            dt.date(2023, 1, 5), dt.date(2022, 7, 7), None]
    own = [ProjectFactory(lead_unit=unit_a, code=f"XM-A-{i}", signed_on=day) for i, day in enumerate(days)]
    other = [ProjectFactory(lead_unit=unit_b, code=f"XM-B-{i}", signed_on=dt.date(2024, 4, i + 1)) for i in range(3)]
    return own, other


def test_cursor_walks_every_project_once_in_the_list_order(api_assessor, ledger):
    everything = [p["code"] for p in api_assessor.get("/api/projects", {"limit": 100}).json()["items"]]
    assert len(everything) == 10
    for limit in (1, 3, 4):
        assert _walk(api_assessor, limit) == everything


def test_unit_user_cursor_stays_in_scope(api_a, ledger):
    own, _other = ledger
    codes = _walk(api_a, 2)
    assert sorted(codes) == sorted(p.code for p in own)
    assert not [c for c in codes if c.startswith("XM-B")]


def test_another_units_cursor_reveals_nothing(api_a, api_b, ledger):
    # 乙县's cursor, taken to 甲区's user, only positions 甲区's own list
    r = api_b.get("/api/projects", {"limit": 1})
    cursor = r.json()["next"]
    assert cursor
    items = api_a.get("/api/projects", {"limit": 100, "cursor": cursor}).json()["items"]
    assert items and all(p["code"].startswith("XM-A") for p in items)


def test_cursor_with_filters_and_last_page(api_a, ledger):
    codes = _walk(api_a, 1, year=2024)
    assert codes == ["XM-A-0", "XM-A-2", "XM-A-1"]  # same day: the later id first


def test_tampered_or_mixed_cursor_is_refused_in_chinese(api_a, ledger):
    cursor = api_a.get("/api/projects", {"limit": 2}).json()["next"]
    r = api_a.get("/api/projects", {"cursor": cursor[:-2] + "xx"})
    assert r.status_code == 422
    assert "游标无效" in r.json()["message"]
    r = api_a.get("/api/projects", {"cursor": cursor, "sort": "code"})
    assert r.status_code == 422
    assert "不能与 sort、offset 同时使用" in r.json()["message"]


def test_offset_paging_still_works_and_gives_a_next_cursor(api_assessor, ledger):
    first = api_assessor.get("/api/projects", {"limit": 4}).json()
    second = api_assessor.get("/api/projects", {"limit": 4, "offset": 4}).json()
    assert first["count"] == 10 and first["offset"] == 0 and second["offset"] == 4
    by_cursor = api_assessor.get("/api/projects", {"limit": 4, "cursor": first["next"]}).json()
    assert [p["code"] for p in by_cursor["items"]] == [p["code"] for p in second["items"]]
    assert by_cursor["count"] == 10  # totals are over the whole filtered list, as before
    sorted_page = api_assessor.get("/api/projects", {"limit": 4, "sort": "code"}).json()
    assert sorted_page["next"] is None  # cursors follow the default order only
