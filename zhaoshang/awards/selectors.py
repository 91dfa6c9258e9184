"""What a user may see of the awards: the catalogue is common knowledge; nominations, reviews, notices'
objections and clawbacks are scoped — unit users see only their own unit's (and its children's), and an
object outside their scope is a 404, not a 403."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhaoshang.orgs.scope import visible_unit_ids

from .choices import NominationStatus
from .models import Catalogue, Clawback, Decision, Nomination, Notice


def nomination_list(*, user) -> QuerySet[Nomination]:
    qs = Nomination.objects.select_related("item", "item__catalogue", "unit", "person", "run", "notice",
                                           "decision")
    if not user.is_authenticated:
        return qs.none()
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(unit_id__in=ids)


def nomination_get(*, user, pk: int) -> Nomination:
    n = nomination_list(user=user).filter(pk=pk).first()
    if n is None:
        raise Http404("该奖励提名不存在或无权查看")
    return n


def catalogue_get(pk: int) -> Catalogue:
    cat = Catalogue.objects.filter(pk=pk).first()
    if cat is None:
        raise Http404("奖项目录不存在")
    return cat


def clawback_get(*, user, pk: int) -> Clawback:
    c = Clawback.objects.filter(pk=pk, nomination__in=nomination_list(user=user)).select_related("nomination").first()
    if c is None:
        raise Http404("该追回记录不存在或无权查看")
    return c


def decision_get(*, user, pk: int) -> Decision:
    d = Decision.objects.filter(pk=pk).select_related("catalogue").first()
    if d is None or (visible_unit_ids(user) is not None):
        # the documents list every award of the city: the offices and leaders read them, unit users do not
        raise Http404("表彰决定不存在或无权查看")
    return d


def notice_get(*, user, pk: int) -> Notice:
    n = Notice.objects.filter(pk=pk).select_related("catalogue").first()
    if n is None or visible_unit_ids(user) is not None:
        raise Http404("公示不存在或无权查看")
    return n


PUBLIC_STATES = (NominationStatus.NOTICE, NominationStatus.DECIDED)


def public_notices() -> QuerySet[Notice]:
    """公示 that anyone may read: those with a nomination still in 公示 or decided."""
    return Notice.objects.filter(nominations__status__in=PUBLIC_STATES).distinct().select_related("catalogue")


def public_rows(notice: Notice) -> list[dict]:
    """Only what was decided to be made public: the name, its unit and the award (no scores, no amounts)."""
    rows = []
    for n in notice.nominations.filter(status__in=PUBLIC_STATES).select_related("item", "unit", "person__unit"):
        unit = n.person.unit.name if n.person_id and n.person.unit_id else (n.unit.name if n.unit_id else "")
        rows.append({"kind": n.item.get_kind_display(), "award": n.item.name, "name": n.subject_name,
                     "unit": unit})
    return rows


def timeline(n: Nomination) -> list[dict]:
    """The award's whole story, oldest first: nomination, reviews, 公示, objections, decision, clawback,
    recovery and referral — each entry from the history of the rows involved."""
    events: list[dict] = []

    def add(at, what, who=None, detail=""):
        events.append({"at": at, "what": what, "who": who, "detail": detail})

    for h in n.history.select_related("history_user").order_by("history_date", "history_id"):
        if h.history_type == "+":
            add(h.history_date, "提名", h.history_user, h.basis)
        elif h.history_change_reason:
            add(h.history_date, h.get_status_display(), h.history_user, h.history_change_reason)
    for r in n.reviews.model.history.filter(nomination_id=n.pk).select_related("signed_by").order_by("history_date"):
        add(r.history_date, f"{r.get_office_display()}审核：{r.get_verdict_display()}", r.signed_by, r.reason)
    for o in n.objections.all():
        first = o.history.order_by("history_date").first()
        add(first.history_date if first else o.resolved_at, f"收到公示异议（{o.received_on:%Y-%m-%d}）",
            o.recorded_by, o.content)
        if o.upheld is not None:
            add(o.resolved_at, "异议处理：" + ("成立" if o.upheld else "不成立"), o.resolved_by, o.resolution)
    for c in n.clawbacks.all():
        add(c.proposed_at, "系统提出追回建议", None, f"{c.explanation}；应追回{c.amount}元")
        if c.confirmed_at:
            add(c.confirmed_at, c.get_status_display(), c.confirmed_by, c.note)
        if c.recovered_on:
            add(c.history.filter(recovered_on__isnull=False).earliest("history_date").history_date,
                f"已追回{c.recovered_amount}元", None, f"{c.recovered_on:%Y-%m-%d}，凭证号{c.receipt_no or '—'}")
        if c.referral_on:
            add(c.history.filter(referral_on__isnull=False).earliest("history_date").history_date,
                "移送纪委监委", None, f"{c.referral_on:%Y-%m-%d}，{c.referral_doc_no or '—'}")
    events.sort(key=lambda e: e["at"])
    return events
