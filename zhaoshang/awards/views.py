"""Pages of the awards: the catalogue, nominations with their reviews, the 公示 (and its public page),
the decision with its documents, and the clawback. Login and role checks as elsewhere; unit users see
only their own unit's nominations (404 otherwise); the public notice page needs no login and shows
only the names, units and awards in 公示 or decided."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import today
from zhaoshang.core.workdays import known
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden
from zhaoshang.orgs.scope import visible_unit_ids

from . import clawback as cb
from . import documents, selectors, services
from .choices import NominationStatus, ReviewOffice
from .forms import (
    AwardItemForm,
    CatalogueForm,
    DecisionForm,
    ManualNominationForm,
    NominateForm,
    NoteForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    RecoveryForm,
    ResolveForm,
    ReviewForm,
)
from .models import AwardItem, Catalogue, Objection

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GET_POST = require_http_methods(["GET", "POST"])


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _form_page(request, form, heading: str, submit: str, back: str, intro: str = "", form_id: str = "award-form"):
    return render(request, "awards/form.html", {"form": form, "heading": heading, "submit_label": submit,
                                                "back": back, "intro": intro, "form_id": form_id})


@login_required
@require_GET
def index(request):
    catalogues = list(Catalogue.objects.all())
    noms = selectors.nomination_list(user=request.user)
    status = request.GET.get("status", "")
    if status in NominationStatus.values:
        noms = noms.filter(status=status)
    return render(request, "awards/index.html", {
        "catalogues": catalogues, "nominations": noms[:500], "statuses": NominationStatus.choices,
        "status": status, "can_manage": services.can_manage(request.user),
        "sees_all": visible_unit_ids(request.user) is None,
    })


# ---- catalogue ----------------------------------------------------------------------------------------------
@login_required
@GET_POST
@refuse_forbidden
def catalogue_edit(request, pk: int | None = None):
    services.check_manage(request.user, "奖项目录")
    cat = selectors.catalogue_get(pk) if pk else None
    form = CatalogueForm(request.POST or None, instance=cat)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if cat is None:
            obj.created_by = request.user
        obj.save()
        messages.success(request, "奖项目录已保存")
        return redirect("awards:catalogue_detail", pk=obj.pk)
    return _form_page(request, form, "编辑奖项目录" if cat else "新建奖项目录", "保存",
                      reverse("awards:index"), form_id="catalogue-form")


@login_required
@require_GET
def catalogue_detail(request, pk: int):
    cat = selectors.catalogue_get(pk)
    noms = selectors.nomination_list(user=request.user).filter(item__catalogue=cat)
    sees_all = visible_unit_ids(request.user) is None
    can = services.can_manage(request.user)
    return render(request, "awards/catalogue_detail.html", {
        "cat": cat, "items": cat.items.all(), "nominations": noms, "can_manage": can, "sees_all": sees_all,
        "notices": cat.notices.all() if sees_all else [], "decisions": cat.decisions.all() if sees_all else [],
        "nominate_form": NominateForm(year=cat.year) if can else None,
        "ready": noms.filter(status=NominationStatus.REVIEWED).count(),
        "in_notice": noms.filter(status=NominationStatus.NOTICE).count(),
    })


@login_required
@GET_POST
@refuse_forbidden
def item_edit(request, pk: int, item_pk: int | None = None):
    services.check_manage(request.user, "奖项")
    cat = selectors.catalogue_get(pk)
    item = get_object_or_404(AwardItem, pk=item_pk, catalogue=cat) if item_pk else None
    form = AwardItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.catalogue = cat
        obj.save()
        messages.success(request, f"奖项“{obj.name}”已保存")
        return redirect("awards:catalogue_detail", pk=cat.pk)
    return _form_page(request, form, f"{cat.year}年度 · {'编辑奖项' if item else '新增奖项'}", "保存",
                      reverse("awards:catalogue_detail", args=[cat.pk]), form_id="item-form",
                      intro="依据方案填写方案编码（如 huaiyin-2020）；门槛指标填写方案中指标的键（如 funds）。")


@login_required
@require_POST
@refuse_forbidden
def nominate(request, pk: int):
    cat = selectors.catalogue_get(pk)
    services.check_manage(request.user, "奖励提名")
    form = NominateForm(request.POST, year=cat.year)
    if not form.is_valid():
        messages.error(request, "请选择已发布的考核结果")
    else:
        try:
            created = services.nominate_from_run(user=request.user, run=form.cleaned_data["run"])
            messages.success(request, f"已根据考核结果生成{len(created)}个提名")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("awards:catalogue_detail", pk=cat.pk)


@login_required
@GET_POST
@refuse_forbidden
def manual_nomination(request, pk: int):
    cat = selectors.catalogue_get(pk)
    services.check_manage(request.user, "人工提名")
    form = ManualNominationForm(request.POST or None, catalogue=cat)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            n = services.safe_create(services.nominate_manually, user=request.user, item=d["item"],
                                     unit=d["unit"], person=d["person"], reason=d["reason"], run=d["run"])
            messages.success(request, f"已提名{n.subject_name}")
            return redirect("awards:nomination_detail", pk=n.pk)
        except ApplicationError as exc:
            add_service_errors(form, exc)
    return _form_page(request, form, f"{cat.year}年度 · 人工提名", "提名", reverse("awards:catalogue_detail",
                      args=[cat.pk]), intro="单位与人员选择其一；先进个人奖请选择人员。", form_id="manual-form")


# ---- nomination ---------------------------------------------------------------------------------------------
def _result_row(n):
    if n.run is None:
        return None
    return next((r for r in n.run.results.get("results", []) if f"{r['subject']['type']}:{r['subject']['id']}"
                 == n.subject_key), None)


@login_required
@require_GET
def nomination_detail(request, pk: int):
    n = selectors.nomination_get(user=request.user, pk=pk)
    offices = services.review_offices(request.user)
    can = services.can_manage(request.user)
    open_ = n.status in services.OPEN_STATES
    reviews = {r.office: r for r in n.reviews.select_related("signed_by")}
    row = _result_row(n)
    return render(request, "awards/nomination_detail.html", {
        "n": n, "row": row, "subject_id": row["subject"]["id"] if row else None,
        "reviews": [(o, reviews.get(o.value)) for o in ReviewOffice],
        "review_form": ReviewForm(offices=offices) if offices and open_ else None,
        "can_manage": can, "withdraw_form": ReasonForm() if can and n.status in (
            *services.OPEN_STATES, NominationStatus.NOTICE) else None,
        "objection_form": ObjectionForm(initial={"received_on": today()}) if can and n.status ==
        NominationStatus.NOTICE else None,
        "objections": n.objections.select_related("recorded_by", "resolved_by"),
        "resolve_form": ResolveForm() if can else None,
        "clawbacks": n.clawbacks.select_related("confirmed_by"),
        "candidates": cb.rejected_facts(n) if can and n.status in cb.ACTIVE else [],
        "note_form": NoteForm(), "recovery_form": RecoveryForm(initial={"recovered_on": today()}),
        "timeline": selectors.timeline(n),
        "notice_known": known(n.notice.end_on) if n.notice_id else True,
    })


def _back(n):
    return redirect("awards:nomination_detail", pk=n.pk)


@login_required
@require_POST
@refuse_forbidden
def nomination_review(request, pk: int):
    n = selectors.nomination_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST, offices=services.review_offices(request.user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(n)
    try:
        services.review(user=request.user, nomination=n, **form.cleaned_data)
        messages.success(request, f"已登记{ReviewOffice(form.cleaned_data['office']).label}审核意见")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(n)


@login_required
@require_POST
@refuse_forbidden
def nomination_withdraw(request, pk: int):
    n = selectors.nomination_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销理由")
        return _back(n)
    try:
        services.withdraw(user=request.user, nomination=n, reason=form.cleaned_data["reason"])
        messages.success(request, "提名已撤销")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(n)


@login_required
@require_POST
@refuse_forbidden
def objection_add(request, pk: int):
    n = selectors.nomination_get(user=request.user, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写收到日期和异议内容")
        return _back(n)
    try:
        services.record_objection(user=request.user, nomination=n, **form.cleaned_data)
        messages.success(request, "已登记公示异议")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(n)


@login_required
@require_POST
@refuse_forbidden
def objection_resolve(request, pk: int):
    o = get_object_or_404(Objection, pk=pk)
    n = selectors.nomination_get(user=request.user, pk=o.nomination_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写处理结果")
        return _back(n)
    try:
        services.resolve_objection(user=request.user, objection=o, **form.cleaned_data)
        messages.success(request, "异议已处理")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(n)


# ---- 公示 and decision --------------------------------------------------------------------------------------
@login_required
@GET_POST
@refuse_forbidden
def notice_start(request, pk: int):
    cat = selectors.catalogue_get(pk)
    services.check_manage(request.user, "公示")
    form = NoticeForm(request.POST or None, initial={"start_on": today(), "days": cat.notice_days,
                                                     "doc_no": f"〔{today().year}〕 号"})
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.start_notice(user=request.user, catalogue=cat, **form.cleaned_data)
            messages.success(request, f"公示已发布，公示期至{notice.end_on:%Y-%m-%d}")
            return redirect("awards:catalogue_detail", pk=cat.pk)
        except ApplicationError as exc:
            add_service_errors(form, exc)
    return _form_page(request, form, f"{cat.year}年度 · 发布公示", "发布公示",
                      reverse("awards:catalogue_detail", args=[cat.pk]), form_id="notice-form",
                      intro="三方审核均同意的提名进入公示。公示期按工作日计算：法定节假日不计，调休上班日计入，开始当日不计。")


@login_required
@GET_POST
@refuse_forbidden
def decide(request, pk: int):
    cat = selectors.catalogue_get(pk)
    services.check_manage(request.user, "表彰决定登记")
    form = DecisionForm(request.POST or None, initial={"decided_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decide(user=request.user, catalogue=cat, **form.cleaned_data)
            messages.success(request, f"已登记领导小组表彰决定（{decision.doc_no}）")
            return redirect("awards:catalogue_detail", pk=cat.pk)
        except ApplicationError as exc:
            add_service_errors(form, exc)
    return _form_page(request, form, f"{cat.year}年度 · 登记领导小组表彰决定", "登记决定",
                      reverse("awards:catalogue_detail", args=[cat.pk]), form_id="decision-form",
                      intro="公示期满且异议均已处理的提名予以表彰。")


@login_required
@require_GET
def notice_docx(request, pk: int):
    notice = selectors.notice_get(user=request.user, pk=pk)
    return _download(documents.notice_docx(notice), DOCX, f"{notice.catalogue.year}年度奖励公示.docx")


@login_required
@require_GET
def decision_docx(request, pk: int):
    d = selectors.decision_get(user=request.user, pk=pk)
    return _download(documents.decision_docx(d), DOCX, f"{d.catalogue.year}年度表彰决定.docx")


@login_required
@require_GET
def payout_xlsx(request, pk: int):
    d = selectors.decision_get(user=request.user, pk=pk)
    return _download(documents.payout_xlsx(d), XLSX, f"{d.catalogue.year}年度奖励发放清单.xlsx")


# ---- public notice (no login) --------------------------------------------------------------------------------
@require_GET
def public_list(request):
    return render(request, "awards/public_list.html", {"notices": selectors.public_notices()})


@require_GET
def public_notice(request, pk: int):
    notice = selectors.public_notices().filter(pk=pk).first()
    if notice is None:
        raise Http404("公示不存在")
    return render(request, "awards/public_notice.html", {
        "notice": notice, "rows": selectors.public_rows(notice), "open": notice.end_on >= today()})


# ---- clawback -----------------------------------------------------------------------------------------------
@login_required
@require_POST
@refuse_forbidden
def clawback_check(request, pk: int):
    n = selectors.nomination_get(user=request.user, pk=pk)
    services.check_manage(request.user, "追回核查")
    try:
        found = cb.propose(n)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(n)
    if found:
        messages.warning(request, f"重新计算后有{len(found)}项追回建议，请确认")
    else:
        messages.success(request, "重新计算后，被否定的事实不影响该奖励，无需追回")
    return _back(n)


@login_required
@require_POST
@refuse_forbidden
def clawback_decide(request, pk: int, action: str):
    c = selectors.clawback_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写意见")
        return _back(c.nomination)
    fn = cb.confirm if action == "confirm" else cb.dismiss
    try:
        fn(user=request.user, clawback=c, note=form.cleaned_data["note"])
        messages.success(request, "已确认追回" if action == "confirm" else "已决定不予追回")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(c.nomination)


@login_required
@require_POST
@refuse_forbidden
def clawback_recovery(request, pk: int):
    c = selectors.clawback_get(user=request.user, pk=pk)
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{e}" for k, errs in form.errors.items()
                                         for e in errs if k in form.fields))
        return _back(c.nomination)
    d = form.cleaned_data
    try:
        cb.record_recovery(user=request.user, clawback=c, amount=d["recovered_amount"],
                           recovered_on=d["recovered_on"], receipt_no=d["receipt_no"],
                           referral_on=d["referral_on"], referral_doc_no=d["referral_doc_no"])
        messages.success(request, "已登记追回情况")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(c.nomination)


