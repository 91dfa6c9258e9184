"""Pre-review pages (项目预评审): the list, and the form reached from a project's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import selectors as ledger_selectors
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden

from ..forms.inspections import PreReviewForm
from ..models.prereview import Conclusion
from ..selectors import prereview as selectors
from ..services import prereview as services


@login_required
@require_GET
def prereview_list(request):
    conclusion = request.GET.get("conclusion", "")
    q = request.GET.get("q", "")
    qs = selectors.prereview_list(user=request.user, conclusion=conclusion if conclusion in Conclusion.values else "",
                                  q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "conclusion": conclusion, "q": q, "conclusions": Conclusion.choices,
               "required": services.prereview_required()}
    return render(request, "integrity/prereview_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_forbidden
def prereview_create(request, project_id: int):
    project = ledger_selectors.project_get(user=request.user, pk=project_id)  # 404 outside the scope
    services.check_reviewer(request.user, project)
    form = PreReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prereview_record(user=request.user, project=project, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目预评审已登记。"))
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"project": project, "form": form, "reviews": selectors.project_prereviews(project=project)}
    return render(request, "integrity/prereview_form.html", context)
