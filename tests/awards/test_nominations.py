"""Nominations from a published run: top N per group, thresholds; the command; manual nominations."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.awards import services
from zhaoshang.awards.models import Nomination
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _top(run, n):
    """The run's own top N per group, read from its stored results."""
    return {r["subject"]["name"] for r in run.results["results"] if r["rank"] <= n and not r["vetoed"]}


def test_top_n_matches_the_published_run(run, catalogue):
    earned = services.proposals(run)
    top1 = [e.row["subject"]["name"] for e in earned if e.item.name == "先进集体奖"]
    assert top1 == ["驻北京招商局"] and set(top1) == _top(run, 1)
    item = catalogue.items.get(name="先进集体奖")
    item.count = 2
    item.save()
    top2 = [e.row["subject"]["name"] for e in services.proposals(run) if e.item.name == "先进集体奖"]
    assert top2 == ["驻北京招商局", "驻上海招商局"] and set(top2) == _top(run, 2)


def test_threshold_on_an_item_value(run, catalogue):
    # 到位资金 ≥ 5000万元: 北京 8500.25 earns it, 上海 3000 and 广州 0 do not
    funds = [(e.row["subject"]["name"], e.basis) for e in services.proposals(run) if e.item.name == "到位资金奖"]
    assert funds == [("驻北京招商局", "“到位资金完成情况”完成值8,500.25，达到门槛5,000")]


def test_an_unpublished_run_earns_nothing(city, catalogue, run):
    draft = AssessmentRun.objects.get(pk=run.pk)
    draft.pk = None
    draft.published = False
    draft.save()
    with pytest.raises(ApplicationError, match="已发布"):
        services.proposals(draft)


def test_command_prints_the_nominations(run, catalogue):
    out = io.StringIO()
    call_command("awards", "nominate", "--run", str(run.pk), "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["award"], r["subject"]["name"], r["amount_yuan"]) for r in rows] == [
        ("先进集体奖", "驻北京招商局", "50000.00"), ("到位资金奖", "驻北京招商局", "20000.00")]
    out = io.StringIO()
    call_command("awards", "nominate", "--run", str(run.pk), stdout=out)
    assert "先进集体奖\t驻北京招商局\t驻点招商局组第1名" in out.getvalue() and "50,000.00元" in out.getvalue()
    assert not Nomination.objects.exists()  # printing writes nothing


def test_nominations_link_run_and_score_sheet(client, run, catalogue, assessor):
    created = services.nominate_from_run(user=assessor, run=run)
    assert len(created) == 2
    assert services.nominate_from_run(user=assessor, run=run) == []  # idempotent
    n = created[0]
    row = next(r for r in run.results["results"] if r["subject"]["id"] == n.unit_id)
    assert (n.run, n.unit.name, n.rank, n.total) == (run, "驻北京招商局", 1, Decimal(row["total"]))
    client.force_login(assessor)
    page = client.get(reverse("awards:nomination_detail", args=[n.pk])).content.decode()
    assert reverse("assessment:subject_sheet", args=[run.pk, n.unit_id]) in page
    assert "50,000.00元" in page and "驻点招商局组第1名" in page


def test_manual_nomination_needs_a_reason_and_an_assessor(run, catalogue, assessor, leader, city):
    item = catalogue.items.get(name="先进集体奖")
    gz = city["offices"][2]
    with pytest.raises(ApplicationError, match="提名理由"):
        services.nominate_manually(user=assessor, item=item, unit=gz, reason="  ")
    with pytest.raises(PermissionDeniedError):
        services.nominate_manually(user=leader, item=item, unit=gz, reason="引进重大项目")
    n = services.nominate_manually(user=assessor, item=item, unit=gz, reason="引进重大项目", run=run)
    assert n.source == "manual" and n.rank == 3 and n.basis == "人工提名：引进重大项目"


def test_grade_and_scheme_honour_rules():
    from types import SimpleNamespace

    from zhaoshang.awards import rules

    row = {"subject": {"type": "person", "id": 1, "name": "张三"}, "group": "甲区", "total": "88.5", "rank": 2,
           "grade": "优秀", "honours": ["先进个人"], "vetoed": False, "items": []}
    grade = SimpleNamespace(rule="grade", grade="优秀", count=None)
    honour = SimpleNamespace(rule="honour", grade="先进个人", count=None)
    assert rules.why(grade, row) == "考核等次为“优秀”（总得分88.5分）"
    assert rules.why(honour, row) == "方案评定为“先进个人”（总得分88.5分，第2名）"
    assert rules.why(honour, {**row, "honours": []}) is None
    pending = {**row, "honours": [], "honours_pending": ["先进个人"], "honours_note": "总分并列第2名"}
    assert rules.why(honour, pending) == ("方案评定“先进个人”名额并列待定（总得分88.5分，第2名；总分并列第2名），"
                                         "由三方审核确定")
    assert rules.why(grade, {**row, "vetoed": True}) is None  # 一票否决: no award
