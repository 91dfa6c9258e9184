"""招商干部 (issue 13): the roster, each cadre's result from the projects credited to them, the 无实绩
list and what followed, and the unit scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, ProjectFactory, UnitFactory, UserFactory
from zhaoshang.activities import cadres
from zhaoshang.activities.models import Cadre, CadreFollowUp
from zhaoshang.activities.services import cadres as services
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger import credits
from zhaoshang.orgs.choices import UnitKind, UserRole

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def team(unit_a):
    """专班 ZB (under 甲区) with three cadres from 甲区: 赵 introduced 60 % of a 10,000 万元 project a month
    ago and served another as 帮办秘书; 钱 did nothing for more than a year; 孙 joined three months ago."""
    zb = UnitFactory(code="ZB1", name="新能源汽车产业专班", kind=UnitKind.TASK_FORCE, parent=unit_a)
    zhao, qian, sun, other = (PersonFactory(staff_no=f"C{i}", name=n, unit=unit_a)
                              for i, n in enumerate(("赵", "钱", "孙", "周")))
    assessor = UserFactory(username="cadre-assessor", role=UserRole.ASSESSOR)
    now = today()
    p1 = ProjectFactory(lead_unit=zb, introducer=zhao, signed_on=now - dt.timedelta(days=30),
                        signed_amount=D(10000))
    credits.project_set_credits(user=assessor, project=p1, role="introducer", credits=[(zhao, D("0.6")),
                                                                                         (other, D("0.4"))])
    ProjectFactory(lead_unit=zb, assisting_secretary=zhao, signed_on=now - dt.timedelta(days=60),
                   signed_amount=D(3000))
    # 钱's only project is older than twelve months
    ProjectFactory(lead_unit=zb, introducer=qian, signed_on=now - dt.timedelta(days=500), signed_amount=D(9000))
    long_ago = now - dt.timedelta(days=400)
    made = {n: services.cadre_create(user=assessor, person=p, team=zb, term_start=start, full_time=True,
                                     original_post="甲区商务局副局长")
            for n, p, start in (("赵", zhao, long_ago), ("钱", qian, long_ago),
                                ("孙", sun, now - dt.timedelta(days=90)))}
    return {"zb": zb, "assessor": assessor, **made}


def test_the_result_counts_each_share_of_the_last_twelve_months(team):
    start, end = cadres.last_twelve_months()
    res = cadres.results([team["赵"].person_id, team["钱"].person_id], start, end)
    zhao = res[team["赵"].person_id]
    # 60 % of one project (10,000 × 0.6 = 6,000 万元) introduced, one project (3,000 万元) served whole
    assert (zhao.introduced, zhao.introduced_amount, zhao.served, zhao.served_amount) == (
        D("0.6"), D("6000"), D(1), D("3000"))
    assert team["钱"].person_id not in res  # 钱's project is 500 days old


def test_a_term_defaults_to_two_years(team):
    cadre = team["赵"]
    assert cadre.term_end == cadre.term_start.replace(year=cadre.term_start.year + 2) - dt.timedelta(days=1)
    assert cadre.unit.name == "甲区" and cadre.full_time


def test_the_idle_list_names_the_cadre_without_result(team):
    # 赵 has a result; 孙 has not served twelve months yet
    assert [c.person.name for c in cadres.idle(user=team["assessor"])] == ["钱"]


def test_staying_needs_a_reason_and_everything_is_in_the_history(team):
    qian = team["钱"]
    with pytest.raises(ApplicationError) as exc:
        services.cadre_follow_up(user=team["assessor"], cadre=qian, date=today(), action="retain", reason=" ")
    assert "留任须说明理由" in exc.value.message
    services.cadre_follow_up(user=team["assessor"], cadre=qian, date=today(), action="talk", reason="约谈提醒")
    services.cadre_follow_up(user=team["assessor"], cadre=qian, date=today(), action="retain",
                             reason="在谈项目两个，预计下季度签约")
    [idle] = cadres.idle(user=team["assessor"])
    assert idle.last_follow_up.get_action_display() == "留任"
    assert CadreFollowUp.history.filter(cadre_id=qian.pk).count() == 2


def test_moving_a_cadre_ends_the_term(team):
    qian = team["钱"]
    services.cadre_follow_up(user=team["assessor"], cadre=qian, date=today(), action="adjust",
                             reason="调整回原单位")
    qian.refresh_from_db()
    assert qian.term_end == today()
    assert cadres.idle(user=team["assessor"], on=today() + dt.timedelta(days=1)) == []
    assert Cadre.history.filter(id=qian.pk, term_end=today()).exists()


def test_unit_users_see_only_their_units_cadres(team, client, staff_a, staff_b):
    assert cadres.cadre_list(user=staff_b).count() == 0
    assert cadres.cadre_list(user=staff_a).count() == 3
    client.force_login(staff_b)
    assert client.get(reverse("activities:cadre_detail", args=[team["钱"].pk])).status_code == 404
    assert "钱" not in client.get(reverse("activities:cadre_idle")).content.decode()
    with pytest.raises(PermissionDeniedError):
        services.cadre_follow_up(user=staff_b, cadre=team["钱"], date=today(), action="talk", reason="越权")


def test_the_pages_show_the_roster_and_record_a_follow_up(team, client, staff_a):
    client.force_login(staff_a)
    roster = client.get(reverse("activities:cadre_list")).content.decode()
    assert "新能源汽车产业专班" in roster and "6,000.00" in roster and "无实绩 1 人" in roster
    idle = client.get(reverse("activities:cadre_idle")).content.decode()
    assert "钱" in idle and "待处理" in idle and "赵" not in idle
    url = reverse("activities:cadre_detail", args=[team["钱"].pk])
    body = client.post(url, {"action": "retain", "date": today().isoformat(), "reason": ""}).content.decode()
    assert "留任须说明理由" in body
    assert client.post(url, {"action": "talk", "date": today().isoformat(), "reason": "约谈"}).status_code == 302
    assert "约谈" in client.get(reverse("activities:cadre_idle")).content.decode()
