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
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from zhaoshang.assessment.publishing import publish as publish_with_bulletin
from zhaoshang.core.db_router import stale_reads
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError

from . import selectors
from .behind import split_signs, subject_behind
from .engine import run as engine
from .engine import whatif, wording
from .engine.explain import num
from .engine.scheme import SchemeError, parse_scheme, preset_keys, preset_text
from .engine.store import check_assessor, manual_score_set, scheme_save
from .forms import ManualScoreForm, RunForm, SchemeTextForm
from .models import Scheme as SchemeRow

GET_POST = require_http_methods(["GET", "POST"])
CONFLICTS_SHOWN = 100  # named on the run page
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


# The scheme page's 期中考核 column: each item's `interim` (engine.scheme.INTERIM) in words, with how it is done.
SCHEME_INTERIM = {
    "pro_rata": (gettext_noop("按序时进度"), gettext_noop("目标和次数门槛 × 序时进度（已过月数 ÷ 12），次数向上取整")),
    "as_is": (gettext_noop("按实计"), gettext_noop("年初至今的数据照实计分")),
    "annual_only": (gettext_noop("年度考核时计分"), gettext_noop("季度、月度考核中本项0分，只列进度")),
}


def _scheme_rows(scheme) -> list[dict]:
    """The item table of the scheme page: each item with its interim behaviour and, where an item without
    a target does not apply (missing_target = "skip"), that rule, all in Chinese words."""
    rows = []
    for item in scheme.items:
        label, how = SCHEME_INTERIM[item.interim]
        rows.append({
            "item": item,
            "interim": _(label),
            "interim_how": _(how),
            "skip": _("未设目标时不参与考核，按其他指标得分率折算") if item.missing_target == "skip" else "",
        })
    return rows


def _scheme_honours(scheme) -> list[str]:
    """先进单位 as the office reads it: how many, among whom, when, and how a tie at the boundary is broken."""
    if not scheme.honours_top:
        return [_("本方案不评先进单位等荣誉。")]
    among = _("各组内") if scheme.honours_within == "group" else _("全体考核对象中")
    lines = [_("%(name)s：%(among)s总分前%(top)s名，只在年度考核中评定，季度、月度考核不评。")
             % {"name": scheme.honours_name, "among": among, "top": scheme.honours_top}]
    if scheme.honours_tie_breakers:
        names = "、".join(scheme.item(k).name for k in scheme.honours_tie_breakers)
        lines.append(_("名额边界总分并列时，依次比较%(items)s的得分，高者列前；仍并列的，由考核办确定。")
                     % {"items": names})
    else:
        lines.append(_("方案未规定并列时的排序办法：名额边界总分并列的，由考核办确定，不多评。"))
    return lines


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
            "rows": _scheme_rows(scheme),
            "honours": _scheme_honours(scheme),
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


def _empty_reason(run) -> str:
    """Why a run shows no subjects: the user's scope hides them, or the scheme's groups held no unit."""
    if run.results.get("results"):
        return _("本次考核的考核对象都不在您的查看范围内。")
    try:
        scheme = parse_scheme(run.scheme_text)
    except SchemeError:
        return _("本次考核没有考核对象。")
    groups = "、".join(f"“{g}”" for g in scheme.groups) or _("（方案未列组别）")
    if scheme.grouping:
        return _(
            "本次考核没有考核对象：分组口径“%(grouping)s”的组别%(groups)s中没有单位。"
            "请在“单位 → 分组口径”中把单位划入这些组别后重新运行。"
        ) % {"grouping": scheme.grouping, "groups": groups}
    return _(
        "本次考核没有考核对象：组别%(groups)s中没有单位。请在“单位”页为单位设定考核组别后重新运行。"
    ) % {"groups": groups}


@login_required
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    results = selectors.visible_results(user=request.user, run=run)
    items = results[0]["items"] if results else []
    conflicts = selectors.visible_conflicts(user=request.user, run=run)
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "empty_reason": _empty_reason(run) if not results else "",
            "groups": _grouped(results),
            "items": items,
            # A province's run can leave out hundreds of thousands of projects after a year's scan: the page
            # names the first ones and counts the rest (the flags list has them all).
            "conflicts": conflicts[:CONFLICTS_SHOWN],
            "conflict_count": len(conflicts),
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
    data["conflicts"] = selectors.visible_conflicts(user=request.user, run=run)
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")


