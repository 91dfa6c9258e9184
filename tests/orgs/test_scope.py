from zhaoshang.ledger.selectors import project_list
from zhaoshang.orgs.scope import visible_unit_ids

from ..factories import ProjectFactory


def test_unit_staff_sees_own_unit_and_children(staff_a, unit_a, unit_a_child, unit_b):
    assert visible_unit_ids(staff_a) == {unit_a.id, unit_a_child.id}


def test_assessor_and_leader_see_everything(assessor, leader):
    assert visible_unit_ids(assessor) is None
    assert visible_unit_ids(leader) is None


def test_projects_of_children_and_shared_projects_are_visible(staff_a, unit_a, unit_a_child, unit_b, project_b):
    child_project = ProjectFactory(lead_unit=unit_a_child)
    shared = ProjectFactory(lead_unit=unit_b)
    shared.shares.create(unit=unit_a, ratio="0.4")
    shared.shares.create(unit=unit_b, ratio="0.6")
    visible = set(project_list(user=staff_a).values_list("id", flat=True))
    assert visible == {child_project.id, shared.id}
    assert project_b.id not in visible


def test_a_unit_sees_every_level_below_it_and_nothing_beside(db):
    from zhaoshang.orgs.scope import descendant_ids

    from ..factories import UnitFactory

    city = UnitFactory(code="S0")
    county = UnitFactory(code="S1", parent=city)
    town = UnitFactory(code="S11", parent=county)
    village = UnitFactory(code="S111", parent=town)
    zone = UnitFactory(code="S2", parent=city)
    other = UnitFactory(code="T0")
    UnitFactory(code="T1", parent=other)
    assert descendant_ids(city.pk) == {city.pk, county.pk, town.pk, village.pk, zone.pk}
    assert descendant_ids(county.pk) == {county.pk, town.pk, village.pk}
    assert descendant_ids(village.pk) == {village.pk}
