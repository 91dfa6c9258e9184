"""What people do with awards: nominate, review, publish the 公示, record objections, decide, withdraw.
Every write checks the role here (pages and commands come through these functions) and runs in one
transaction; the history of every model keeps who changed what.

Who may do what:
- 考核办 (assessor): everything — the catalogue, nominations, the 公示, objections, the decision, the
  clawback; it may also record the 招商办's and 审计局's written opinions (登记人 is kept).
- 审计局 (audit_office): reads everything, writes only the 审计局 review.
- 招商办: the head (单位负责人) of a city department whose name says 招商 or 投资促进 (the 招商办 /
  投资促进局 of the city) signs the 招商办 review; where there is no such account, the 考核办 records it.
- leaders and unit users: read only (unit users their own unit's nominations).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.text import clean_text
from zhaoshang.core.workdays import add_workdays
from zhaoshang.orgs.choices import UnitKind, UserRole

from . import rules
from .choices import NominationSource, NominationStatus, ReviewOffice, Verdict
from .models import AwardItem, Catalogue, Decision, Nomination, Notice, Objection, Review

TEXT_MAX = 2000
OPEN_STATES = (NominationStatus.REVIEW, NominationStatus.REVIEWED)


# ---- permissions -------------------------------------------------------------------------------------------
def is_investment_office(user) -> bool:
    unit = getattr(user, "unit", None)
    return bool(user.is_authenticated and user.role == UserRole.UNIT_HEAD and unit is not None
                and unit.kind == UnitKind.DEPARTMENT and ("招商" in unit.name or "投资促进" in unit.name))


def can_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_assessor)


def check_manage(user, what: str = "奖励评选") -> None:
    if not can_manage(user):
        raise PermissionDeniedError(f"只有考核办可以办理{what}")


def review_offices(user) -> list[str]:
    """The offices whose review this user may record."""
    if not (user and user.is_authenticated):
        return []
    if user.is_assessor:
        return [ReviewOffice.INVESTMENT, ReviewOffice.ASSESSMENT, ReviewOffice.AUDIT]
    if user.role == UserRole.AUDIT_OFFICE:
        return [ReviewOffice.AUDIT]
    if is_investment_office(user):
        return [ReviewOffice.INVESTMENT]
    return []


def _text(value, field: str, label: str, required: bool = False) -> str:
    text = clean_text(value, field=field, label=label, max_length=TEXT_MAX, multiline=True)
    if required and not text:
        raise ApplicationError(f"请填写{label}", field_errors={field: [f"必须填写{label}"]})
    return text


# ---- nominations -------------------------------------------------------------------------------------------
def catalogue_for_run(run) -> Catalogue | None:
    return Catalogue.objects.filter(year=run.period_end.year).first()


def proposals(run) -> list[rules.Earned]:
    """The nominations a published run earns under its year's catalogue (nothing is written)."""
    if not run.published:
        raise ApplicationError("只有已发布的考核结果才能产生奖励提名", field_errors={"run": ["该考核结果尚未发布"]})
    catalogue = catalogue_for_run(run)
    if catalogue is None:
        raise ApplicationError(f"{run.period_end.year}年度还没有奖项目录，请先建立奖项目录",
                               field_errors={"run": ["没有该年度的奖项目录"]})
    return rules.earned(list(catalogue.items.all()), run)


def _subject_fk(row: dict) -> dict:
    from zhaoshang.orgs.models import Person

    sid = row["subject"]["id"]
    if row["subject"]["type"] == "person":
        person = Person.objects.filter(pk=sid).first()
        return {"person": person, "unit": person.unit if person else None}
    return {"unit_id": sid}


@transaction.atomic
def nominate_from_run(*, user, run, command_line: bool = False) -> list[Nomination]:
    """Write the run's earned nominations (those already there are kept as they are)."""
    if not command_line:
        check_manage(user, "奖励提名")
    created = []
    for e in proposals(run):
        key = rules.subject_key(e.row)
        if Nomination.objects.filter(item=e.item, subject_key=key).exists():
            continue
        n = Nomination(item=e.item, run=run, source=NominationSource.RUN, subject_key=key,
                       subject_name=e.row["subject"]["name"], group=e.row.get("group") or "",
                       total=Decimal(e.row["total"]), rank=e.row.get("rank"), grade=e.row.get("grade") or "",
                       basis=f"{run}：{e.basis}", created_by=user if getattr(user, "pk", None) else None,
                       **_subject_fk(e.row))
        n.save()
        created.append(n)
    return created