def _limit(item, kind: str) -> str:
    """满分50分 / 减分项 / 加分项（最多2分）: what an item's points are out of."""
    if kind == "deduct":
        return _("减分项")
    if kind == "bonus":
        return _("加分项（最多%(n)s分）") % {"n": num(item.max)} if item.max else _("加分项")
    return _("满分%(n)s分") % {"n": num(item.max)} if item.max is not None else ""


@login_required
def subject_sheet(request, pk: int, subject_id: int):
    """A subject's points item by item, each with its explanation and the rows behind it named (ten
    listed, the rest folded); on a base score (加减分制) the 减分项 and 加分项 apart."""
    run = selectors.run_get(user=request.user, pk=pk)
    result = selectors.result_get(user=request.user, run=run, subject_id=subject_id)
    scheme = parse_scheme(run.scheme_text)
    behind = subject_behind(run, scheme, result, subject_id)
    sheet = []
    for res in result["items"]:
        item = scheme.item(res["key"])
        values = behind.get(item.key, [])
        split = split_signs(item, values)
        kind = wording.item_kind(item, scheme)
        sheet.append({**res, "behind": values, "minus": split[0] if split else None,
                      "plus": split[1] if split else None, "kind": kind, "limit": _limit(item, kind)})
    if scheme.base:
        sections = [(_("减分项"), [i for i in sheet if i["kind"] == "deduct"]),
                    (_("加分项"), [i for i in sheet if i["kind"] != "deduct"])]
    else:
        sections = [("", sheet)]
    return render(
        request,
        "assessment/subject_sheet.html",
        {
            "run": run,
            "result": result,
            "sections": [(title, items) for title, items in sections if items],
            "base": scheme.base,
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


def _pct(v: Decimal) -> str:
    return num(v * 100)


def _controls(scheme) -> list[dict]:
    """What the what-if page lets an office change, item by item: every item has its points (or upper
    limit), its target where it has one, and its thresholds (bands, per-item points, base, ranks)."""
    out = []
    for item in scheme.items:
        k, r = item.key, item.rule
        fields: list[dict] = []

        def add(name, label, value, suffix="", fields=fields):
            fields.append({"name": name, "label": label, "value": value, "suffix": suffix})

        if r in ("proportional", "relative_best", "efficacy"):
            add(f"points__{k}", _("分值"), num(item.points if r != "efficacy" else item.max), _("分"))
        if r == "proportional":
            add(f"cap__{k}", _("完成率封顶"), _pct(item.opts["cap"]), "%")
        if item.target:
            add(f"target__{k}", _("目标比例"), "100", "%")
        if r == "thresholds":
            for j, (mn, p) in enumerate(item.opts["bands"]):
                add(f"bmin__{k}__{j}", _("第%(n)s档门槛") % {"n": j + 1}, _pct(mn) if item.target else num(mn),
                    "%" if item.target else "")
                add(f"bpts__{k}__{j}", _("第%(n)s档得分") % {"n": j + 1}, num(p), _("分"))
        if r == "per_item":
            add(f"base__{k}", _("基础分"), num(item.opts["base"]), _("分"))
            add(f"per__{k}", _("每项分值"), num(item.opts["per"]), _("分"))
        if r == "rank":
            for j, p in enumerate(item.opts["ranks"]):
                add(f"rank__{k}__{j}", _("第%(n)s名得分") % {"n": j + 1}, num(p), _("分"))
            add(f"rest__{k}", _("其余名次得分"), num(item.opts["rest"]), _("分"))
        if r == "formula":
            add(f"factor__{k}", _("得分倍数"), "100", "%")
        if r in ("per_item", "manual", "formula") and item.max is not None and (item.max > 0 or r == "manual"):
            add(f"cap__{k}", _("上限"), num(item.max), _("分"))
        if r in ("per_item", "manual") and item.floor is not None:
            add(f"floor__{k}", _("下限"), num(item.floor), _("分"))
        out.append({"item": item, "fields": fields})
    return out


# form field prefix → (what-if change, the form's value in % is divided by 100)
FIELD_KINDS = {"points": ("points", False), "target": ("target_scale", True), "cap": ("cap", False),
               "floor": ("floor", False), "per": ("per", False), "base": ("base", False),
               "rest": ("rest", False), "factor": ("factor", True)}


def _overrides(post, scheme) -> dict:
    """The posted form → what-if changes (only what differs from the scheme). A value that is not a
    number is passed on as typed, so that `whatif.check` names it."""
    items = {i.key: i for i in scheme.items}
    defaults = {f["name"]: f["value"] for c in _controls(scheme) for f in c["fields"]}
    data: dict = {}
    listed: dict[tuple[str, str], dict[int, str]] = {}
    unknown = []
    for name, raw in post.items():
        parts = name.split("__")
        if len(parts) < 2 or name == "csrfmiddlewaretoken":
            continue
        prefix, key = parts[0], parts[1]
        if prefix not in FIELD_KINDS and prefix not in ("bmin", "bpts", "rank"):
            continue
        if key not in items:
            kind = FIELD_KINDS[prefix][0] if prefix in FIELD_KINDS else "ranks" if prefix == "rank" else "bands"
            unknown.append(f"{kind}.{key}")
            continue
        raw = raw.strip()
        if not raw or raw == defaults.get(name):
            continue
        if prefix in ("bmin", "bpts", "rank"):
            if len(parts) == 3 and parts[2].isdigit():
                listed.setdefault((prefix, key), {})[int(parts[2])] = raw
            continue
        kind, percent = FIELD_KINDS[prefix]
        if percent or (kind == "cap" and items[key].rule == "proportional"):
            data.setdefault(kind, {})[key] = _scaled(raw)
        else:
            data.setdefault(kind, {})[key] = raw
    if unknown:
        fields = {f: [_("没有键为“%(key)s”的考核指标") % {"key": f.split(".", 1)[1]}] for f in unknown}
        key = unknown[0].split(".", 1)[1]
        raise ApplicationError(_("模拟测算的参数有误：没有键为“%(key)s”的考核指标") % {"key": key},
                               field_errors=fields)
    for (prefix, key), changed in listed.items():
        if prefix == "rank":  # the places' points as a list, the unchanged ones as they were
            ranks = items[key].opts["ranks"]
            data.setdefault("ranks", {})[key] = [changed.get(j, num(p)) for j, p in enumerate(ranks)]
    for key in {k for (prefix, k) in listed if prefix in ("bmin", "bpts")}:
        item = items[key]
        mins, pts_ = listed.get(("bmin", key), {}), listed.get(("bpts", key), {})
        bands = []
        for j, (mn, p) in enumerate(item.opts["bands"]):
            m = mins.get(j)
            bands.append([(_scaled(m) if item.target else m) if m is not None else mn, pts_.get(j, p)])
        data.setdefault("bands", {})[key] = bands
    return data


def _scaled(raw: str):
    """A percentage typed in the form as a factor (120 → 1.2), or the text as typed if not a number."""
    try:
        return Decimal(raw.replace(",", "")) / 100
    except InvalidOperation:
        return raw


@login_required
@refuse_forbidden
@GET_POST
def what_if(request, pk: int):
    """Change weights or targets and see totals and ranks beside the real ones. Recomputed from the
    run's frozen inputs; nothing is written."""
    if not request.user.sees_all_units:
        raise PermissionDeniedError(_("模拟测算仅供考核办和领导使用"))
    with stale_reads():  # the stored run only, read from the replica when there is one
        run = selectors.run_get(user=request.user, pk=pk)
    scheme = parse_scheme(run.scheme_text)
    real = {r["subject"]["id"]: r for r in run.results.get("results", [])}
    error, rows, status = "", [], 200
    overrides = {}
    if request.method == "POST":
        try:
            overrides = whatif.check(scheme, _overrides(request.POST, scheme))
        except ApplicationError as exc:  # shown above the table, and answered 400: nothing was computed
            error, status = exc.message, 400
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
        "controls": [
            {**c, "fields": [{**f, "value": request.POST.get(f["name"], f["value"])} for f in c["fields"]]}
            for c in _controls(scheme)
        ],
    }
    if request.htmx:
        return render(request, "assessment/_whatif_table.html", ctx, status=status)
    return render(request, "assessment/what_if.html", ctx, status=status)
