"""Awards (奖励评选): the catalogue, nominations with their three reviews, 公示 and decision, and clawbacks —
read with the awards pages' scope and written through the very service the page calls
(awards.selectors / awards.services), so roles, history and every rule hold alike.

Scope, as on the pages: the catalogue is common knowledge; a unit user sees only their own unit's (and its
children's) nominations and clawbacks, and any other nomination is 404 (it tells nothing about it).
Reviews: the service decides who may record which office's opinion (考核办 all three, the 审计局 role only
the 审计局's, the 招商办's head only the 招商办's); anyone else is refused with 403. The 审计局 role has no
other write here, as on the pages."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from zhaoshang.awards import selectors, services
from zhaoshang.awards.choices import ReviewOffice
from zhaoshang.awards.models import AwardItem, Catalogue, Clawback, Nomination
from zhaoshang.core.workdays import known

from .awards_schemas import (
    CatalogueOut,
    CatalogueQuery,
    ClawbackOut,
    ClawbackQuery,
    NominationDetailOut,
    NominationPage,
    NominationQuery,
    ReviewIn,
    ReviewRecordedOut,
)
from .refs import page
from .schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["awards"])


def _who(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


# ---- catalogue ------------------------------------------------------------------------------------------------


def _item_out(item: AwardItem) -> dict:
    return {"id": item.pk, "kind": item.kind, "kind_display": item.get_kind_display(), "name": item.name,
            "rule": item.rule, "rule_display": item.get_rule_display(), "count": item.count, "grade": item.grade,
            "threshold_on": item.threshold_on, "threshold_item": item.threshold_item, "threshold": item.threshold,
            "amount_yuan": item.amount, "schemes": item.schemes}


@router.get("/catalogue", response={200: list[CatalogueOut], **READ_ERRORS},
            summary="奖项目录（每年一份，含奖项与金额）")
def list_catalogues(request, filters: Query[CatalogueQuery]):
    qs = Catalogue.objects.prefetch_related("items").order_by("-year")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return [{"id": c.pk, "year": c.year, "title": c.title, "issuer": c.issuer, "office": c.office,
             "notice_days": c.notice_days, "objection_channel": c.objection_channel,
             "items": [_item_out(i) for i in c.items.all()]} for c in qs]


# ---- nominations ----------------------------------------------------------------------------------------------


def _run_out(run) -> dict | None:
    if run is None:
        return None
    return {"id": run.pk, "label": str(run), "scheme_key": run.scheme_key, "scheme_name": run.scheme_name,
            "period": run.period, "period_label": run.period_label, "as_of": run.as_of}


def _nomination_out(n: Nomination) -> dict:
    item, cat = n.item, n.item.catalogue
    return {
        "id": n.pk, "catalogue": {"id": cat.pk, "year": cat.year, "title": cat.title},
        "award": {"id": item.pk, "kind": item.kind, "kind_display": item.get_kind_display(), "name": item.name},
        "amount_yuan": item.amount,
        "subject": {"type": "person" if n.person_id else "unit", "name": n.subject_name,
                    "unit_code": n.unit.code if n.unit_id else None, "unit_name": n.unit.name if n.unit_id else None,
                    "staff_no": n.person.staff_no if n.person_id else None},
        "source": n.source, "source_display": n.get_source_display(), "run": _run_out(n.run),
        "group": n.group, "total": n.total, "rank": n.rank, "grade": n.grade,
        "status": n.status, "status_display": n.get_status_display(),
    }


def _nomination_ref(n: Nomination) -> dict:
    return {"id": n.pk, "subject_name": n.subject_name, "award": n.item.name, "year": n.item.catalogue.year,
            "status": n.status, "status_display": n.get_status_display()}


def _clawback_out(c: Clawback) -> dict:
    return {
        "id": c.pk, "nomination": _nomination_ref(c.nomination), "fact_kind": c.fact_kind,
        "fact_label": c.fact_label, "fact_reason": c.fact_reason, "explanation": c.explanation,
        "amount_yuan": c.amount, "status": c.status, "status_display": c.get_status_display(), "note": c.note,
        "confirmed_by": _who(c.confirmed_by), "confirmed_at": c.confirmed_at,
        "recovered_amount_yuan": c.recovered_amount, "recovered_on": c.recovered_on, "receipt_no": c.receipt_no,
        "referral_on": c.referral_on, "referral_doc_no": c.referral_doc_no, "proposed_at": c.proposed_at,
    }


def _review_out(office: ReviewOffice, r) -> dict:
    return {"office": office.value, "office_display": str(office.label),
            "verdict": r.verdict if r else None, "verdict_display": r.get_verdict_display() if r else None,
            "reason": r.reason if r else "", "signed_by": _who(r.signed_by) if r else None,
            "signed_at": r.signed_at if r else None}


@router.get("/nominations", response={200: NominationPage, **READ_ERRORS},
            summary="奖励提名（单位账号只看到本单位及下级的提名）")
def list_nominations(request, filters: Query[NominationQuery]):
    # A run's stored results and scheme text are large; a list names the run and needs neither.
    qs = selectors.nomination_list(user=request.user).select_related("item__catalogue").defer(
        "run__results", "run__scheme_text")
    if filters.year is not None:
        qs = qs.filter(item__catalogue__year=filters.year)
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    if filters.catalogue is not None:
        qs = qs.filter(item__catalogue_id=filters.catalogue)
    qs = qs.order_by("-item__catalogue__year", "item__order", "item_id", "group", "rank", "id")
    result = page(qs, filters)
    result["items"] = [_nomination_out(n) for n in result["items"]]
    return result


@router.get("/nominations/{int:nomination_id}", response={200: NominationDetailOut, **READ_ERRORS},
            summary="奖励提名详情：三方审核、公示、异议、表彰决定、追回与全过程记录")
def get_nomination(request, nomination_id: int):
    n = selectors.nomination_get(user=request.user, pk=nomination_id)
    reviews = {r.office: r for r in n.reviews.select_related("signed_by")}
    # What the page offers: the review form only while the nomination is open, for the offices the user may sign.
    may_review = services.review_offices(request.user) if n.status in services.OPEN_STATES else []
    notice, decision = n.notice, n.decision
    return {
        **_nomination_out(n), "basis": n.basis, "status_reason": n.status_reason,
        "reviews": [_review_out(o, reviews.get(o.value)) for o in ReviewOffice],
        "may_review": [str(o) for o in may_review],
        "notice": None if notice is None else {
            "id": notice.pk, "doc_no": notice.doc_no, "start_on": notice.start_on, "days": notice.days,
            "end_on": notice.end_on, "end_on_provisional": not known(notice.end_on)},
        "decision": None if decision is None else {
            "id": decision.pk, "doc_no": decision.doc_no, "decided_on": decision.decided_on,
            "issuer": decision.issuer},
        "objections": [{"id": o.pk, "received_on": o.received_on, "content": o.content, "upheld": o.upheld,
                        "resolution": o.resolution, "resolved_by": _who(o.resolved_by), "resolved_at": o.resolved_at}
                       for o in n.objections.select_related("resolved_by")],
        "clawbacks": [_clawback_out(c) for c in n.clawbacks.select_related(
            "confirmed_by", "nomination__item__catalogue")],
        "timeline": [{**e, "who": _who(e["who"]), "detail": e["detail"] or ""} for e in selectors.timeline(n)],
    }


@router.post("/nominations/{int:nomination_id}/reviews", response={201: ReviewRecordedOut, **WRITE_ERRORS},
             summary="登记审核意见（同意或有异议；有异议须写理由；后一次意见替换前一次，历史保留）")
def record_review(request, nomination_id: int, payload: ReviewIn):
    n = selectors.nomination_get(user=request.user, pk=nomination_id)
    review = services.review(user=request.user, nomination=n, office=payload.office.value,
                             verdict=payload.verdict.value, reason=payload.reason)
    n = selectors.nomination_get(user=request.user, pk=nomination_id)  # its status after the review
    return Status(201, {**_review_out(ReviewOffice(review.office), review), "nomination": _nomination_ref(n)})


# ---- clawbacks ------------------------------------------------------------------------------------------------


@router.get("/clawbacks", response={200: list[ClawbackOut], **READ_ERRORS},
            summary="奖励追回（建议、确认、追回与移送；单位账号只看到本单位的）")
def list_clawbacks(request, filters: Query[ClawbackQuery]):
    qs = Clawback.objects.filter(nomination__in=selectors.nomination_list(user=request.user))
    if filters.year is not None:
        qs = qs.filter(nomination__item__catalogue__year=filters.year)
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    qs = qs.select_related("confirmed_by", "nomination__item__catalogue")
    return [_clawback_out(c) for c in qs.order_by("-proposed_at", "-id")]
