"""Every preset on the demo city, as the assessment office runs it: log in as the assessor, start a run of
each of the five presets for last year on the 考核 page, and see a ranked results table with at least one
row — Huaiyin's and Laiwu's through their named groupings (分组口径), which the groupings page lists."""

import re

import pytest

from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city

from .test_demo_tour import login_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRESETS = {
    "zhengzhou-2019": "重点地区",
    "huaiyin-2020": "重点招商部门",
    "bole-2023": "驻点招商局",
    "bozhou-2021": "新能源汽车产业专班",  # people are ranked within their own 专班
    "laiwu-2019": "区及功能区",
}


def test_assessor_runs_every_preset_on_the_demo_city(page, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo writes its evidence files
    load_demo_city()
    login_demo(page, "assessor")
    year = str(today().year - 1)
    for key, group in PRESETS.items():
        page.goto("/assessment/")
        page.select_option("#run-form select[name=scheme]", key)
        page.fill("#run-form input[name=period]", year)
        page.click("#run-submit")
        page.wait_for_url(re.compile(r"/assessment/runs/\d+/"))
        tables = page.locator("table.results-table")
        assert tables.count() >= 1, key
        rows = page.locator("table.results-table tbody tr")
        assert rows.count() >= 1, key
        assert rows.first.locator("td").first.inner_text().strip() == "1", key  # ranked: the first is 1st
        assert group in page.locator("h2").all_inner_texts(), key

    page.goto("/units/groupings/")
    names = page.locator(".grouping-card h2").all_inner_texts()
    assert "淮阴考核口径" in names and "莱芜竞赛口径" in names
