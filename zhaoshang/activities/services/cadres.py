"""招商干部 (issue 13): the roster of investment cadres and what followed a year without result.

Bozhou (004) staffs its 专班 and 招商组 with cadres seconded full time (脱产专职, original post kept) for
two years; a cadre with no result in a year may not stay — they are talked to (约谈) or moved (调整); one
kept on (留任) needs a reason. The roster is kept by the team's unit (or the 考核办)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.text import check_text
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit

from ..choices import FollowUpAction
from ..models import Cadre, CadreFollowUp
from ._common import _not_future, _save, _validate

TERM_YEARS = 2  # Bozhou's groups serve two years


def default_term_end(start: dt.date) -> dt.date:
    """The day before the start's anniversary TERM_YEARS later (29 February → 28 February)."""
    try:
        end = start.replace(year=start.year + TERM_YEARS)
    except ValueError:
        end = start.replace(year=start.year + TERM_YEARS, day=28)
    return end - dt.timedelta(days=1)


def check_can_edit_cadre(user: User, cadre: Cadre) -> None:
    """The cadre's team or home unit may keep their record."""
    try:
        check_can_edit_unit(user, cadre.team_id, what=_("该招商干部"))
    except PermissionDeniedError:
        check_can_edit_unit(user, cadre.unit_id, what=_("该招商干部"))


@transaction.atomic
def cadre_create(*, user: User, person: Person, team: Unit, term_start: dt.date, term_end: dt.date | None = None,
                 full_time: bool = False, original_post: str = "", note: str = "") -> Cadre:
    """Put a person on a team's roster; without an end the term is two years."""
    check_can_edit_unit(user, team.pk, what=_("该专班或招商组的干部名册"))
    if Cadre.objects.filter(person=person, team=team, term_end__gte=term_start).exists() or Cadre.objects.filter(
            person=person, team=team, term_end__isnull=True).exists():
        msg = _("%(name)s在该专班或招商组已有未结束的任期") % {"name": person.name}
        raise ApplicationError(msg, field_errors={"person": [msg]})
    cadre = Cadre(person=person, unit=person.unit, team=team, term_start=term_start,
                  term_end=term_end or default_term_end(term_start), full_time=full_time,
                  original_post=original_post.strip(), note=note.strip(), created_by=user)
    _validate(cadre)
    _save(cadre, user)
    return cadre


@transaction.atomic
def cadre_follow_up(*, user: User, cadre: Cadre, date: dt.date, action: str, reason: str) -> CadreFollowUp:
    """Record what followed a year without result. 调整 ends the term on that date."""
    check_can_edit_cadre(user, cadre)
    reason = (reason or "").strip()
    check_text(reason, field="reason", label=_("理由"), multiline=True)
    if not reason:
        msg = (_("留任须说明理由") if action == FollowUpAction.RETAIN else _("请填写处理理由"))
        raise ApplicationError(msg, field_errors={"reason": [msg]})
    _not_future(date)
    if date < cadre.term_start:
        msg = _("处理日期不能早于任期开始日期")
        raise ApplicationError(msg, field_errors={"date": [msg]})
    follow = CadreFollowUp(cadre=cadre, date=date, action=action, reason=reason, recorded_by=user)
    _validate(follow)
    _save(follow, user)
    if action == FollowUpAction.ADJUST and (cadre.term_end is None or cadre.term_end > date):
        cadre.term_end = date
        _save(cadre, user)
    return follow
