"""核实口径 (acceptance 1 of issue 9): a scheme's `basis` says what it counts. A project filed by a unit
and not yet verified does not count under "verified" and does count under "filed"; verifying it
changes the score of a re-run and not the published run; a verification dated after the as-of date
does not reach back. Every run shows, per unit, 申报 and 认定 side by side and what is still waiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.assessment.helpers import day, fund, project, target, unit
from zhaoshang.assessment.engine.run import run_scheme, store, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_keys
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger import services
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import StageRecord
from zhaoshang.ledger.verification import mark_verified, refresh_project_verified_dates
from zhaoshang.orgs.choices import UserRole

from ..factories import UserFactory

D = Decimal

SCHEME = """
key = "basis-test"
name = "核实口径测试"
subject = "unit"
{basis}
[subjects]
groups = ["区县"]

[[items]]
key = "signed"
name = "签约金额"
rule = "proportional"
points = 100
cap = 1
target = "签约金额"
value = {{ measure = "project_amount", stage = "signed" }}

[[items]]
key = "funds"
name = "到位资金"
rule = "relative_best"
points = 20
value = {{ measure = "fund_amount" }}
"""


def scheme(basis: str | None):
    return parse_scheme(SCHEME.format(basis=f'basis = "{basis}"' if basis else ""))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def city(db):
    """Unit A files a 50,000万元 project and 2,000万元 of funds through the services (待核实); unit B has
    a verified project of 100,000万元 and 1,000万元 of verified funds, made as the migration left them."""
    a, b = unit("A", "区县"), unit("B", "区县")
    staff = UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=a)
    filed = services.project_create(
        user=staff, code="XM-A-NEW", name="新材料项目", investor="某某新材料有限公司", investor_uscc="",
        category="C", signed_amount=D("50000"), signed_on=day("2024-03-15"), status="advancing",
        lead_unit=a,
    )
    arrival = services.fund_arrival_record(user=staff, project=filed, date=day("2024-04-01"), amount=D("2000"))
    fund(project(b, "2024-02-01", 100000), "2024-03-01", 1000)
    for u in (a, b):
        target(u, 2024, "签约金额", 100000)
    return {"a": a, "b": b, "project": filed, "arrival": arrival, "assessor": UserFactory(
        username="assessor", role=UserRole.ASSESSOR)}


def verify_all(city, when: str) -> None:
    """The assessment office verifies A's 签约 filing and its fund arrival on `when`."""
    record = StageRecord.objects.get(project=city["project"], stage="signed")
    for fact in (record, city["arrival"]):
        fact.refresh_from_db()
        mark_verified(fact, user=city["assessor"], at=at(when))
        fact._history_user = city["assessor"]
        fact.save()
    refresh_project_verified_dates([city["project"].pk])


def result(data: dict, code: str) -> dict:
    return next(r for r in data["results"] if r["subject"]["code"] == code)


def value(data: dict, code: str, key: str) -> Decimal:
    return D(next(i["value"] for i in result(data, code)["items"] if i["key"] == key))


def test_filings_by_a_unit_wait_for_verification(city):
    assert StageRecord.objects.get(project=city["project"], stage="signed").verification == Verification.PENDING
    assert city["arrival"].verification == Verification.PENDING


def test_unverified_does_not_count_under_verified_and_counts_under_filed(city):
    verified = to_json(run_scheme(scheme("verified"), "2024"))
    assert value(verified, "A", "signed") == 0 and value(verified, "A", "funds") == 0
    assert D(result(verified, "A")["total"]) == 0
    assert value(verified, "B", "signed") == D("100000")

    filed = to_json(run_scheme(scheme("filed"), "2024"))
    assert value(filed, "A", "signed") == D("50000") and value(filed, "A", "funds") == D("2000")
    assert D(result(filed, "A")["total"]) == D("70")  # 50 of 100 by target, and the best funds: 20
    assert verified["basis"]["key"] == "verified" and filed["basis"]["key"] == "filed"


def test_basis_defaults_to_verified():
    assert scheme(None).basis == "verified"
    assert all(load_preset(k).basis == "verified" for k in preset_keys())


def test_a_bad_basis_is_refused_naming_the_key():
    with pytest.raises(SchemeError) as exc:
        scheme("declared")
    assert "basis" in exc.value.field_errors


def test_verifying_changes_a_rerun_and_not_the_published_run(city):
    published = store(run_scheme(scheme("verified"), "2024"), publish=True)
    before = published.results["results"]
    assert D(result(published.results, "A")["total"]) == 0

    verify_all(city, "2024-06-01T10:00")
    rerun = to_json(run_scheme(scheme("verified"), "2024"))
    assert value(rerun, "A", "signed") == D("50000") and value(rerun, "A", "funds") == D("2000")
    assert D(result(rerun, "A")["total"]) == D("70")

    published.refresh_from_db()
    assert published.results["results"] == before
    assert D(result(published.results, "A")["total"]) == 0


def test_a_verification_after_the_as_of_date_does_not_count(city):
    verify_all(city, "2024-06-01T10:00")
    early = to_json(run_scheme(scheme("verified"), "2024", dt.date(2024, 5, 31)))
    assert value(early, "A", "signed") == 0 and value(early, "A", "funds") == 0
    late = to_json(run_scheme(scheme("verified"), "2024", dt.date(2024, 6, 1)))
    assert value(late, "A", "signed") == D("50000") and value(late, "A", "funds") == D("2000")


