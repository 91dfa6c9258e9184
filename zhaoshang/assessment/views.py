"""Assessment pages: schemes (list, view, validate, upload, copy, edit), runs, ranked results, a
subject's sheet with the rows behind each number, manual points, and what-if. Thin views: the
engine computes, selectors scope, `engine.store` writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from zhaoshang.activities.models import Submission
from zhaoshang.assessment.publishing import publish as publish_with_bulletin
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Person

from . import selectors
from .engine import run as engine
from .engine.scheme import SchemeError, parse_scheme, preset_keys, preset_text
from .engine.store import check_assessor, manual_score_set, scheme_save
from .forms import ManualScoreForm, RunForm, SchemeTextForm
from .models import Scheme as SchemeRow

GET_POST = require_http_methods(["GET", "POST"])
GRADE_CLASSES = {"优秀": "success", "合格": "primary", "良好": "info", "不合格": "danger", "无实绩": "warning"}


def refuse_forbidden(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)

    return wrapper


def assessor_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        check_assessor(request.user)
        return view(request, *args, **kwargs)

    return refuse_forbidden(wrapper)


# ---------------------------------------------------------------------------------------------
# Schemes


@login_required
def scheme_list(request):
    return render(
        request,
        "assessment/scheme_list.html",
        {
            "schemes": selectors.scheme_catalogue(),
            "may_edit": request.user.is_assessor,
            "form": SchemeTextForm(),
        },
    )


def _scheme_text(key: str, version: int | None = None) -> tuple[str, SchemeRow | None]:
    if version is None and key in preset_keys() and not SchemeRow.objects.filter(key=key).exists():
        return preset_text(key), None
    qs = SchemeRow.objects.filter(key=key)
    row = get_object_or_404(qs, version=version) if version else qs.order_by("-version").first()
    if row is None:
        return preset_text(key), None
    return row.text, row


@login_required
def scheme_detail(request, key: str):
    version = request.GET.get("v")
    try:
        text, row = _scheme_text(key, int(version) if version and version.isdigit() else None)
    except SchemeError as exc:
        return render(request, "404.html", {"message": exc.message}, status=404)
    scheme = parse_scheme(text)
    return render(
        request,
        "assessment/scheme_detail.html",
        {
            "scheme": scheme,
            "text": text,
            "row": row,
            "is_preset": key in preset_keys() and row is None,
            "versions": SchemeRow.objects.filter(key=key).order_by("-version"),
            "may_edit": request.user.is_assessor,
        },
    )


@login_required
@require_POST
def scheme_validate(request):
    """htmx: validate the posted text and answer with the same message the save would give."""
    form = SchemeTextForm(request.POST, request.FILES)
    ok = form.is_valid()
    return render(
        request, "assessment/_validation.html", {"form": form, "ok": ok, "scheme": getattr(form, "scheme", None)}
    )


@login_required
@assessor_only
@GET_POST
def scheme_edit(request, key: str | None = None):
    """Upload a new scheme (key None) or edit one: saved only when valid, as its next version."""
    if request.method == "POST":
        form = SchemeTextForm(request.POST, request.FILES)
        if form.is_valid():
            row = scheme_save(text=form.cleaned_data["text"], user=request.user)
            messages.success(request,
                             _("已保存方案“%(name)s”第%(version)s版") % {"name": row.name, "version": row.version})
            return redirect("assessment:scheme_detail", key=row.key)
    else:
        initial = {}
        if key:
            initial["text"] = _scheme_text(key)[0]
        form = SchemeTextForm(initial=initial)
    return render(request, "assessment/scheme_form.html", {"form": form, "key": key})


@login_required
@assessor_only
@require_POST
def scheme_copy(request, key: str):
    """Copy a preset (or a stored scheme) under a new key given by the user, then edit it."""
    new_key = (request.POST.get("new_key") or f"{key}-copy").strip()
    text, _row = _scheme_text(key)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("key ="):
            lines[i] = f'key = "{new_key}"'
            break
    try:
        row = scheme_save(text="\n".join(lines) + "\n", user=request.user)
    except SchemeError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:scheme_detail", key=key)
    messages.success(request, _("已复制为“%(key)s”，可在此修改") % {"key": row.key})
    return redirect("assessment:scheme_edit", key=row.key)


# ---------------------------------------------------------------------------------------------
# Runs


@login_required
@refuse_forbidden
@GET_POST
def run_list(request):
    form = None
    if request.user.is_assessor:
        form = RunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                scheme = engine.resolve_scheme(d["scheme"])
                row = SchemeRow.objects.filter(key=scheme.key, sha256=scheme.sha256).first()
                rr = engine.run_scheme(scheme, d["period"], d["as_of"], group=d["group"])
                run = engine.store(rr, user=request.user, scheme_row=row)
                if d["publish"]:
                    publish_with_bulletin(user=request.user, run=run)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("考核完成：%(n)s 个考核对象") % {"n": len(rr.results)})
                return redirect("assessment:run_detail", pk=run.pk)
    elif request.method == "POST":
        raise PermissionDeniedError(_("只有考核办或系统管理员可以运行考核"))
    runs = selectors.run_list(user=request.user)[:100]
    return render(request, "assessment/run_list.html", {"form": form, "runs": runs})


def _grouped(results: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for r in results:
        r["grade_class"] = GRADE_CLASSES.get(r["grade"], "secondary")
        groups.setdefault(r["group"], []).append(r)
    return list(groups.items())


@login_required
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    results = selectors.visible_results(user=request.user, run=run)
    items = results[0]["items"] if results else []
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "groups": _grouped(results),
            "items": items,
            "conflicts": run.results.get("conflicts", []),
            "may_edit": request.user.is_assessor,
            # subjects some items did not apply to (no target), and ties at the honours boundary
            "missing_targets": [r for r in results if r.get("missing_targets")],
            "honours_undecided": [r for r in results if r.get("honours_pending")],
        },
    )


@login_required
@assessor_only
@require_POST
def run_publish(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        publish_with_bulletin(user=request.user, run=run)
        messages.success(request, _("已发布：此结果今后不会再改变"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:run_detail", pk=pk)


@login_required
def run_json(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    import json

    data = {k: v for k, v in run.results.items() if k != "inputs"}
    data["results"] = selectors.visible_results(user=request.user, run=run)
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")


def _others_text(others: dict[str, list[int]]) -> list[str]:
    """The non-project rows behind a value, said in words: people by name, months for submissions, and
    how many fund arrivals or visits (their projects are linked already). Never the rows' ids."""
    out, sep = [], pgettext("list separator", "、")
    if others.get("people"):
        names = Person.objects.filter(id__in=others["people"]).order_by("staff_no").values_list("name", "staff_no")
        out.append(_("人员：%(names)s") % {"names": sep.join(f"{n}（{no}）" for n, no in names)})
    if others.get("submissions"):
        periods = Submission.objects.filter(id__in=others["submissions"]).order_by("period").values_list(
            "period", flat=True)
        out.append(_("报送期间：%(periods)s") % {"periods": sep.join(periods)})
    if others.get("funds"):
        out.append(_("到位资金%(n)s笔") % {"n": len(others["funds"])})
    if others.get("visits"):
        out.append(_("走访%(n)s次") % {"n": len(others["visits"])})
    known = {"people", "submissions", "funds", "visits"}
    out.extend(_("%(n)s条记录") % {"n": len(v)} for k, v in others.items() if k not in known)
    return out


