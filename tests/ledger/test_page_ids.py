"""A unit user's front pages are taken from each half of the scope (lead unit, shares) and merged
(ledger.selectors.page_ids): the rows and their order must be exactly those of the whole scoped list."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from zhaoshang.ledger import selectors
from zhaoshang.ledger.models import ProjectShare

from ..factories import ProjectFactory, UnitFactory


@pytest.fixture
def mixed_ledger(unit_a, unit_b):
    """Projects led by unit A, shared with A from elsewhere, both, and not A's at all; some dates equal,
    one without a signing date."""
    rng = random.Random(7)
    other = UnitFactory(code="C01", name="丙区")
    made = []
    for i in range(40):
        lead = [unit_a, unit_b, other][i % 3]
        day = None if i == 5 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(20))
        made.append(ProjectFactory(lead_unit=lead, signed_on=day, signed_amount=Decimal(rng.randrange(1, 90) * 100),
                                   name=f"项目{rng.randrange(1000):03d}"))
    for project in made[1::4]:  # shared with A, led by A itself in some cases
        ProjectShare.objects.create(project=project, unit=unit_a, ratio=Decimal("0.4"))
    return made


@pytest.mark.parametrize("sort", ["", "-signed_amount", "name", "unit", "-signed_on"])
def test_front_pages_from_the_halves_equal_the_whole_list(staff_a, mixed_ledger, sort):
    filters = selectors.ProjectFilters(sort=sort)
    qs = selectors.project_list(user=staff_a, filters=filters)
    branches = selectors.scope_branches(user=staff_a, filters=filters)
    whole = list(qs.values_list("id", flat=True))
    assert 15 < len(whole) < 40  # A's own and those shared with it, each once
    for offset in range(0, len(whole) + 5, 7):
        got = selectors.page_ids(qs, offset=offset, limit=7, branches=branches)
        assert got == whole[offset: offset + 7]


@pytest.mark.parametrize("sort", ["", "-signed_amount", "name", "unit", "-signed_on", "code"])
def test_deep_pages_from_both_halves_at_once_equal_the_whole_list(staff_a, mixed_ledger, monkeypatch, sort):
    """Past FRONT_ROWS the halves are read together (UNION ALL with their ordering values) and sliced: every
    page is the whole list's page, ties and the project without a signing date in their places."""
    monkeypatch.setattr(selectors, "FRONT_ROWS", 0)
    filters = selectors.ProjectFilters(sort=sort)
    qs = selectors.project_list(user=staff_a, filters=filters)
    branches = selectors.scope_branches(user=staff_a, filters=filters)
    whole = list(qs.values_list("id", flat=True))
    assert 15 < len(whole) < 40
    for offset in range(0, len(whole) + 5, 6):
        assert selectors.page_ids(qs, offset=offset, limit=6, branches=branches) == whole[offset: offset + 6]
    filtered = selectors.ProjectFilters(sort=sort, amount_min=Decimal("3000"))
    qs = selectors.project_list(user=staff_a, filters=filtered)
    branches = selectors.scope_branches(user=staff_a, filters=filtered)
    assert selectors.page_ids(qs, offset=2, limit=50, branches=branches) == list(qs.values_list("id", flat=True))[2:]


def test_a_filter_applies_to_both_halves(staff_a, mixed_ledger):
    filters = selectors.ProjectFilters(amount_min=Decimal("3000"))
    qs = selectors.project_list(user=staff_a, filters=filters)
    branches = selectors.scope_branches(user=staff_a, filters=filters)
    got = selectors.page_ids(qs, offset=0, limit=100, branches=branches)
    assert got == list(qs.values_list("id", flat=True))
    assert all(p.signed_amount >= 3000 for p in selectors.rows_in_order(got))


def test_a_user_who_sees_everything_has_no_halves(assessor):
    assert selectors.scope_branches(user=assessor) is None


