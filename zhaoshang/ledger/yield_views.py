"""产出质效 pages: record, correct and delete a producing project's yearly yield, and the verifier's steps
on it. The yields are listed on the project page (templatetags/yield_tags.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today

from . import selectors, yields
from .forms import MoneyField, add_correction_reason, add_service_errors, bootstrap
from .models import ProjectYield
from .views import GET_POST, _editable_project, refuse_forbidden


class YieldForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=yields.FIRST_YEAR)
    output_value = MoneyField(label=gettext_lazy("产值(万元)"), max_digits=18, decimal_places=4, required=False,
                              min_value=0, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    tax = MoneyField(label=gettext_lazy("税收(万元)"), max_digits=18, decimal_places=4, required=False, min_value=0,
                     widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                     help_text=gettext_lazy("企业当年实际缴纳的税收（万元）"))
    employees = forms.IntegerField(label=gettext_lazy("用工人数"), required=False, min_value=0)
    land_mu = forms.DecimalField(label=gettext_lazy("用地(亩)"), max_digits=12, decimal_places=2, required=False,
                                 min_value=0, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["year"].disabled = True
        else:
            self.fields["year"].initial = today().year - 1
        add_correction_reason(self, user)
        bootstrap(self)


def _item(project, item_pk: int) -> ProjectYield:
    item = ProjectYield.objects.filter(pk=item_pk, project=project).first()
    if item is None:
        raise Http404
    item.project = project
    return item


@login_required
@GET_POST
@refuse_forbidden
def yield_create(request, pk: int):
    project = _editable_project(request, pk)
    form = YieldForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            yields.yield_record(user=request.user, project=project, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(year)s年产出已登记，待核实认定。") % {"year": form.cleaned_data["year"]})
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"form": form, "project": project, "heading": _("登记产出"), "form_id": "yield-form",
               "submit_label": _("保存")}
    return render(request, "ledger/yield_form.html", context)


@login_required
@GET_POST
@refuse_forbidden
def yield_edit(request, pk: int, item_pk: int):
    project = _editable_project(request, pk)
    item = _item(project, item_pk)
    initial = {name: getattr(item, name) for name in ("year", *yields.YIELD_FIELDS)}
    form = YieldForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            yields.yield_update(user=request.user, item=item, **data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(year)s年产出已更新。") % {"year": item.year})
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"form": form, "project": project, "heading": _("修改%(year)s年产出") % {"year": item.year},
               "form_id": "yield-form", "submit_label": _("保存"), "item": item}
    return render(request, "ledger/yield_form.html", context)


@login_required
@require_POST
@refuse_forbidden
def yield_delete(request, pk: int, item_pk: int):
    project = _editable_project(request, pk)
    item = _item(project, item_pk)
    try:
        yields.yield_delete(user=request.user, item=item,
                            correction_reason=request.POST.get("correction_reason", ""))
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(year)s年产出已删除。") % {"year": item.year})
    return redirect("ledger:project_detail", pk=project.pk)


@login_required
@require_POST
@refuse_forbidden
def yield_verify(request, pk: int, item_pk: int, action: str):
    """通过 / 退回 / 不予认定 of one yield, by a verifier who can see the project (404 otherwise)."""
    project = selectors.project_get(user=request.user, pk=pk)
    item = _item(project, item_pk)
    if action not in ("approve", "return", "reject"):
        raise Http404
    try:
        if action == "approve":
            yields.yield_approve(user=request.user, item=item, note=request.POST.get("note", ""))
        else:
            yields.yield_send_back(user=request.user, item=item, reason=request.POST.get("reason", ""),
                                   reject=action == "reject")
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(year)s年产出的核实状态已更新。") % {"year": item.year})
    return redirect("ledger:project_detail", pk=project.pk)
