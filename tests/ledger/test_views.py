"""The ledger pages as a user meets them: what each of the three named users sees, what a bad
entry says and where, and that nothing half-saves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageEvidence
from zhaoshang.ledger.selectors import ledger_totals, project_list

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db

LIST = reverse("ledger:project_list")
CREATE = reverse("ledger:project_create")


def detail(project):
    return reverse("ledger:project_detail", args=[project.pk])


def edit(project):
    return reverse("ledger:project_edit", args=[project.pk])


def project_post(unit, **overrides) -> dict:
    """What the browser sends for a complete, valid new project."""
    data = {
        "code": "XM-NEW-1", "name": "甲区储能项目", "investor": "某某储能科技有限公司",
        "investor_uscc": "91110000600037341L", "investor_origin": "深圳", "industry": "新能源", "industry_chain": "",
        "category": "C", "foreign_amount": "", "planned_investment": "120,000",
        "signed_amount": "80,000.50", "lead_unit": str(unit.pk), "introducer": "", "assisting_unit": "",
        "assisting_secretary": "", "status": "advancing", "status_reason": "", "signed_on": "2024-03-01",
        "signed_at_event": "", "registered_on": "", "started_on": "", "completed_on": "", "producing_on": "",
        "version": "",
    }
    data.update(overrides)
    return data


def edit_post(project, **overrides) -> dict:
    data = project_post(project.lead_unit, code=project.code, name=project.name, investor=project.investor,
                        investor_uscc=project.investor_uscc, signed_amount=str(project.signed_amount),
                        signed_on=f"{project.signed_on:%Y-%m-%d}", version=str(project.version))
    data.update(overrides)
    return data


def field_errors(response, field) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# ---------------------------------------------------------------------------------------------
# Scope


def test_login_required(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unit_staff_sees_only_own_projects(client, staff_a, project_a, project_b):
    client.force_login(staff_a)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="project-table"' in html
    assert project_a.code in html
    assert project_b.code not in html
    assert response.context["totals"].count == 1


def test_assessor_sees_all_projects(client, assessor, project_a, project_b):
    client.force_login(assessor)
    html = client.get(LIST).content.decode()
    assert project_a.code in html and project_b.code in html


def test_shared_project_visible_to_sharing_unit(client, staff_b, project_a, unit_b):
    ProjectShare.objects.create(project=project_a, unit=unit_b, ratio=Decimal("0.4"))
    client.force_login(staff_b)
    assert project_a.code in client.get(LIST).content.decode()
    # Seeing a shared project does not make it editable by the sharing unit.
    assert client.get(edit(project_a)).status_code == 403


def test_detail_of_other_units_project_is_404(client, staff_a, project_b):
    client.force_login(staff_a)
    assert client.get(detail(project_b)).status_code == 404
    assert client.get(edit(project_b)).status_code == 404


def test_detail_shows_fields_and_actions(client, staff_a, project_a):
    client.force_login(staff_a)
    html = client.get(detail(project_a)).content.decode()
    assert project_a.name in html and "50,000.00" in html
    assert "由引资单位全额持有" in html
    for label in ("编辑", "登记到位资金", "阶段备案", "设置共享"):
        assert label in html


def test_leader_reads_but_cannot_create(client, leader, project_a):
    client.force_login(leader)
    html = client.get(LIST).content.decode()
    assert project_a.code in html and 'id="project-create"' not in html
    assert 'id="project-actions"' not in client.get(detail(project_a)).content.decode()
    for response in (client.get(CREATE), client.post(CREATE, project_post(project_a.lead_unit))):
        assert response.status_code == 403
        assert "只读" in response.content.decode()
    assert not Project.objects.filter(code="XM-NEW-1").exists()


def test_leader_cannot_record_funds(client, leader, project_a):
    client.force_login(leader)
    url = reverse("ledger:fund_create", args=[project_a.pk])
    response = client.post(url, {"date": "2024-03-01", "amount": "10", "kind": "fixed_asset"})
    assert response.status_code == 403
    assert not FundArrival.objects.exists()


# ---------------------------------------------------------------------------------------------
# List: filters, sorting, paging, totals, queries


def test_filters_sort_and_htmx_partial(client, assessor, unit_a, unit_b):
    ProjectFactory(lead_unit=unit_a, code="XM-1", name="光伏一期", signed_amount=Decimal("100"))
    ProjectFactory(lead_unit=unit_a, code="XM-2", name="电池二期", signed_amount=Decimal("300"))
    ProjectFactory(lead_unit=unit_b, code="XM-3", name="光伏三期", signed_amount=Decimal("200"),
                   signed_on=dt.date(2023, 5, 1))
    client.force_login(assessor)

    codes = lambda r: [p.code for p in r.context["projects"]]  # noqa: E731
    assert codes(client.get(LIST, {"unit": unit_a.pk, "sort": "-signed_amount"})) == ["XM-2", "XM-1"]
    assert codes(client.get(LIST, {"q": "光伏", "sort": "code"})) == ["XM-1", "XM-3"]
    assert codes(client.get(LIST, {"year": "2023"})) == ["XM-3"]
    assert codes(client.get(LIST, {"amount_min": "150", "amount_max": "1,000", "sort": "signed_amount"})) == [
        "XM-3", "XM-2"]

    partial = client.get(LIST, {"sort": "code"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and 'id="ledger-results"' in html and 'id="project-table"' in html
    assert "HX-Request" in partial["Vary"]


def test_invalid_filter_is_ignored_not_an_error(client, assessor, project_a):
    client.force_login(assessor)
    response = client.get(LIST, {"year": "abc"})
    assert response.status_code == 200
    assert project_a.code in response.content.decode()


def test_totals_row_sums_the_whole_filtered_set(client, settings, staff_a, unit_a, unit_b):
    settings.LEDGER_PAGE_SIZE = 2
    amounts = [Decimal("1234.5"), Decimal("1000"), Decimal("0.25")]
    projects = [ProjectFactory(lead_unit=unit_a, signed_amount=a) for a in amounts]
    FundArrivalFactory(project=projects[0], amount=Decimal("10.5"))
    FundArrivalFactory(project=projects[2], amount=Decimal("2"))
    other = ProjectFactory(lead_unit=unit_b, signed_amount=Decimal("99999"))
    FundArrivalFactory(project=other, amount=Decimal("500"))
    client.force_login(staff_a)

    response = client.get(LIST)
    totals = response.context["totals"]
    assert totals.count == 3
    assert totals.signed_amount == sum(amounts)
    assert totals.funds == Decimal("12.5")
    assert len(response.context["projects"]) == 2  # one page, but totals cover all three
    html = response.content.decode()
    assert 'id="ledger-totals"' in html
    assert 'data-total="count" data-value="3"' in html
    assert 'data-total="signed_amount" data-value="2234.75">2,234.75<' in html
    assert 'data-total="funds" data-value="12.50">12.50<' in html

    page2 = client.get(LIST, {"page": 2})
    assert len(page2.context["projects"]) == 1 and page2.context["page"] == 2
    assert client.get(LIST, {"page": 99}).context["page"] == 2


def test_per_project_funds_on_the_page(client, assessor, project_a):
    FundArrivalFactory(project=project_a, amount=Decimal("1500"))
    FundArrivalFactory(project=project_a, amount=Decimal("500.25"))
    client.force_login(assessor)
    (row,) = client.get(LIST).context["projects"]
    assert row.funds_total == Decimal("2000.25")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_projects(client, staff_a, unit_a):
    client.force_login(staff_a)
    for _ in range(5):
        FundArrivalFactory(project=ProjectFactory(lead_unit=unit_a))
    few = _list_queries(client)
    for _ in range(55):
        FundArrivalFactory(project=ProjectFactory(lead_unit=unit_a))
    many = _list_queries(client)
    assert many == few, f"{few} queries for 5 projects, {many} for 60"
    # 11th: the count of share changes waiting for the unit's consent (issue 11). A unit user's totals, 待归类
    # count and first page are read per half of the scope (lead / shared; ledger.selectors): a few more
    # queries, each an index lookup, instead of one UNION of the whole scope per figure (issue 12)
    assert few <= 17


# ---------------------------------------------------------------------------------------------
# Create and edit


def test_create_saves_and_redirects(client, staff_a, unit_a):
    client.force_login(staff_a)
    response = client.post(CREATE, project_post(unit_a))
    project = Project.objects.get(code="XM-NEW-1")
    assert response.status_code == 302 and response["Location"] == detail(project)
    assert project.signed_amount == Decimal("80000.50") and project.planned_investment == Decimal("120000")
    assert project.created_by == staff_a and project.stage == "signed"
    assert "已保存" in client.get(response["Location"]).content.decode()


def test_investor_tags_are_ticked_per_option_and_saved(client, staff_a, unit_a):
    """投资方标签: one labelled check box per tag (never the labels stacked letter by letter), saved as ticked."""
    client.force_login(staff_a)
    page = client.get(CREATE).content.decode()
    block = page[page.index('id="field-investor_tags"'):]
    block = block[: block.index("</fieldset>")]
    assert block.count('class="form-check form-check-inline"') == 6
    assert '<label class="form-check-label" for="id_investor_tags_0">世界500强</label>' in block
    client.post(CREATE, {**project_post(unit_a), "investor_tags": ["fortune500", "listed"], "build_kind": "new"})
    project = Project.objects.get(code="XM-NEW-1")
    assert (project.investor_tags, project.build_kind) == ("|fortune500|listed|", "new")
    assert "世界500强" in client.get(detail(project)).content.decode()


def test_create_form_offers_only_units_in_scope(client, staff_a, unit_a, unit_b):
    client.force_login(staff_a)
    form = client.get(CREATE).context["form"]
    assert list(form.fields["lead_unit"].queryset) == [unit_a]
    response = client.post(CREATE, project_post(unit_b))
    assert field_errors(response, "lead_unit")
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registered_on": "2024-05-01", "started_on": "2024-04-01"}, "started_on", "不能早于注册日期"),
        ({"signed_amount": "-5"}, "signed_amount", "金额不能为负数"),
        ({"investor_uscc": "91350100M000100Y4Z"}, "investor_uscc", "统一社会信用代码"),
        ({"status": "stalled", "status_reason": ""}, "status_reason", "必须填写原因"),
    ],
)
def test_invalid_create_shows_message_beside_field(client, staff_a, unit_a, overrides, field, message):
    client.force_login(staff_a)
    response = client.post(CREATE, project_post(unit_a, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in field_errors(response, field)), response.context["form"].errors
    html = response.content.decode()
    assert f'data-error-for="{field}"' in html and message in html
    assert not Project.objects.exists()


def test_edit_updates_and_history_shows_before_after(client, staff_a, project_a):
    client.force_login(staff_a)
    response = client.post(edit(project_a), edit_post(project_a, name="甲区电池项目（二期）", signed_amount="60000"))
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.name == "甲区电池项目（二期）" and project_a.version == 2

    html = client.get(detail(project_a)).content.decode()
    history = html[html.index('id="project-history"'):]
    assert "staff_a" in history
    assert "<del>甲区电池项目</del> → <ins>甲区电池项目（二期）</ins>" in history
    assert "<del>50,000</del> → <ins>60,000</ins>" in history


def test_stale_edit_is_refused_and_first_edit_kept(client, staff_a, assessor, project_a):
    client.force_login(staff_a)
    stale = edit_post(project_a)  # both edits start from version 1
    first = client.post(edit(project_a), {**stale, "name": "第一次修改"})
    assert first.status_code == 302
    client.force_login(assessor)
    second = client.post(edit(project_a), {**stale, "name": "第二次修改"})
    assert second.status_code == 200
    errors = [str(e) for e in second.context["form"].non_field_errors()]
    assert any("已被他人修改" in e for e in errors)
    assert "已被他人修改" in second.content.decode()
    project_a.refresh_from_db()
    assert project_a.name == "第一次修改" and project_a.version == 2


def test_unit_user_cannot_clear_a_filed_stage(client, staff_a, unit_a):
    project = ProjectFactory(lead_unit=unit_a, registered_on=dt.date(2024, 3, 1), stage="registered")
    client.force_login(staff_a)
    response = client.post(edit(project), edit_post(project, registered_on=""))
    assert any("不能清除" in e for e in field_errors(response, "registered_on"))
    project.refresh_from_db()
    assert project.registered_on == dt.date(2024, 3, 1)


def test_assessor_restores_an_old_version(client, assessor, project_a):
    client.force_login(assessor)
    client.post(edit(project_a), edit_post(project_a, name="改错的名称"))
    project_a.refresh_from_db()
    original = project_a.history.order_by("history_date", "history_id").first()
    html = client.get(detail(project_a)).content.decode()
    assert "恢复此版本" in html

    response = client.post(reverse("ledger:project_restore", args=[project_a.pk]), {"history_id": original.history_id})
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.name == "甲区电池项目" and project_a.version == 3


def test_unit_user_cannot_restore(client, staff_a, project_a):
    client.force_login(staff_a)
    record = project_a.history.first()
    assert "恢复此版本" not in client.get(detail(project_a)).content.decode()
    response = client.post(reverse("ledger:project_restore", args=[project_a.pk]), {"history_id": record.history_id})
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------
# Funds, stage filings, shares, evidence


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_fund_arrival_changes_totals(client, staff_a, project_a, media):
    client.force_login(staff_a)
    before = ledger_totals(project_list(user=staff_a)).funds
    url = reverse("ledger:fund_create", args=[project_a.pk])
    evidence = SimpleUploadedFile("到账凭证.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, {"date": "2024-04-02", "amount": "1,250.5", "kind": "fixed_asset", "note": "首笔",
                                 "evidence": evidence})
    assert response.status_code == 302
    assert client.get(LIST).context["totals"].funds == before + Decimal("1250.5")
    html = client.get(detail(project_a)).content.decode()
    assert 'data-total="funds_total" data-value="1250.50"' in html

    arrival = FundArrival.objects.get()
    download = client.get(reverse("ledger:evidence", args=["fund", arrival.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"


@pytest.mark.parametrize("amount", ["-10", "0"])
def test_fund_amount_must_be_positive(client, staff_a, project_a, amount):
    client.force_login(staff_a)
    response = client.post(reverse("ledger:fund_create", args=[project_a.pk]),
                           {"date": "2024-04-02", "amount": amount, "kind": "fixed_asset"})
    assert response.status_code == 200
    assert any("必须大于0" in e for e in field_errors(response, "amount"))
    assert not FundArrival.objects.exists()


def test_stage_filing_with_several_files_and_scoped_download(client, staff_a, staff_b, project_a, media):
    client.force_login(staff_a)
    jpeg = b"\xff\xd8\xff\xe0"
    files = [SimpleUploadedFile("营业执照.jpg", jpeg + b"licence"), SimpleUploadedFile("照片.jpg", jpeg + b"photo")]
    response = client.post(reverse("ledger:stage_file", args=[project_a.pk]),
                           {"stage": "registered", "date": "2024-03-05", "note": "完成工商注册", "files": files})
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.stage == "registered" and project_a.registered_on == dt.date(2024, 3, 5)
    assert StageEvidence.objects.count() == 2

    html = client.get(detail(project_a)).content.decode()
    assert "完成工商注册" in html and "staff_a" in html
    item = StageEvidence.objects.first()
    url = reverse("ledger:evidence", args=["stage", item.pk])
    assert client.get(url).status_code == 200
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_stage_filing_cannot_go_backwards(client, staff_a, unit_a):
    project = ProjectFactory(lead_unit=unit_a, registered_on=dt.date(2024, 3, 1), started_on=dt.date(2024, 4, 1),
                             stage="started")
    client.force_login(staff_a)
    url = reverse("ledger:stage_file", args=[project.pk])
    response = client.post(url, {"stage": "registered", "date": "2024-03-02"})
    assert response.status_code == 200
    assert any("不能倒退" in e for e in field_errors(response, "stage"))


def test_shares_must_sum_to_one(client, assessor, project_a, unit_a, unit_b):
    # An assessor's shares apply at once; a unit user's to another unit wait for it (tests/security_defects).
    client.force_login(assessor)
    url = reverse("ledger:shares_edit", args=[project_a.pk])
    rows = {"shares-TOTAL_FORMS": "3", "shares-INITIAL_FORMS": "0", "shares-MIN_NUM_FORMS": "0",
            "shares-MAX_NUM_FORMS": "50", "shares-0-unit": unit_a.pk, "shares-0-ratio": "0.6",
            "shares-1-unit": unit_b.pk, "shares-1-ratio": "0.3", "shares-2-unit": "", "shares-2-ratio": ""}
    response = client.post(url, rows)
    assert response.status_code == 200
    assert "共享比例之和应为1" in response.content.decode()
    assert not ProjectShare.objects.exists()

    response = client.post(url, {**rows, "shares-1-ratio": "0.4"})
    assert response.status_code == 302
    assert {s.unit_id: s.ratio for s in ProjectShare.objects.all()} == {unit_a.pk: Decimal("0.6"),
                                                                          unit_b.pk: Decimal("0.4")}
    assert "60%" in client.get(detail(project_a)).content.decode()


def test_evidence_unknown_kind_is_404(client, assessor):
    client.force_login(assessor)
    assert client.get(reverse("ledger:evidence", args=["other", 1])).status_code == 404


def test_unit_in_another_scope_cannot_be_filtered_into_view(client, staff_a, project_b, unit_b):
    client.force_login(staff_a)
    response = client.get(LIST, {"unit": unit_b.pk})
    assert project_b.code not in response.content.decode()


def test_child_unit_projects_visible_to_parent_staff(client, staff_a, unit_a_child):
    child_project = ProjectFactory(lead_unit=unit_a_child)
    other = ProjectFactory(lead_unit=UnitFactory())
    client.force_login(staff_a)
    html = client.get(LIST).content.decode()
    assert child_project.code in html and other.code not in html
