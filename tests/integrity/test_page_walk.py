"""What a new user sees on the integrity pages (found by walking the demo city): a district assessor is not
told the city-wide spot-check population; a recorded result updates the findings table in place; choices
render as radio buttons; a record that cannot be passed has no box to tick; a refile form offers the
material its record lacks; people are named, not shown by login; a scan's message reads as sentences."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProjectFactory
from zhaoshang.core.uscc import check_character
from zhaoshang.integrity.models import Flag, FlagKind
from zhaoshang.integrity.services import verification as services
from zhaoshang.integrity.services.flags import flags_scan
from zhaoshang.integrity.services.spotchecks import spotcheck_draw
from zhaoshang.ledger.choices import EvidenceKind

from .verification_helpers import district_assessor, pending_fund, signed_filing

QUEUE = reverse("integrity:verification_queue")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district_a(unit_a):
    district_a = district_assessor(unit_a)
    district_a.first_name = "甲区考核办"
    district_a.save()
    return district_a


@pytest.fixture
def spot_check(unit_a, unit_b, district_a, assessor):
    """A spot-check of 2024 over two facts of A (passed by A's district office) and one of B."""
    district_b = district_assessor(unit_b, username="district_b")
    facts = ((unit_a, district_a, "XM-A-1"), (unit_a, district_a, "XM-A-2"), (unit_b, district_b, "XM-B-1"))
    for unit, by, code in facts:
        services.fact_approve(user=by, fact=signed_filing(unit, code=code, signed_on=dt.date(2024, 3, 1)))
    return spotcheck_draw(user=assessor, period="2024", rate=Decimal(1), min_per_unit=1, seed=7)


def test_district_assessor_is_not_shown_the_city_wide_population(client, spot_check, district_a, assessor):
    detail = reverse("integrity:spotcheck_detail", args=[spot_check.pk])
    client.force_login(assessor)
    html = client.get(detail).content.decode()
    assert 'id="spotcheck-population"' in html and spot_check.population_digest in html
    assert "<th class=\"text-end\">总体</th>" in client.get(reverse("integrity:spotcheck_list")).content.decode()

    client.force_login(district_a)
    html = client.get(detail).content.decode()
    assert "XM-A-1" in html and "XM-B-1" not in html
    assert 'id="spotcheck-population"' not in html and spot_check.population_digest not in html and "3条" not in html
    listing = client.get(reverse("integrity:spotcheck_list")).content.decode()
    assert "总体" not in listing and "2024年" in listing


def test_a_recorded_result_swaps_the_findings_table_out_of_band(client, spot_check, assessor):
    """The findings table comes after the row in a <template>: htmx moves it to its place instead of the
    browser parsing it into the row's table (where it showed up as a second, stale table)."""
    item = spot_check.items.filter(unit__code="A01").first() or spot_check.items.first()
    client.force_login(assessor)
    response = client.post(reverse("integrity:spotcheck_item_result", args=[item.pk]),
                           {f"item{item.pk}-result": "accurate"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "属实" in html
    assert re.search(r'<template>\s*<table[^>]*id="spotcheck-findings"[^>]*hx-swap-oob="true"', html)


def test_choices_render_as_radio_buttons_not_text_boxes(client, unit_a, unit_b, assessor):
    uscc = "91410100MA44C1234" + check_character("91410100MA44C1234")
    for unit, code in ((unit_a, "XM-A-9"), (unit_b, "XM-B-9")):
        ProjectFactory(lead_unit=unit, code=code, investor="郑州宇通客车有限公司", investor_uscc=uscc,
                       signed_amount=Decimal("60000"), signed_on=dt.date(2023, 3, 1))
    flags_scan(year=2023)
    flag = Flag.objects.get(kind=FlagKind.SAME_INVESTOR)
    client.force_login(assessor)
    html = client.get(reverse("integrity:flag_detail", args=[flag.pk])).content.decode()
    radios = re.findall(r'<input type="radio"[^>]*>', html)
    assert len(radios) == 5  # three resolutions, two projects to keep
    assert all('class="form-check-input"' in r for r in radios)
    assert "form-control" not in "".join(radios) and 'id="id_resolution" class' not in html


def test_scan_message_is_sentences_with_iso_dates(client, unit_a, assessor):
    ProjectFactory(lead_unit=unit_a, code="XM-A-OLD", signed_on=dt.date(2023, 6, 1), registered_on=dt.date(2019, 5, 1))
    client.force_login(assessor)
    response = client.post(reverse("integrity:flag_scan"), {"year": "2023"}, follow=True)
    message = [str(m) for m in response.context["messages"]][0]
    assert "老企业新报1项；新增1项" in message and "\n" not in message
    flag = Flag.objects.get(kind=FlagKind.REFILED_EXISTING)
    assert "2019-05-01" in flag.reason and "2023-06-01" in flag.reason and "年5月" not in flag.reason


def test_only_passable_rows_can_be_ticked_for_bulk_approval(client, unit_a, assessor):
    ready = signed_filing(unit_a, code="XM-A-READY")
    lacking = signed_filing(unit_a, code="XM-A-LACK", evidence=None)
    client.force_login(assessor)
    html = client.get(QUEUE).content.decode()
    box = {code: re.search(rf'value="stage-{fact.pk}"[^>]*>', html).group(0)
           for code, fact in (("ready", ready), ("lacking", lacking))}
    assert "disabled" not in box["ready"]
    assert "disabled" in box["lacking"] and "材料不全，不能通过" in box["lacking"]
    assert "input[name=facts]:not(:disabled)" in html  # 全选 ticks only the boxes that can be ticked


def test_detail_names_the_verifier_and_says_when_there_is_no_history(client, unit_a, district_a, assessor):
    fact = signed_filing(unit_a, code="XM-A-1")
    fact.history.all().delete()
    client.force_login(assessor)
    html = client.get(reverse("integrity:verification_detail", args=["stage", fact.pk])).content.decode()
    assert "暂无处理记录" in html
    services.fact_approve(user=district_a, fact=fact)
    html = client.get(reverse("integrity:verification_detail", args=["stage", fact.pk])).content.decode()
    assert "甲区考核办 ·" in html and "district_a" not in html


def test_refile_forms_offer_the_material_the_record_needs(client, unit_a, staff_a, assessor):
    fund = pending_fund(unit_a, evidence_kind=None)
    services.fact_return(user=assessor, fact=fund, reason="缺少银行回单")
    client.force_login(staff_a)
    for url in (QUEUE, reverse("ledger:project_detail", args=[fund.project_id])):
        html = client.get(url).content.decode()
        form = html.split('class="refile-form', 1)[1].split("</form>", 1)[0]
        assert f'<option value="{EvidenceKind.BANK_RECEIPT}" selected>' in form, url


def test_empty_spot_check_list_says_what_to_do(client, assessor, unit_a, district_a):
    client.force_login(assessor)
    assert "点“新建抽查”" in client.get(reverse("integrity:spotcheck_list")).content.decode()
    client.force_login(district_a)
    assert "还没有涉及本辖区的抽查" in client.get(reverse("integrity:spotcheck_list")).content.decode()


def test_site_visit_form_asks_for_a_unit_in_words(client, assessor, unit_a):
    from zhaoshang.integrity.services.inspections import inspection_plan_create

    plan = inspection_plan_create(user=assessor, period="2024Q1", title="一季度督查", units=[unit_a])
    client.force_login(assessor)
    html = client.get(reverse("integrity:inspection_visit_create", args=[plan.pk])).content.decode()
    assert "请选择单位" in html and "---------" not in html
