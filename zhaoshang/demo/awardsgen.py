"""The demo city's awards (issue 13): last year's catalogue (先进集体奖 top 1 per group, 招大引强奖 for the
largest new signings, 先进个人奖 for the persons' scheme's 先进个人, its top 10), nominations from last
year's published Huaiyin runs (published here when the demo has none), and the flow at each of its steps:
two awards decided with the 领导小组's 文号 after their 公示, one nomination in 公示 now (with an objection
received and answered), one with the 审计局's objection, the rest waiting for review, and a person
nominated by hand. Written through the awards services, so every row has its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.assessment.engine.run import run_scheme, store
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.assessment.publishing import publish
from zhaoshang.awards import services
from zhaoshang.awards.choices import AwardKind, AwardRule, ThresholdOn
from zhaoshang.awards.models import AwardItem, Catalogue, Nomination
from zhaoshang.core.workdays import add_workdays
from zhaoshang.orgs.choices import PersonRole, UserRole
from zhaoshang.orgs.models import Person, User

SCHEME = "huaiyin-2020"
PERSONS = "huaiyin-2020-persons"


def _published_run(year: int, key: str = SCHEME) -> AssessmentRun:
    run = AssessmentRun.objects.filter(published=True, scheme_key=key, period=str(year)).first()
    if run is None:
        run = store(run_scheme(load_preset(key), str(year), dt.date(year, 12, 31)))
        run = publish(user=None, run=run, command_line=True)
    return run


def _approve(n: Nomination, assessor: User, audit: User) -> None:
    services.review(user=assessor, nomination=n, office="investment", verdict="approve")
    services.review(user=assessor, nomination=n, office="assessment", verdict="approve")
    services.review(user=audit, nomination=n, office="audit", verdict="approve", reason="审计核对到位凭证无误")


def write_awards(*, today: dt.date) -> dict[str, int]:
    assessor = User.objects.filter(username="assessor").first()
    audit = User.objects.filter(role=UserRole.AUDIT_OFFICE).first()
    if assessor is None or audit is None:
        return {}
    year = today.year - 1
    run = _published_run(year)
    rows = run.results.get("results", [])
    values = sorted((Decimal(i["value"]) for r in rows for i in r["items"]
                     if i["key"] == "new_signed" and i["value"] not in (None, "")), reverse=True)
    cat = Catalogue.objects.create(year=year, title=f"{year}年度招商引资和项目建设服务奖励", created_by=assessor)
    AwardItem.objects.create(catalogue=cat, kind=AwardKind.COLLECTIVE, name="先进集体奖", rule=AwardRule.TOP_N,
                             count=1, amount=Decimal("100000"), scheme_keys=SCHEME, order=1)
    if len(values) >= 3 and values[2] > 0:  # the three largest 新招引 earn 招大引强奖
        AwardItem.objects.create(catalogue=cat, kind=AwardKind.SINGLE, name="招大引强奖", rule=AwardRule.THRESHOLD,
                                 threshold_on=ThresholdOn.ITEM_VALUE, threshold_item="new_signed",
                                 threshold=values[2], amount=Decimal("50000"), scheme_keys=SCHEME, order=2)
    person_item = AwardItem.objects.create(catalogue=cat, kind=AwardKind.INDIVIDUAL, name="先进个人奖",
                                           rule=AwardRule.HONOUR, grade="先进个人", amount=Decimal("10000"),
                                           scheme_keys=PERSONS, order=3)
    noms = services.nominate_from_run(user=assessor, run=run)
    people = services.nominate_from_run(user=assessor, run=_published_run(year, PERSONS))
    counts = {"奖励提名": len(noms) + len(people)}
    if len(noms) < 4:
        return counts
    # two decided after a 公示 that ended weeks ago
    for n in noms[:2]:
        _approve(n, assessor, audit)
    start = today - dt.timedelta(days=45)
    notice = services.start_notice(user=assessor, catalogue=cat, doc_no=f"〔{start.year}〕3号", start_on=start)
    decided_on = add_workdays(notice.end_on, 3)
    services.decide(user=assessor, catalogue=cat, doc_no=f"〔{decided_on.year}〕5号", decided_on=decided_on)
    # one in 公示 now, with an objection answered
    _approve(noms[2], assessor, audit)
    services.start_notice(user=assessor, catalogue=cat, doc_no=f"〔{today.year}〕9号", start_on=today)
    o = services.record_objection(user=assessor, nomination=noms[2], content="反映该单位个别签约项目尚未注册",
                                  received_on=today)
    services.resolve_objection(user=assessor, objection=o, upheld=False,
                               resolution="经核查，相关项目已于签约当年完成注册，异议不成立")
    # the 审计局 objects to one
    services.review(user=assessor, nomination=noms[3], office="investment", verdict="approve")
    services.review(user=audit, nomination=noms[3], office="audit", verdict="object",
                    reason="部分到位资金缺少银行回单，请补充后再审")
    # a person nominated by hand (the director of the first award's unit), unless the run named them already
    head = Person.objects.filter(unit=noms[0].unit, role=PersonRole.DIRECTOR).first() or \
        Person.objects.filter(unit=noms[0].unit).first()
    if head is not None and not Nomination.objects.filter(item=person_item, person=head).exists():
        services.nominate_manually(user=assessor, item=person_item, person=head,
                                   reason="牵头引进年度重点工业项目，全程帮办落地", run=run)
        counts["奖励提名"] += 1
    counts["表彰决定"] = 1
    counts["追回建议"] = _plant_clawback(noms[:2], assessor, year)
    return counts


def _plant_clawback(decided: list[Nomination], assessor: User, year: int) -> int:
    """A fact found untrue after the decision: try the largest facts of the awarded units (in a savepoint
    each) and keep the first whose 不予认定 costs an award, so the clawback page has a case."""
    from django.db import transaction

    from zhaoshang.awards import clawback
    from zhaoshang.integrity.services.verification import fact_reject
    from zhaoshang.ledger.choices import Verification
    from zhaoshang.ledger.models import FundArrival, StageRecord

    for n in decided:
        mine = {"project__lead_unit": n.unit, "verification": Verification.VERIFIED, "date__year": year}
        facts = [*StageRecord.objects.filter(**mine).order_by("-project__signed_amount", "stage")[:6],
                 *FundArrival.objects.filter(**mine).order_by("-amount")[:3]]
        for fact in facts:
            sid = transaction.savepoint()
            fact_reject(user=assessor, fact=fact, reason="抽查复核不属实：证明材料系事后补制")
            if clawback.propose(n):
                transaction.savepoint_commit(sid)
                return 1
            transaction.savepoint_rollback(sid)
    return 0