def test_stage_conditions_follow_the_basis(db):
    """A project counted by a later stage (开工) needs that stage's filing verified, not only its date."""
    a = unit("A", "区县")
    p = project(a, "2024-02-01", 30000, started_on="2024-05-01", verified=False)
    text = SCHEME.replace('stage = "signed"', 'stage = "started"')
    for basis, expected in (("verified", 0), ("filed", 30000)):
        data = to_json(run_scheme(parse_scheme(text.format(basis=f'basis = "{basis}"')), "2024"))
        assert value(data, "A", "signed") == D(expected), basis
    assert p.started_verified_on is None


def test_filed_and_verified_side_by_side_are_stored_and_frozen(city):
    run = store(run_scheme(scheme("verified"), "2024"), publish=True)
    facts = result(run.results, "A")["facts"]
    assert D(facts["signed"]["filed"]) == D("50000") and D(facts["signed"]["verified"]) == 0
    assert D(facts["funds"]["filed"]) == D("2000") and D(facts["funds"]["verified"]) == 0
    assert facts["waiting"] == 2  # the 签约 filing and the fund arrival
    b = result(run.results, "B")["facts"]
    assert D(b["signed"]["filed"]) == D(b["signed"]["verified"]) == D("100000") and b["waiting"] == 0

    verify_all(city, "2024-06-01T10:00")
    run.refresh_from_db()
    assert result(run.results, "A")["facts"] == facts
    now = result(to_json(run_scheme(scheme("filed"), "2024")), "A")["facts"]
    assert D(now["signed"]["verified"]) == D("50000") and now["waiting"] == 0


def test_run_page_and_sheet_show_the_basis_and_both_columns(client, city):
    run = store(run_scheme(scheme("verified"), "2024"), user=city["assessor"])
    client.force_login(city["assessor"])
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "核实口径：仅计已认定" in page
    assert "申报" in page and "认定" in page and "待核实" in page
    assert 'data-signed-filed="50000.00"' in page and 'data-waiting="2"' in page
    sheet = client.get(reverse("assessment:subject_sheet", args=[run.pk, city["a"].pk])).content.decode()
    assert "50,000.00" in sheet and 'id="sheet-waiting">2<' in sheet

    filed = store(run_scheme(scheme("filed"), "2024"), user=city["assessor"])
    assert "核实口径：按申报计" in client.get(reverse("assessment:run_detail", args=[filed.pk])).content.decode()


def test_a_unit_sees_only_its_own_row_of_both_columns(client, city):
    run = store(run_scheme(scheme("verified"), "2024"), publish=True)
    staff = UserFactory(username="staff_b", role=UserRole.UNIT_STAFF, unit=city["b"])
    client.force_login(staff)
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert 'data-code="B"' in page and 'data-code="A"' not in page


def test_the_verification_date_is_the_shanghai_date(city):
    """Verified at 23:30 UTC on 31 May, 07:30 on 1 June in Shanghai: not by an as-of date of 31 May."""
    record = StageRecord.objects.get(project=city["project"], stage="signed")
    mark_verified(record, user=city["assessor"], at=dt.datetime(2024, 5, 31, 23, 30, tzinfo=dt.UTC))
    record.save()
    refresh_project_verified_dates([city["project"].pk])
    assert value(to_json(run_scheme(scheme("verified"), "2024", dt.date(2024, 5, 31))), "A", "signed") == 0
    assert value(to_json(run_scheme(scheme("verified"), "2024", dt.date(2024, 6, 1))), "A", "signed") == D("50000")


def test_bulletin_shows_filed_and_verified_per_unit(city, tmp_path):
    import docx
    from openpyxl import load_workbook

    from zhaoshang.reports.bulletin import write_bulletin
    from zhaoshang.reports.content import build
    from zhaoshang.reports.tables import bulletin_workbook

    run = store(run_scheme(scheme("verified"), "2024"))
    content = build(run)
    assert "只计已认定" in content["basis"]
    assert content["facts"]["head2"] == ["申报", "认定", "申报", "认定"]
    rows = {r[0]: r for r in content["facts"]["rows"]}
    # 万元 with separators and two decimals, as every bulletin amount is printed; counts stay whole.
    assert rows["A"][1:] == ["50,000.00", "0.00", "2,000.00", "0.00", "2"]
    assert rows["B"][1:] == ["100,000.00", "100,000.00", "1,000.00", "1,000.00", "0"]

    write_bulletin(content, tmp_path / "b.docx")
    cells = [c.text for t in docx.Document(tmp_path / "b.docx").tables for row in t.rows for c in row.cells]
    assert "申报" in cells and "认定" in cells and "待核实（笔）" in cells and "50,000.00" in cells
    bulletin_workbook(content, tmp_path / "b.xlsx")
    ws = load_workbook(tmp_path / "b.xlsx")["申报与认定"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "申报" in values and "认定" in values and "待核实（笔）" in values
    assert any(v == 50000 for v in values if isinstance(v, int | float | Decimal))


def test_run_workbook_has_filed_and_verified(city, tmp_path):
    from openpyxl import load_workbook

    from zhaoshang.assessment.engine.xlsx import write_xlsx

    write_xlsx(to_json(run_scheme(scheme("verified"), "2024")), tmp_path / "run.xlsx")
    wb = load_workbook(tmp_path / "run.xlsx")
    assert "核实口径：仅计已认定" in wb["考核结果"]["A1"].value
    rows = [[c.value for c in row] for row in wb["申报与认定"].iter_rows()]
    assert rows[1][2:6] == ["申报", "认定", "申报", "认定"] and rows[0][6] == "待核实"
    a = next(r for r in rows if r[0] == "A")
    assert [Decimal(str(v)) for v in a[2:6]] == [D("50000"), D("0"), D("2000"), D("0")] and a[6] == 2
