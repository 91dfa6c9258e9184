"""Writes of the assessment engine: stored scheme versions and manual scores. Each checks the
user's role, validates, and saves in one transaction (history records the user)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError

from ..models import ManualScore
from ..models import Scheme as SchemeRow
from .scheme import parse_scheme


def check_assessor(user, what: str = "考核方案") -> None:
    if not (user and user.is_authenticated and user.is_assessor):
        raise PermissionDeniedError(f"只有考核办或系统管理员可以管理{what}")


def scheme_save(*, text: str, user) -> SchemeRow:
    """Validate and store `text` as the next version of its key (the same text twice is one version)."""
    check_assessor(user)
    scheme = parse_scheme(text)  # raises SchemeError naming the key
    with transaction.atomic():
        latest = SchemeRow.objects.select_for_update().filter(key=scheme.key).order_by("-version").first()
        if latest is not None and latest.sha256 == scheme.sha256:
            return latest
        version = (SchemeRow.objects.filter(key=scheme.key).aggregate(v=Max("version"))["v"] or 0) + 1
        return SchemeRow.objects.create(
            key=scheme.key, name=scheme.name, version=version, text=text, sha256=scheme.sha256, created_by=user
        )


def manual_score_set(
    *,
    user,
    scheme_key: str,
    period: str,
    item_key: str,
    low: Decimal,
    high: Decimal,
    unit_id: int | None = None,
    person_id: int | None = None,
    points,
    reason: str,
) -> ManualScore:
    check_assessor(user, "人工评分")
    try:
        value = Decimal(str(points))
    except InvalidOperation as exc:
        raise ApplicationError("分值应为数字", field_errors={"points": ["分值应为数字"]}) from exc
    if not low <= value <= high:
        msg = f"分值应在 {low} 到 {high} 之间"
        raise ApplicationError(msg, field_errors={"points": [msg]})
    if not reason.strip():
        raise ApplicationError("人工评分必须填写理由", field_errors={"reason": ["人工评分必须填写理由"]})
    with transaction.atomic():
        row = ManualScore.objects.filter(
            scheme_key=scheme_key, period=period, item_key=item_key, unit_id=unit_id, person_id=person_id
        ).first()
        row = row or ManualScore(
            scheme_key=scheme_key, period=period, item_key=item_key, unit_id=unit_id, person_id=person_id
        )
        row.points, row.reason, row.entered_by = value, reason.strip(), user
        row._history_user = user
        row.full_clean()
        row.save()
    return row
