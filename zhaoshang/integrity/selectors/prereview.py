"""Reads for pre-review (项目预评审), scoped to the user through the project's introducing unit."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

from ..models.prereview import PreReview


def prereview_list(*, user: User, conclusion: str = "", q: str = "") -> QuerySet[PreReview]:
    qs = PreReview.objects.select_related("project", "project__lead_unit", "reviewed_by")
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(project__lead_unit_id__in=ids)
    if conclusion:
        qs = qs.filter(conclusion=conclusion)
    if q.strip():
        text = q.strip()
        qs = qs.filter(Q(project__code__icontains=text) | Q(project__name__icontains=text))
    return qs.order_by("-reviewed_on", "-id")


def project_prereviews(*, project) -> list[PreReview]:
    """A project's reviews, latest first (the caller has already checked the project is in scope)."""
    return list(PreReview.objects.filter(project=project).select_related("reviewed_by").order_by("-reviewed_on", "-id"))
