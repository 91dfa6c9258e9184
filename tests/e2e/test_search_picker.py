"""Issue 12: past settings.SELECT_LIMIT a unit / person select becomes a search box; in a real browser (under the
Content-Security-Policy) typing fetches the matching options into the select, which then submits as before."""

from __future__ import annotations

import re

import pytest

from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UserRole

from ..factories import PersonFactory, UnitFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page_errors(page) -> list[str]:
    """Script errors and Content-Security-Policy refusals the page reports, collected as it runs."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def test_search_picker_finds_and_submits(page, settings):
    settings.SELECT_LIMIT = 2
    unit = UnitFactory(code="BJ01", name="驻北京招商局", kind="resident_office")
    for _ in range(3):
        UnitFactory()
    wanted = PersonFactory(unit=unit, staff_no="Z0417", name="赵招商")
    for _ in range(3):
        PersonFactory(unit=unit)
    UserFactory(username="kb", role=UserRole.ASSESSOR)
    errors = _page_errors(page)

    login(page, "kb")
    # The ledger filter's unit picker: the search does not change the address (the form's hx-push-url).
    url = page.url
    page.fill("#project-filters .zs-picker input[type=search]", "BJ01")
    page.wait_for_selector(f"#id_unit option[value='{unit.pk}']", state="attached")
    assert page.url == url

    page.goto("/ledger/new/")
    assert page.locator("#id_introducer option").count() == 1  # only the empty choice
    page.fill("#field-introducer input[type=search]", "z0417")
    page.wait_for_selector(f"#id_introducer option[value='{wanted.pk}']", state="attached")
    page.select_option("#id_introducer", value=str(wanted.pk))
    page.fill("#field-lead_unit input[type=search]", "驻北京")
    page.wait_for_selector(f"#id_lead_unit option[value='{unit.pk}']", state="attached")
    page.select_option("#id_lead_unit", value=str(unit.pk))
    page.fill("#id_code", "XM-PICK-1")
    page.fill("#id_name", "检索选择项目")
    page.fill("#id_investor", "某某科技有限公司")
    page.fill("#id_signed_amount", "100")
    page.fill("#id_signed_on", "2024-03-15")
    page.click("#project-submit")
    page.wait_for_url(re.compile(r"/ledger/\d+/$"))
    project = Project.objects.get(code="XM-PICK-1")
    assert (project.introducer_id, project.lead_unit_id) == (wanted.pk, unit.pk)
    assert errors == []


def test_multiple_picker_keeps_choices_across_searches(page, settings):
    """Meeting attendees past the limit: choose one person, search again, choose another; both are submitted."""
    from zhaoshang.chains.models import Meeting

    settings.SELECT_LIMIT = 2
    unit = UnitFactory(code="BJ01", name="驻北京招商局", kind="resident_office")
    zhao = PersonFactory(unit=unit, staff_no="Z0417", name="赵招商")
    qian = PersonFactory(unit=unit, staff_no="Q0520", name="钱对接")
    for _ in range(3):
        PersonFactory(unit=unit)
    UserFactory(username="kb", role=UserRole.ASSESSOR)
    errors = _page_errors(page)

    login(page, "kb")
    page.goto("/chains/meetings/new/")
    assert page.locator("#id_attendees option").count() == 0  # nobody chosen, nobody listed
    page.fill("#field-attendees input[type=search]", "赵")
    page.wait_for_selector(f"#id_attendees option[value='{zhao.pk}']", state="attached")
    page.select_option("#id_attendees", value=[str(zhao.pk)])
    page.fill("#field-attendees input[type=search]", "q0520")
    page.wait_for_selector(f"#id_attendees option[value='{qian.pk}']", state="attached")
    assert page.locator(f"#id_attendees option[value='{zhao.pk}']").evaluate("o => o.selected")  # still chosen
    page.locator(f"#id_attendees option[value='{qian.pk}']").evaluate("o => { o.selected = true; }")
    page.select_option("#id_kind", value="dispatch")
    page.fill("#id_title", "3月上半月调度会")
    page.fill("#id_date", "2024-03-12")
    page.select_option("#id_organiser", value=str(unit.pk))  # one unit: an ordinary select
    page.click("#meeting-submit")
    page.wait_for_url(re.compile(r"/chains/meetings/\d+/$"))
    meeting = Meeting.objects.get(title="3月上半月调度会")
    assert set(meeting.attendees.values_list("pk", flat=True)) == {zhao.pk, qian.pk}
    assert errors == []
