"""个人分成 on the project page: the split of a role's credit (引资人 or 帮办秘书) between people
(ledger/credits.py), edited like the units' shares."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError

from . import credits
from .choices import CreditRole
from .forms import CreditFormSet
from .views import _editable_project, refuse_forbidden


@login_required
@require_http_methods(["GET", "POST"])
@refuse_forbidden
def credits_edit(request, pk: int, role: str):
    if role not in CreditRole.values:
        raise Http404
    project = _editable_project(request, pk)
    people = credits.creditable_people(request.user, project)
    initial = [{"person": c.person_id, "ratio": c.ratio} for c in project.credits.filter(role=role)]
    formset = CreditFormSet(request.POST or None, initial=initial, prefix="credits", people=people)
    credit_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            credits.project_set_credits(user=request.user, project=project, role=role, credits=formset.credits(),
                                        correction_reason=request.POST.get("correction_reason", ""))
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            credit_errors = exc.field_errors.get("credits") or exc.field_errors.get("correction_reason") \
                or [exc.message]
        else:
            messages.success(request, _("%(role)s分成比例已保存。") % {"role": CreditRole(role).label})
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"formset": formset, "project": project, "credit_errors": credit_errors,
               "role_label": CreditRole(role).label, "named": credits.named_person(project, role),
               "needs_reason": request.user.is_assessor}
    return render(request, "ledger/credits_form.html", context)
