"""目标企业库: a target moves to 在谈 and becomes a ledger project through the ledger's own service, keeping
the link; USCC and dates are checked; a unit user sees only the targets their units follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from zhaoshang.chains import selectors, services
from zhaoshang.chains.models import ChainProjectLink, ContactStatus, TargetEnterprise
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import services as ledger_services

pytestmark = pytest.mark.django_db


def make_target(user, segment, unit, **kw):
    fields = {"name": "宁德某电池有限公司", "uscc": "91110000600037341L", "segment": segment, "tags": ["fortune500"],
              "region": "福建宁德", "status": ContactStatus.CONTACTED, "following_unit": unit,
              "first_contact_on": dt.date(2024, 1, 10)}
    fields.update(kw)
    return services.target_save(user=user, **fields)


def test_a_converted_target_keeps_its_link_and_lands_in_its_segment(chain, staff_a, unit_a):
    target = make_target(staff_a, chain.segs["动力电池"], unit_a)
    project = services.target_convert(user=staff_a, target=target, code="XM-T-1", name="动力电池项目",
                                      lead_unit=unit_a, signed_amount=Decimal("0"), build_kind="new")
    target.refresh_from_db()
    assert target.project == project and target.status == ContactStatus.NEGOTIATING
    assert project.investor == "宁德某电池有限公司" and project.investor_uscc == "91110000600037341L"
    assert project.investor_tags == "|fortune500|" and project.build_kind == "new"
    assert project.industry_chain == "新能源汽车" and project.category == "C"
    assert ChainProjectLink.objects.get(project=project).segment == chain.segs["动力电池"]
    assert project.history.count() == 1 and target.history.count() == 2
    with pytest.raises(ApplicationError, match="已转为项目"):
        services.target_convert(user=staff_a, target=target, code="XM-T-2", name="重复", lead_unit=unit_a)

    # Signing the project in the ledger marks the target 已签约 (ledger hook).
    ledger_services.project_update(user=staff_a, project=project, expected_version=project.version,
                                   signed_on=dt.date(2024, 3, 1), signed_amount=Decimal("80000"))
    target.refresh_from_db()
    assert target.status == ContactStatus.SIGNED


def test_bad_uscc_and_missing_first_contact_are_refused_naming_the_field(chain, staff_a, unit_a):
    with pytest.raises(ApplicationError) as exc:
        make_target(staff_a, chain.segs["整车"], unit_a, uscc="91110000600037341X")
    assert "uscc" in exc.value.field_errors and "校验位" in exc.value.message
    target = make_target(staff_a, chain.segs["整车"], unit_a, status=ContactStatus.NOT_CONTACTED,
                         first_contact_on=None)
    # Moving it on without a date records today as the first contact.
    services.target_save(user=staff_a, target=target, status=ContactStatus.CONTACTED)
    target.refresh_from_db()
    assert target.first_contact_on is not None
    assert TargetEnterprise.objects.count() == 1


def test_unit_users_see_and_change_only_their_units_targets(chain, staff_a, staff_b, unit_a, unit_b, assessor):
    mine = make_target(staff_a, chain.segs["整车"], unit_a)
    theirs = make_target(staff_b, chain.segs["整车"], unit_b, name="乙县跟进企业", uscc="")
    assert list(selectors.target_list(user=staff_a)) == [mine]
    assert set(selectors.target_list(user=assessor)) == {mine, theirs}
    with pytest.raises(Http404):
        selectors.target_get(user=staff_a, pk=theirs.pk)
    with pytest.raises(PermissionDeniedError):
        services.target_save(user=staff_a, target=theirs, note="改别人的")
    with pytest.raises(PermissionDeniedError):
        make_target(staff_a, chain.segs["整车"], unit_b, name="挂到乙县")
    # Figures on the chain page count only what the user may see.
    figures = selectors.chain_figures(user=staff_a, chain=chain)
    assert figures.targets == 1
