"""The demo city has three years of yields, requests (some overdue), visits, talent and 跑办 items; the pages,
the cockpit and the Huaiyin 产出质效 item show real content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.aftercare.models import InvestorRequest, LiaisonItem, Talent, TalentShare
from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city
from zhaoshang.ledger.models import ProjectYield
from zhaoshang.orgs.models import User
from zhaoshang.reports.cockpit import cockpit_data
from zhaoshang.targets.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_shows_yields_requests_talent_and_liaison(client):
    load_demo_city()
    now = today()
    assert len(set(ProjectYield.objects.values_list("year", flat=True))) >= 3
    assert InvestorRequest.objects.filter(status="open", deadline__lt=now).exists()
    assert InvestorRequest.objects.filter(status="answered").exists()
    assert TalentShare.objects.exists() and Talent.objects.count() > 20
    assert LiaisonItem.objects.filter(unit__name="驻北京招商局").count() > 10
    assert Target.objects.filter(indicator="产出质效").exists()
    assessor = User.objects.get(username="assessor")
    data = cockpit_data(user=assessor)
    assert data["aftercare"]["tax_per_mu"] and data["aftercare"]["request_count"] > 0
    client.force_login(assessor)
    for name in ("aftercare:index", "aftercare:request_list", "aftercare:visit_list", "aftercare:talent_list",
                 "aftercare:liaison_list"):
        page = client.get(reverse(name)).content.decode()
        assert "暂无" not in page, name
    producing = ProjectYield.objects.order_by("project_id").first().project
    assert "亩均税收" in client.get(reverse("ledger:project_detail", args=[producing.pk])).content.decode()