def test_totals_summed_per_half_count_a_project_led_and_shared_once(staff_a, mixed_ledger):
    from ..factories import FundArrivalFactory

    for project in mixed_ledger[:12]:
        FundArrivalFactory(project=project, amount=Decimal("10.5"))
    for flt in (selectors.ProjectFilters(), selectors.ProjectFilters(amount_min=Decimal("3000"))):
        qs = selectors.project_list(user=staff_a, filters=flt)
        halves = selectors.ledger_totals(qs, flt, selectors.scope_branches(user=staff_a, filters=flt))
        assert halves == selectors.ledger_totals(qs, flt)
        assert halves.count == qs.count()
    led_and_shared = [p for p in mixed_ledger[1::4] if p.lead_unit == staff_a.unit]
    assert led_and_shared  # the fixture holds such projects, so the equality above covers them
    from zhaoshang.ledger.models import Project

    Project.objects.filter(pk__in=[p.pk for p in mixed_ledger[::3]]).update(category="")  # 待归类
    waiting = selectors.project_scope(staff_a).filter(category="").count()
    assert waiting > 3
    assert selectors.unclassified_count(staff_a) == waiting


@pytest.mark.parametrize("sort", ["", "-signed_amount", "name", "-signed_on"])
@pytest.mark.parametrize("who", ["assessor", "staff_a"])
def test_a_search_gives_the_same_pages_whichever_way_it_is_paged(request, mixed_ledger, sort, who):
    # A search's matches sorted apart (few of them, or a page deep among them) or found by walking the order
    # index: the same rows in the same order, and a page past the matches is empty without asking.
    user = request.getfixturevalue(who)
    filters = selectors.ProjectFilters(q="项目", sort=sort)
    qs = selectors.project_list(user=user, filters=filters)
    branches = selectors.scope_branches(user=user, filters=filters)
    whole = list(qs.values_list("id", flat=True))
    assert 15 < len(whole) <= 40  # the first pages walked, the deeper ones sorted apart
    for offset in range(0, len(whole) + 3, 2):
        walked = selectors.page_ids(qs, offset=offset, limit=2, branches=branches)
        sorted_apart = selectors.page_ids(qs, offset=offset, limit=2, branches=branches, searched_count=len(whole))
        assert sorted_apart == walked == whole[offset: offset + 2]


def test_a_search_that_matches_nothing_shows_an_empty_page(client, assessor, mixed_ledger):
    client.force_login(assessor)
    resp = client.get("/ledger/", {"q": "无此项目名称"})
    assert resp.status_code == 200
    assert resp.context["totals"].count == 0 and resp.context["projects"] == []
    found = client.get("/ledger/", {"q": "项目0"})
    names = [p.name for p in found.context["projects"]]
    assert names and all("项目0" in n for n in names) and found.context["totals"].count == len(names)


@pytest.mark.parametrize("few", [2, 1000])
def test_a_searchs_totals_are_the_aggregates_of_its_rows(staff_a, assessor, mixed_ledger, monkeypatch, few):
    # Read as rows while the matches are few (one pass), aggregated beyond: the same count, amount and funds.
    from ..factories import FundArrivalFactory

    monkeypatch.setattr(selectors, "FEW_MATCHES", few)
    for project in mixed_ledger[:9]:
        FundArrivalFactory(project=project, amount=Decimal("10.25"))
    mixed_ledger[4].code = "ZS-AbC-9"
    mixed_ledger[4].save()
    for user in (assessor, staff_a):
        for q in ("项目", "项目0", "无此项目", "abc", "ABC"):
            flt = selectors.ProjectFilters(q=q)
            qs = selectors.project_list(user=user, filters=flt)
            totals = selectors.ledger_totals(qs, flt, selectors.scope_branches(user=user, filters=flt))
            rows = list(qs)
            assert totals.count == len(rows), q
            assert totals.signed_amount == sum((p.signed_amount for p in rows), Decimal("0"))
            assert totals.funds == Decimal("10.25") * sum(1 for p in rows if p in mixed_ledger[:9])
    # a Latin term matches in any case; a Chinese one as written
    assert list(selectors.project_list(user=assessor, filters=selectors.ProjectFilters(q="abc"))) == [mixed_ledger[4]]
