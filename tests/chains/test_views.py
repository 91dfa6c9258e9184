"""The chain pages as a user meets them: the chain with its segments and totals, the ledger filtered to a
segment agreeing with them, targets of other units answered 404, the guide and minutes as Word files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import ProjectFactory
from zhaoshang.chains.models import ChainProjectLink, Meeting, TargetEnterprise
from zhaoshang.ledger import selectors as ledger_selectors
from zhaoshang.ledger.selectors import ProjectFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def landed(chain, unit_a, unit_b):
    """动力电池: A's two projects (30,000 + 20,000万元) and B's one (70,000万元)."""
    seg = chain.segs["动力电池"]
    for code, unit, amount in (("XM-A1", unit_a, "30000"), ("XM-A2", unit_a, "20000"), ("XM-B1", unit_b, "70000")):
        project = ProjectFactory(code=code, lead_unit=unit, signed_amount=Decimal(amount))
        ChainProjectLink.objects.create(project=project, segment=seg)
    TargetEnterprise.objects.create(name="乙县的目标", segment=seg, following_unit=unit_b)
    return seg


def test_chain_page_shows_segments_break_and_totals_in_the_users_scope(client, chain, landed, staff_a, assessor):
    client.force_login(staff_a)
    page = client.get(reverse("chains:chain_detail", args=[chain.pk])).content.decode()
    assert "电池材料" in page and "本地无正极材料企业" in page and "table-danger" in page
    assert 'data-value="2"' in page and "5.00亿元" in page  # A sees its own two projects only
    assert 'id="chain-data"' in page and "<script>" not in page.replace('<script src', '')
    client.force_login(assessor)
    page = client.get(reverse("chains:chain_detail", args=[chain.pk])).content.decode()
    assert 'data-value="3"' in page and "12.00亿元" in page


def test_ledger_filtered_to_a_segment_agrees_with_the_chain_page(client, chain, landed, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("ledger:project_list"), {"segment": landed.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "XM-A1" in page and "XM-A2" in page and "XM-B1" not in page
    assert "产业链环节：新能源汽车 · 动力电池" in page
    totals = ledger_selectors.ledger_totals(ledger_selectors.project_list(
        user=staff_a, filters=ProjectFilters(extra={"segment": landed.pk})))
    assert (totals.count, totals.signed_amount) == (2, Decimal("50000"))
    # Another segment has none; a hand-edited value is refused with the filter named.
    other = client.get(reverse("ledger:project_list"), {"segment": chain.segs["整车"].pk}).content.decode()
    assert "XM-A1" not in other
    assert client.get(reverse("ledger:project_list"), {"segment": "abc"}).status_code == 400


def test_targets_of_other_units_are_not_found(client, chain, landed, staff_a):
    client.force_login(staff_a)
    other = TargetEnterprise.objects.get()
    assert client.get(reverse("chains:target_detail", args=[other.pk])).status_code == 404
    assert "乙县的目标" not in client.get(reverse("chains:target_list")).content.decode()


def test_guide_and_minutes_download_as_word(client, chain, landed, assessor, unit_a):
    client.force_login(assessor)
    response = client.get(reverse("chains:chain_guide", args=[chain.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "新能源汽车产业招商指南" in text and "已有整车企业两家" in text and "固定资产投资补助" in text
    meeting = Meeting.objects.create(kind="chain", title="3月产业链例会", date=dt.date(2024, 3, 28), organiser=unit_a,
                                     decisions="加快推进动力电池项目")
    response = client.get(reverse("chains:meeting_minutes", args=[meeting.pk]))
    doc = Document(io.BytesIO(response.content))
    assert "3月产业链例会纪要" in doc.paragraphs[0].text
    assert "加快推进动力电池项目" in "\n".join(p.text for p in doc.paragraphs)


def test_cockpit_has_the_chains_and_meeting_flags(client, chain, landed, assessor, unit_a):
    from zhaoshang.chains.models import ActionItem

    meeting = Meeting.objects.create(kind="chain", title="产业链例会", date=dt.date(2024, 3, 28), organiser=unit_a)
    ActionItem.objects.create(meeting=meeting, text="补齐正极材料环节", owner_unit=unit_a, deadline=dt.date(2024, 4, 1))
    client.force_login(assessor)
    page = client.get(reverse("reports:cockpit")).content.decode()
    assert 'id="cockpit-chains"' in page and "新能源汽车" in page
    assert "甲区：督办事项“补齐正极材料环节”逾期" in page


def test_ledger_filters_by_build_kind_and_investor_tag(client, unit_a, staff_a):
    ProjectFactory(code="XM-F500-NEW", lead_unit=unit_a, investor_tags="|fortune500|listed|", build_kind="new")
    ProjectFactory(code="XM-F500-OLD", lead_unit=unit_a, investor_tags="|fortune500|", build_kind="continued")
    ProjectFactory(code="XM-PLAIN", lead_unit=unit_a, build_kind="new")
    client.force_login(staff_a)
    page = client.get(reverse("ledger:project_list"), {"tag": "fortune500", "build_kind": "new"}).content.decode()
    assert "XM-F500-NEW" in page and "XM-F500-OLD" not in page and "XM-PLAIN" not in page
    page = client.get(reverse("ledger:project_list"), {"tag": "fortune500"}).content.decode()
    assert "XM-F500-NEW" in page and "XM-F500-OLD" in page and "XM-PLAIN" not in page
