"""Writes for pre-review (项目预评审) and the signing guard the ledger calls.

The ledger offers `signing_guards` (zhaoshang/ledger/hooks.py); integrity registers `signing_guard`
there (integrity/hooks.py). When the city requires pre-review (settings.REQUIRE_PREREVIEW), a project
is filed as signed only once its latest pre-review passed; a project created with a signing date has
no review yet, so it is created 在谈, reviewed, then signed. The workbook import applies the same rule
through `signing_refusal`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import clean_text
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import can_see_unit

from ..models.prereview import Conclusion, PreReview


def refusal_message() -> str:
    """One sentence, the same in the form, the API and the import."""
    return _("该项目尚未通过预评审（转调方向、政策导向、环保），不能登记签约。请先完成项目预评审。")


def prereview_required() -> bool:
    return bool(getattr(settings, "REQUIRE_PREREVIEW", False))


def latest_review(project_id: int | None) -> PreReview | None:
    if not project_id:
        return None
    return PreReview.objects.filter(project_id=project_id).order_by("-reviewed_on", "-id").first()


def has_passed(project_id: int | None) -> bool:
    """The project's latest pre-review passed (a later 不通过 withdraws an earlier 通过)."""
    review = latest_review(project_id)
    return review is not None and review.conclusion == Conclusion.PASSED


def signing_refusal(*, project_id: int | None, signed_on: dt.date | None, was_signed: bool) -> str | None:
    """Why this write may not sign the project, or None. For the import, which writes in bulk."""
    if not prereview_required() or signed_on is None or was_signed:
        return None
    return None if has_passed(project_id) else refusal_message()


def signing_guard(*, project: Project, user) -> None:
    """Registered in ledger.hooks.signing_guards: called only when a write signs a project anew."""
    message = signing_refusal(project_id=project.pk, signed_on=project.signed_on, was_signed=False)
    if message:
        raise ApplicationError(message, field_errors={"signed_on": [message]})


def check_reviewer(user: User, project: Project) -> None:
    """The city office anywhere; a district office (区考核办) for the projects of its district."""
    if user.is_authenticated and user.is_assessor:
        return
    if user.is_authenticated and user.is_district_assessor and can_see_unit(user, project.lead_unit_id):
        return
    raise PermissionDeniedError(_("只有考核办或本辖区的区考核办可以登记项目预评审"))


@transaction.atomic
def prereview_record(*, user: User, project: Project, direction_fit: str, policy_fit: str, reviewer: str,
                     reviewed_on: dt.date, conclusion: str, direction_note: str = "", policy_note: str = "",
                     high_pollution: bool = False, high_energy: bool = False, high_emission: bool = False,
                     note: str = "") -> PreReview:
    check_reviewer(user, project)
    if reviewed_on is not None and reviewed_on > today():
        message = _("评审日期 %(date)s 晚于今天") % {"date": f"{reviewed_on:%Y-%m-%d}"}
        raise ApplicationError(message, field_errors={"reviewed_on": [message]})
    review = PreReview(
        project=project, direction_fit=direction_fit,
        direction_note=clean_text(direction_note, field="direction_note", label=_("转调方向说明"), max_length=300),
        policy_fit=policy_fit,
        policy_note=clean_text(policy_note, field="policy_note", label=_("政策导向说明"), max_length=300),
        high_pollution=bool(high_pollution), high_energy=bool(high_energy), high_emission=bool(high_emission),
        reviewer=clean_text(reviewer, field="reviewer", label=_("评审人"), max_length=200),
        reviewed_by=user, reviewed_on=reviewed_on, conclusion=conclusion,
        note=clean_text(note, field="note", label=_("评审意见"), max_length=2000, multiline=True),
    )
    _validate(review)
    _save(review, user)
    return review
