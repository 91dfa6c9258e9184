"""The verification queue (核实认定) pages: a filtered list of stage filings and fund arrivals, one record
with its evidence beside it, the verifier's steps, and the unit's 被退回 list. Thin views: reads through
the scoped selectors (404 outside the scope), writes through the services; htmx gets partials from the
same views."""

from __future__ import annotations

import os
from math import ceil

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger.choices import EvidenceKind, Verification
from zhaoshang.ledger.evidence import INLINE_TYPES, missing_evidence
from zhaoshang.ledger.models import StageRecord
from zhaoshang.ledger.views import DEFAULT_EVIDENCE_KIND, _page_links, _wants_partial, refuse_forbidden

from ..forms.verification import NoteForm, QueueFilterForm, ReasonForm
from ..selectors import verification as selectors
from ..services import verification as services

ACTIONS = {"approve", "return", "reject"}


def _row(fact) -> dict:
    return {
        "fact": fact,
        "kind": selectors.fact_kind(fact),
        "type_label": selectors.fact_type_label(fact),
        "amount": selectors.fact_amount(fact),
        "missing": missing_evidence(fact),
        # the material a 重新报送 form offers first: what this kind of record usually lacks
        "default_kind": DEFAULT_EVIDENCE_KIND.get(fact.stage, EvidenceKind.OTHER) if isinstance(fact, StageRecord)
        else EvidenceKind.BANK_RECEIPT,
    }


def _evidence(fact) -> list[dict]:
    """Each file of the fact with the URL that opens it inline and how the page should show it."""
    if isinstance(fact, StageRecord):
        items = [(item.pk, item.file, item.get_kind_display(), "stage") for item in fact.evidence.all()]
    elif fact.evidence:
        kind = EvidenceKind(fact.evidence_kind or EvidenceKind.OTHER).label
        items = [(fact.pk, fact.evidence, kind, "fund")]
    else:
        items = []
    out = []
    for pk, file, kind_label, kind in items:
        name = os.path.basename(file.name)
        content_type = INLINE_TYPES.get(os.path.splitext(name)[1].lower(), "")
        out.append({
            "name": name, "kind_label": kind_label,
            "inline_url": reverse("ledger:evidence_inline", args=[kind, pk]),
            "download_url": reverse("ledger:evidence", args=[kind, pk]),
            "is_pdf": content_type == "application/pdf", "is_image": content_type.startswith("image/"),
        })
    return out


def _back(request, default: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default


@login_required
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET, user=request.user)
    filters = form.to_filters()
    size = settings.LEDGER_PAGE_SIZE
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    result = selectors.verification_queue(user=request.user, filters=filters, offset=(page - 1) * size, limit=size)
    pages = max(1, ceil(result.count / size))
    if page > pages:  # a page past the end (the queue shrank as records were handled): show the last one
        page = pages
        result = selectors.verification_queue(user=request.user, filters=filters, offset=(page - 1) * size,
                                              limit=size)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": [_with_approvable(_row(f), request.user) for f in result.items],
        "count": result.count,
        "page": page,
        "pages": pages,
        "page_links": _page_links(page, pages),
        "query": query.urlencode(),
        "can_verify": request.user.can_verify,
        "returned": [] if request.user.can_verify else [_row(f) for f in selectors.returned_facts(user=request.user)],
        "evidence_kinds": EvidenceKind.choices,
        "here": request.get_full_path(),
    }
    template = "integrity/_verification_table.html" if _wants_partial(request) else "integrity/verification_queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _approvable_states(user) -> tuple[str, ...]:
    """The states the user's 通过 applies to (the services still decide)."""
    if user.is_assessor:
        return (Verification.PENDING, Verification.PRELIMINARY)
    return (Verification.PENDING,) if user.can_verify else ()


def _with_approvable(row: dict, user) -> dict:
    """Only rows the user can pass get a ticking box: complete evidence, and a state the user passes."""
    row["approvable"] = not row["missing"] and row["fact"].verification in _approvable_states(user)
    return row


def _detail_context(request, fact) -> dict:
    history = list(fact.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    # The buttons mirror the services' rules (which still decide): a district passes 待核实; the city also
    # verifies 初审通过 and may withdraw its own 已认定; a returned record may still be refused outright.
    user, state = request.user, fact.verification
    open_states = {Verification.PENDING, Verification.PRELIMINARY} | (
        {Verification.VERIFIED} if user.is_assessor else set())
    return {
        **_row(fact),
        "evidence": _evidence(fact),
        "history": history,
        "can_approve": state in _approvable_states(user),
        "can_return": user.can_verify and state in open_states,
        "can_reject": user.can_verify and state in open_states | {Verification.RETURNED},
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "next": _back(request, reverse("integrity:verification_queue")),
    }


@login_required
@require_GET
def fact_detail(request, kind: str, pk: int):
    fact = selectors.fact_get(user=request.user, kind=kind, pk=pk)
    template = "integrity/_verification_detail.html" if _wants_partial(request) else \
        "integrity/verification_detail.html"
    return render(request, template, _detail_context(request, fact))


@login_required
@require_POST
@refuse_forbidden
def fact_action(request, kind: str, pk: int, action: str):
    """通过 / 退回 / 不予认定 one record; the page (or the htmx partial) says what happened."""
    if action not in ACTIONS:
        raise Http404
    fact = selectors.fact_get(user=request.user, kind=kind, pk=pk)  # 404 outside the scope, whatever the role
    if not request.user.can_verify:
        raise PermissionDeniedError(_("只有考核办可以核实认定"))
    label = selectors.fact_label(fact)
    try:
        if action == "approve":
            # The raw note: the service strips control characters and refuses an over-long one by name.
            note = request.POST.get("note", "")
            fact = services.fact_approve(user=request.user, fact=fact, note=note)
            done = _("%(fact)s：%(state)s") % {"fact": label, "state": fact.get_verification_display()}
        else:
            reason = request.POST.get("reason", "")
            step = services.fact_return if action == "return" else services.fact_reject
            fact = step(user=request.user, fact=fact, reason=reason)
            done = _("%(fact)s：%(state)s") % {"fact": label, "state": fact.get_verification_display()}
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    if _wants_partial(request):
        fact = selectors.fact_get(user=request.user, kind=kind, pk=pk)
        return render(request, "integrity/_verification_detail.html", _detail_context(request, fact))
    return redirect(_back(request, reverse("integrity:verification_detail", args=[kind, pk])))


def _keys(values: list[str]) -> list[tuple[str, int]]:
    keys = []
    for value in values:
        kind, _sep, pk = value.partition("-")
        if kind not in selectors.MODELS or not pk.isdigit():
            raise Http404
        keys.append((kind, int(pk)))
    return keys


@login_required
@require_POST
@refuse_forbidden
def bulk_approve(request):
    """Approve the ticked records with one note: all of them, or none (the message says which failed)."""
    facts = selectors.facts_get(user=request.user, keys=_keys(request.POST.getlist("facts")))
    if not request.user.can_verify:
        raise PermissionDeniedError(_("只有考核办可以核实认定"))
    try:
        done = services.facts_approve_many(user=request.user, facts=facts, note=request.POST.get("note", ""))
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已通过%(n)s条记录。") % {"n": len(done)})
    return redirect(_back(request, reverse("integrity:verification_queue")))
