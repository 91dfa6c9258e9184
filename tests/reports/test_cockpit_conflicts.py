"""The cockpit's 跨组别重复计入: counted in SQL and only the rows shown fetched, the same projects and
messages as the assessment finds (`conflicting_projects` under the units' own groups), scoped like the
ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.assessment.helpers import project
from tests.factories import UnitFactory, UserFactory
from zhaoshang.assessment.engine.measures import Window, conflicting_projects
from zhaoshang.ledger.models import ProjectShare
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import UnitGroup
from zhaoshang.reports import cockpit
from zhaoshang.reports.cockpit import cockpit_data

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)


def share(p, unit, ratio):
    ProjectShare.objects.create(project=p, unit=unit, ratio=Decimal(ratio))


@pytest.fixture
def shared(city):
    bj, sh, _gz = city["offices"]
    qa, qb = city["districts"]
    p1, p2, p3, _p4, p5, p6 = city["projects"]
    share(p1, bj, "0.5"), share(p1, qa, "0.5")  # an office and a district: a conflict
    share(p3, sh, "0.6"), share(p3, bj, "0.4")  # two offices: the same group, no conflict
    share(p5, qb, "1")  # lead 甲区, share 乙县: both 区县, no conflict
    share(p6, bj, "0.3"), share(p6, qb, "0.7")  # lead 乙县, a share in 驻点招商局: a conflict
    nogroup = UnitFactory(code="QT01", name="无组别单位", group=None)
    share(p2, nogroup, "0.5"), share(p2, bj, "0.5")  # a unit without a group holds nothing apart
    late = project(qa, "2024-05-01", 100, code="XM-LATE", name="四月后签约项目")
    share(late, qa, "0.5"), share(late, bj, "0.5")  # signed after the as-of date: not yet
    return city


def test_the_same_conflicts_as_the_assessment(shared, assessor):
    groups = list(UnitGroup.objects.values_list("name", flat=True))
    expected = conflicting_projects(groups, Window(dt.date(2024, 1, 1), AS_OF, AS_OF))
    flags = cockpit_data(user=assessor, year=2024, as_of=AS_OF)["flags"]
    assert flags["conflict_count"] == len(expected) == 2
    assert [c["project"]["code"] for c in flags["conflicts"]] == ["XM-BJ-1", "XM-QB-1"]
    assert [(c["project"], c["units"], c["message"]) for c in flags["conflicts"]] == [
        (e["project"], e["units"], e["message"]) for e in expected
    ]
    assert all(c["link"].startswith("/ledger/") for c in flags["conflicts"])


def test_a_unit_user_sees_only_their_projects_conflicts(shared, bj_staff):
    # 驻北京招商局 holds both conflicting projects (one as a share); 驻上海招商局 holds neither.
    flags = cockpit_data(user=bj_staff, year=2024, as_of=AS_OF)["flags"]
    assert flags["conflict_count"] == 2
    sh_staff = UserFactory(username="sh_staff", role=UserRole.UNIT_STAFF, unit=shared["offices"][1])
    flags = cockpit_data(user=sh_staff, year=2024, as_of=AS_OF)["flags"]
    assert flags["conflict_count"] == 0 and flags["conflicts"] == []


def test_only_the_rows_shown_are_fetched(shared, assessor, monkeypatch):
    monkeypatch.setattr(cockpit, "CONFLICTS_SHOWN", 1)
    flags = cockpit_data(user=assessor, year=2024, as_of=AS_OF)["flags"]
    assert flags["conflict_count"] == 2
    assert [c["project"]["code"] for c in flags["conflicts"]] == ["XM-BJ-1"]
