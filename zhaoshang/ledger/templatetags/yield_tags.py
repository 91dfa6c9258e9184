"""The 产出质效 card of the project page."""

from __future__ import annotations

from django import template

from zhaoshang.orgs.scope import can_see_unit

from ..views import may_edit
from ..yields import project_figures

register = template.Library()


@register.inclusion_tag("ledger/_yields.html", takes_context=True)
def yield_section(context, project):
    user = context["request"].user
    may_verify = user.can_verify and (user.is_assessor or can_see_unit(user, project.lead_unit_id))
    return {"project": project, "rows": project_figures(project), "can_edit": may_edit(user, project),
            "may_verify": may_verify, "request": context["request"], "csrf_token": context.get("csrf_token")}
