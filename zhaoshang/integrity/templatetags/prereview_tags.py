"""The 预评审 section of the project page. The ledger (a lower layer) does not import integrity; its
template loads this tag library, which renders the project's reviews and the link to record one."""

from __future__ import annotations

from django import template

from zhaoshang.core.errors import PermissionDeniedError

from ..selectors.prereview import project_prereviews
from ..services.prereview import check_reviewer, prereview_required

register = template.Library()


@register.inclusion_tag("integrity/_prereview_section.html")
def prereview_section(project, user):
    reviews = project_prereviews(project=project)
    latest = reviews[0] if reviews else None
    try:
        check_reviewer(user, project)
        may_review = True
    except PermissionDeniedError:  # not an assessor of this project's district
        may_review = False
    return {"project": project, "reviews": reviews, "latest": latest, "may_review": may_review,
            "required": prereview_required(), "passed": latest is not None and latest.conclusion == "passed"}
