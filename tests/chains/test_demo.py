"""The demo city has chains, targets, tags, meetings and action items, so every chain page shows real
content (acceptance 4)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.activities.reminders import collect
from zhaoshang.chains.models import (
    ActionItem,
    ChainProjectLink,
    IndustryChain,
    Meeting,
    SegmentGap,
    TargetEnterprise,
    TaskForce,
)
from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import User

pytestmark = pytest.mark.django_db


def test_demo_city_has_chains_targets_tags_and_meetings(client, tmp_path):
    load_demo_city()
    assert IndustryChain.objects.count() >= 5 and TaskForce.objects.count() >= 3
    assert SegmentGap.objects.filter(kind="break").exists()
    assert ChainProjectLink.objects.exists()
    assert TargetEnterprise.objects.exclude(project=None).exists()
    assert Project.objects.filter(investor_tags__contains="|fortune500|").exists()
    assert Project.objects.filter(build_kind="new").exists() and Project.objects.filter(build_kind="continued").exists()
    assert Meeting.objects.filter(kind="dispatch").exists() and Meeting.objects.filter(kind="chain").exists()
    kinds = {r.kind for r in collect(user=None, as_of=today()).items}
    assert {"meeting", "action"} <= kinds
    assert ActionItem.objects.filter(done=True).exists()

    client.force_login(User.objects.get(username="assessor"))
    chain = IndustryChain.objects.order_by("order").first()
    page = client.get(reverse("chains:chain_detail", args=[chain.pk])).content.decode()
    assert "断点" in page and "table-danger" in page
    assert "没有符合条件的目标企业" not in client.get(reverse("chains:target_list")).content.decode()
    assert "尚无会议记录" not in client.get(reverse("chains:meeting_list")).content.decode()

    out = io.StringIO()
    call_command("chain", "list", stdout=out)
    assert chain.name in out.getvalue() and "条产业链" in out.getvalue()
    path = tmp_path / "招商指南.docx"
    call_command("chain", "guide", "--chain", chain.name, "-o", str(path), stdout=io.StringIO())
    assert path.stat().st_size > 5000
