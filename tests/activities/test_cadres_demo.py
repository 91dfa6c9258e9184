"""The demo city shows issue 13's people part: credit splits, 招商干部 with some 无实绩 and what followed,
a 产业专班's budget with expenses, and the 淮阴先进个人 preset ranks its 引资人 and 帮办秘书."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.activities import cadres, teams
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.core.periods import today
from zhaoshang.ledger.models import ProjectCredit
from zhaoshang.orgs.models import Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(settings, tmp_path):
    from zhaoshang.demo.city import load_demo_city

    settings.MEDIA_ROOT = tmp_path / "media"  # the demo writes evidence files
    load_demo_city()


def test_the_demo_has_people_and_team_money(demo_city):
    assert ProjectCredit.objects.filter(role="introducer").exists()
    assert ProjectCredit.objects.filter(role="secretary").exists()
    assessor = User.objects.get(username="assessor")
    idle = cadres.idle(user=assessor)
    assert idle and any(c.follow_ups.exists() for c in idle)
    assert len(cadres.cadre_list(user=assessor)) > len(idle)
    team = Unit.objects.filter(kind="task_force").order_by("code").first()
    account = teams.account(team, today().year)
    assert account.is_team and account.lead_unit is not None
    assert account.summary.approved_yuan > 0 and account.summary.remaining_yuan > 0
    # the 淮阴先进个人 preset finds its 引资人 and 帮办秘书 in the demo city
    data = to_json(run_scheme(load_preset("huaiyin-2020-persons"), str(today().year - 1)))
    results = data["results"]
    assert results and any(Decimal(r["total"]) > 0 for r in results)
    assert any(Decimal(r["items"][1]["points"]) > 0 for r in results if len(r["items"]) > 1)