@transaction.atomic
def nominate_manually(*, user, item: AwardItem, unit=None, person=None, reason: str, run=None) -> Nomination:
    check_manage(user, "人工提名")
    reason = _text(reason, "reason", "提名理由", required=True)
    if (unit is None) == (person is None):
        raise ApplicationError("请选择被提名的单位或人员之一", field_errors={"unit": ["单位与人员须选择且只选一个"]})
    if person is not None:
        key, name, unit_of = rules.subject_key("person", person.pk), person.name, person.unit
    else:
        key, name, unit_of = rules.subject_key("unit", unit.pk), unit.name, unit
    if Nomination.objects.filter(item=item, subject_key=key).exists():
        raise ApplicationError(f"{name}已被提名“{item.name}”", field_errors={"unit": ["已被提名此奖项"]})
    row = None
    if run is not None:
        row = next((r for r in run.results.get("results", [])
                    if rules.subject_key(r) == key), None)
    n = Nomination(item=item, run=run, source=NominationSource.MANUAL, subject_key=key, subject_name=name,
                   unit=unit_of, person=person, basis=f"人工提名：{reason}",
                   group=(row or {}).get("group") or "", total=Decimal(row["total"]) if row else None,
                   rank=(row or {}).get("rank"), grade=(row or {}).get("grade") or "",
                   created_by=user)
    n.save()
    return n