@login_required
def subject_sheet(request, pk: int, subject_id: int):
    run = selectors.run_get(user=request.user, pk=pk)
    result = selectors.result_get(user=request.user, run=run, subject_id=subject_id)
    scheme = parse_scheme(run.scheme_text)
    rows = engine.rows_behind(run, subject_id)
    project_ids = {pid for r in rows.values() for pid in r.get("projects", [])}
    projects = {p.id: p for p in Project.objects.filter(id__in=project_ids).only("id", "code", "name", "signed_amount")}
    sheet = []
    for res in result["items"]:
        item = scheme.item(res["key"])
        names = [item.value, item.add] if item.value else []
        if item.formula:
            names = sorted(item.formula.names)
        behind = []
        for n in names:
            if not n or n not in rows:
                continue
            r = rows[n]
            behind.append(
                {
                    "name": n,
                    "label": scheme.values[n].label,
                    "projects": [projects[i] for i in r.get("projects", []) if i in projects],
                    "others": _others_text({k: v for k, v in r.items() if k != "projects" and v}),
                }
            )
        sheet.append({**res, "behind": behind})
    return render(
        request,
        "assessment/subject_sheet.html",
        {
            "run": run,
            "result": result,
            "sheet": sheet,
            "grade_class": GRADE_CLASSES.get(result["grade"], "secondary"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Manual points and what-if


@login_required
@assessor_only
@GET_POST
def manual_scores(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    scheme = parse_scheme(run.scheme_text)
    items = [i for i in scheme.items if i.rule == "manual"]
    subjects = run.results.get("inputs", [])
    form = ManualScoreForm(request.POST or None, items=items, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item = scheme.item(d["item"])
        key = "person_id" if scheme.subject == "person" else "unit_id"
        try:
            manual_score_set(
                user=request.user,
                scheme_key=scheme.key,
                period=run.period,
                item_key=item.key,
                low=item.floor,
                high=item.max,
                points=d["points"],
                reason=d["reason"],
                **{key: d["subject"]},
            )
        except ApplicationError as exc:
            for field, errs in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errs)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存人工评分；重新运行考核后计入结果"))
            return redirect("assessment:manual_scores", pk=pk)
    return render(
        request,
        "assessment/manual_scores.html",
        {
            "run": run,
            "items": items,
            "form": form,
            "scores": selectors.manual_scores(scheme_key=scheme.key, period=run.period),
        },
    )


def _overrides(post, scheme) -> dict:
    out: dict = {"points": {}, "target_scale": {}}
    for item in scheme.items:
        w = post.get(f"w_{item.key}", "").strip()
        t = post.get(f"t_{item.key}", "").strip()
        try:
            if w and item.points is not None and Decimal(w) != item.points:
                out["points"][item.key] = Decimal(w)
            if t and item.target and Decimal(t) != 100:
                out["target_scale"][item.key] = Decimal(t) / 100
        except InvalidOperation:
            raise ApplicationError(_("“%(name)s”的权重或目标应为数字") % {"name": item.name}) from None
    return out


@login_required
@refuse_forbidden
@GET_POST
def what_if(request, pk: int):
    """Change weights or targets and see totals and ranks beside the real ones. Recomputed from the
    run's frozen inputs; nothing is written."""
    if not request.user.sees_all_units:
        raise PermissionDeniedError(_("模拟测算仅供考核办和领导使用"))
    run = selectors.run_get(user=request.user, pk=pk)
    scheme = parse_scheme(run.scheme_text)
    real = {r["subject"]["id"]: r for r in run.results.get("results", [])}
    error, rows = "", []
    overrides = {}
    if request.method == "POST":
        try:
            overrides = _overrides(request.POST, scheme)
        except ApplicationError as exc:
            error = exc.message
    _scheme, results = engine.rescore(run, overrides)
    for r in results:
        base = real.get(r.subject.id)
        rows.append(
            {
                "code": r.subject.code,
                "name": r.subject.name,
                "group": r.group,
                "id": r.subject.id,
                "real_total": Decimal(base["total"]) if base else None,
                "real_rank": base["rank"] if base else None,
                "total": r.total,
                "rank": r.rank,
                "grade": r.grade,
                "delta": r.total - Decimal(base["total"]) if base else None,
            }
        )
    ctx = {
        "run": run,
        "scheme": scheme,
        "rows": rows,
        "error": error,
        "post": request.POST,
        "adjustable": [i for i in scheme.items if i.rule in ("proportional", "relative_best", "efficacy") or i.target],
    }
    if request.htmx:
        return render(request, "assessment/_whatif_table.html", ctx)
    return render(request, "assessment/what_if.html", ctx)
