"""个人分成: a project's credit split between people, per role (引资人 or 帮办秘书).

Huaiyin (001) credits "引资单位及引资人" and "帮办服务单位及帮办秘书"; as a project may be shared
between units (ProjectShare), a person's credit may be split between several people by ratio. Without
credit rows of a role the project's `introducer` (引资人) or `assisting_secretary` (帮办秘书) holds that
role's credit whole. The ratios of one project and role sum to 1.

Writes follow the shares: only a user who may edit the project's introducing unit sets them, a closed
period (结账) needs an assessor and a reason, and every row change is in the history."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.orgs.models import Person, User
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids
from zhaoshang.periods import closing

from . import hooks
from .choices import CreditRole
from .models import Project, ProjectCredit

CREDIT_TOLERANCE = Decimal("0.00001")
CreditSpec = Sequence[tuple[Person, Decimal]]


def named_person(project: Project, role: str) -> Person | None:
    """The person the project names for `role` (its 引资人 or 帮办秘书)."""
    return project.introducer if role == CreditRole.INTRODUCER else project.assisting_secretary


def credit_split(project: Project, role: str) -> list[tuple[Person, Decimal]]:
    """Who holds the role's credit and for what part: the credit rows, else the named person whole."""
    rows = [(c.person, c.ratio) for c in project.credits.filter(role=role).select_related("person")]
    if rows:
        return rows
    person = named_person(project, role)
    return [(person, Decimal(1))] if person is not None else []


def creditable_people(user: User, project: Project) -> QuerySet[Person]:
    """The people a user may name in a project's split: active people of the user's units (all, for an
    assessor), and whoever the project already names or credits — a unit user learns no other unit's staff."""
    qs = Person.objects.filter(is_active=True)
    ids = visible_unit_ids(user)
    if ids is None:
        return qs.select_related("unit").order_by("unit__code", "staff_no")
    own = Q(unit_id__in=ids)
    credited = set(project.credits.values_list("person_id", flat=True))
    credited |= {pk for pk in (project.introducer_id, project.assisting_secretary_id) if pk}
    return (Person.objects.filter((own & Q(is_active=True)) | Q(pk__in=credited))
            .select_related("unit").order_by("unit__code", "staff_no"))


def check_credits(role: str, credits: CreditSpec) -> None:
    """The split's own rules, each error in Chinese: a known role, no person twice, each ratio in (0, 1],
    and (when any row is given) a sum of 1."""
    if role not in CreditRole.values:
        raise ApplicationError(_("分成角色应为引资人或帮办秘书"), field_errors={"role": [_("无效的角色")]})
    errors: list[str] = []
    people = [p.pk for p, _r in credits]
    if len(set(people)) != len(people):
        errors.append(_("同一人员重复出现"))
    try:
        ratios = [Decimal(r) for _p, r in credits]
    except (InvalidOperation, TypeError, ValueError):
        ratios = []
        errors.append(_("比例应为小数，如 0.6"))
    if any(r <= 0 or r > 1 for r in ratios):
        errors.append(_("每个比例必须大于0且不超过1"))
    total = sum(ratios, Decimal(0))
    if ratios and abs(total - 1) > CREDIT_TOLERANCE:
        errors.append(_("%(role)s分成比例之和应为1，实际为%(total)s")
                      % {"role": CreditRole(role).label, "total": f"{total.normalize():f}"})
    if errors:
        separator = pgettext("list separator", "；")
        raise ApplicationError(_("个人分成比例有误：%(errors)s") % {"errors": separator.join(errors)},
                               field_errors={"credits": errors})


def _summary(role: str, credits: CreditSpec) -> str:
    label = CreditRole(role).label
    if not credits:
        return f"{label}：取消分成"
    return f"{label}：" + "；".join(f"{p.name}{Decimal(r).normalize():f}" for p, r in credits)


@transaction.atomic
def project_set_credits(*, user: User, project: Project, role: str, credits: CreditSpec,
                        correction_reason: str = "") -> list[ProjectCredit]:
    """Replace the project's credit split for `role`; an empty list returns the credit whole to the
    person the project names. Returns the rows now held."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    credits = list(credits)
    check_credits(role, credits)
    allowed = set(creditable_people(user, project).values_list("pk", flat=True))
    outside = [p.name for p, _r in credits if p.pk not in allowed]
    if outside:
        msg = _("不能把分成记给以下人员（不在本单位范围或已离职）：%(names)s") % {"names": "、".join(outside)}
        raise ApplicationError(msg, field_errors={"credits": [msg]})
    closed = closing.guard(user=user, dates=[project.signed_on], reason=correction_reason)
    project = Project.objects.select_for_update().get(pk=project.pk)
    existing = {c.person_id: c for c in project.credits.filter(role=role)}
    keep: set[int] = set()
    out = []
    for person, ratio in credits:
        row = existing.get(person.pk) or ProjectCredit(project=project, person=person, role=role)
        if row.pk is None or row.ratio != Decimal(ratio):
            row.ratio = Decimal(ratio)
            _validate(row)
            _save(row, user)
        keep.add(person.pk)
        out.append(row)
    for person_id, row in existing.items():
        if person_id not in keep:
            row._history_user = user
            row.delete()
    closed.record(record="个人分成", action="修改", project=project, summary=_summary(role, credits))
    hooks.project_saved(project=project, user=user)
    return out