def _locked(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().get(pk=nomination.pk)


@transaction.atomic
def withdraw(*, user, nomination: Nomination, reason: str) -> Nomination:
    check_manage(user, "撤销提名")
    reason = _text(reason, "reason", "撤销理由", required=True)
    n = _locked(nomination)
    if n.status not in (*OPEN_STATES, NominationStatus.NOTICE):
        raise ApplicationError(f"该提名已{n.get_status_display()}，不能撤销")
    n.status, n.status_reason = NominationStatus.WITHDRAWN, reason
    n._change_reason = f"撤销提名：{reason}"
    n.save()
    return n


# ---- review ------------------------------------------------------------------------------------------------
def reviews_complete(n: Nomination) -> bool:
    verdicts = dict(n.reviews.values_list("office", "verdict"))
    return all(verdicts.get(o) == Verdict.APPROVE for o in ReviewOffice.values)


@transaction.atomic
def review(*, user, nomination: Nomination, office: str, verdict: str, reason: str = "") -> Review:
    if office not in ReviewOffice.values:
        raise ApplicationError("请选择审核单位", field_errors={"office": ["未知的审核单位"]})
    if office not in review_offices(user):
        raise PermissionDeniedError(f"您不能登记{ReviewOffice(office).label}的审核意见")
    if verdict not in Verdict.values:
        raise ApplicationError("请选择审核意见", field_errors={"verdict": ["请选择同意或有异议"]})
    reason = _text(reason, "reason", "理由", required=verdict == Verdict.OBJECT)
    n = _locked(nomination)
    if n.status not in OPEN_STATES:
        raise ApplicationError(f"该提名已{n.get_status_display()}，不能再登记审核意见")
    r, _ = Review.objects.update_or_create(nomination=n, office=office,
                                           defaults={"verdict": verdict, "reason": reason, "signed_by": user})
    status = NominationStatus.REVIEWED if reviews_complete(n) else NominationStatus.REVIEW
    if status != n.status:
        n.status = status
        n._change_reason = "三方审核均已同意" if status == NominationStatus.REVIEWED else "审核意见有变化，重回审核中"
        n.save()
    return r


# ---- 公示 --------------------------------------------------------------------------------------------------
@transaction.atomic
def start_notice(*, user, catalogue: Catalogue, doc_no: str, start_on: dt.date | None = None,
                 days: int | None = None) -> Notice:
    """Put every nomination the three offices passed into a 公示 of `days` working days from `start_on`."""
    check_manage(user, "公示")
    doc_no = clean_text(doc_no, field="doc_no", label="文号", max_length=100)
    if not doc_no:
        raise ApplicationError("请填写公示文号", field_errors={"doc_no": ["必须填写文号"]})
    start_on = start_on or today()
    days = catalogue.notice_days if days is None else int(days)
    if days < 1:
        raise ApplicationError("公示期至少1个工作日", field_errors={"days": ["公示期至少1个工作日"]})
    ready = list(Nomination.objects.select_for_update(of=("self",)).filter(item__catalogue=catalogue,
                                                               status=NominationStatus.REVIEWED))
    if not ready:
        raise ApplicationError("没有三方审核均已同意的提名，不能发布公示")
    notice = Notice.objects.create(catalogue=catalogue, doc_no=doc_no, start_on=start_on, days=days,
                                   end_on=add_workdays(start_on, days), created_by=user)
    for n in ready:
        n.status, n.notice = NominationStatus.NOTICE, notice
        n._change_reason = f"进入公示（{doc_no}）"
        n.save()
    return notice


@transaction.atomic
def record_objection(*, user, nomination: Nomination, content: str, received_on: dt.date | None = None) -> Objection:
    check_manage(user, "公示异议")
    content = _text(content, "content", "异议内容", required=True)
    n = _locked(nomination)
    if n.status != NominationStatus.NOTICE:
        raise ApplicationError("只有公示中的提名可以登记异议")
    return Objection.objects.create(nomination=n, content=content, received_on=received_on or today(),
                                    recorded_by=user)


@transaction.atomic
def resolve_objection(*, user, objection: Objection, upheld: bool, resolution: str) -> Objection:
    check_manage(user, "公示异议")
    resolution = _text(resolution, "resolution", "处理结果", required=True)
    o = Objection.objects.select_for_update().get(pk=objection.pk)
    if o.upheld is not None:
        raise ApplicationError("该异议已处理")
    o.upheld, o.resolution, o.resolved_by, o.resolved_at = upheld, resolution, user, timezone.now()
    o.save()
    if upheld:
        n = _locked(o.nomination)
        n.status, n.status_reason = NominationStatus.WITHDRAWN, f"公示异议成立：{resolution}"
        n._change_reason = n.status_reason
        n.save()
    return o


# ---- decision ----------------------------------------------------------------------------------------------
@transaction.atomic
def decide(*, user, catalogue: Catalogue, doc_no: str, decided_on: dt.date | None = None) -> Decision:
    """领导小组 decision: every nomination whose 公示 has ended without an open objection is awarded."""
    check_manage(user, "表彰决定登记")
    doc_no = clean_text(doc_no, field="doc_no", label="文号", max_length=100)
    if not doc_no:
        raise ApplicationError("请填写表彰决定文号", field_errors={"doc_no": ["必须填写文号"]})
    decided_on = decided_on or today()
    in_notice = list(Nomination.objects.select_for_update(of=("self",)).filter(item__catalogue=catalogue,
                                                                   status=NominationStatus.NOTICE)
                     .select_related("notice"))
    if not in_notice:
        raise ApplicationError("没有公示中的提名，不能登记表彰决定")
    early = [n for n in in_notice if n.notice.end_on >= decided_on]
    if early:
        end = max(n.notice.end_on for n in early)
        raise ApplicationError(f"公示期至{end:%Y年%m月%d日}（含）尚未期满，期满后方可作出表彰决定",
                               field_errors={"decided_on": [f"须晚于公示截止日期{end:%Y-%m-%d}"]})
    pending = Objection.objects.filter(nomination__in=in_notice, upheld__isnull=True)
    if pending.exists():
        names = "、".join(sorted({o.nomination.subject_name for o in pending.select_related("nomination")}))
        raise ApplicationError(f"以下提名的公示异议尚未处理：{names}")
    decision = Decision.objects.create(catalogue=catalogue, doc_no=doc_no, decided_on=decided_on,
                                       issuer=catalogue.issuer, created_by=user)
    for n in in_notice:
        n.status, n.decision = NominationStatus.DECIDED, decision
        n._change_reason = f"领导小组决定表彰（{doc_no}）"
        n.save()
    return decision


def safe_create(fn, *args, **kwargs):
    """A race on a unique constraint becomes a Chinese message instead of a 500."""
    try:
        return fn(*args, **kwargs)
    except IntegrityError as exc:
        raise ApplicationError("该记录已存在，请刷新页面后重试") from exc
