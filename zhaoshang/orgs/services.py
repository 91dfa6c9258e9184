"""Writes to units and people, used by the admin-facing pages, the API and imports."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate

from .models import Grouping, GroupMembership, Person, Unit, UnitGroup, User
from .scope import check_can_edit_unit

UNIT_FIELDS = ("code", "name", "kind", "parent", "group", "regions", "focus_industries", "lead_leader", "is_active")
PERSON_FIELDS = ("staff_no", "name", "unit", "title", "role", "user", "is_active")


def _set(instance, allowed: tuple[str, ...], fields: dict) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))},
                               field_errors={k: [_("未知字段")] for k in unknown})
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _check_master_data(user: User) -> None:
    if not user.is_assessor:
        raise PermissionDeniedError(_("只有系统管理员和考核办可以维护单位"))


def _check_no_cycle(unit: Unit) -> None:
    seen, parent = {unit.pk}, unit.parent
    while parent is not None:
        if parent.pk in seen:
            raise ApplicationError(_("上级单位形成循环"), field_errors={"parent": [_("上级单位不能是本单位的下级")]})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def unit_create(*, user: User, **fields) -> Unit:
    _check_master_data(user)
    unit = Unit()
    _set(unit, UNIT_FIELDS, fields)
    _validate(unit)
    _save(unit, user)
    return unit


@transaction.atomic
def unit_update(*, user: User, unit: Unit, **fields) -> Unit:
    _check_master_data(user)
    _set(unit, UNIT_FIELDS, fields)
    _validate(unit)
    _check_no_cycle(unit)
    _save(unit, user)
    return unit


@transaction.atomic
def person_create(*, user: User, **fields) -> Person:
    person = Person()
    _set(person, PERSON_FIELDS, fields)
    check_can_edit_unit(user, person.unit_id, what=_("该单位的人员"))
    _validate(person)
    _save(person, user)
    return person


@transaction.atomic
def person_update(*, user: User, person: Person, **fields) -> Person:
    check_can_edit_unit(user, person.unit_id, what=_("该单位的人员"))
    _set(person, PERSON_FIELDS, fields)
    check_can_edit_unit(user, person.unit_id, what=_("目标单位的人员"))
    _validate(person)
    _save(person, user)
    return person


@transaction.atomic
def membership_set(*, user: User, unit: Unit, grouping: str, group: str) -> GroupMembership:
    """Put `unit` in `group` under the grouping named `grouping` (分组口径), replacing its group there.
    A grouping or group that does not exist yet is created, as the 单位 sheet does for 考核组别."""
    _check_master_data(user)
    grouping, group = grouping.strip(), group.strip()
    if not grouping or not group:
        raise ApplicationError(_("分组口径和组别都不能为空"),
                               field_errors={"grouping" if not grouping else "group": [_("不能为空")]})
    found = Grouping.objects.filter(name=grouping).first()
    if found is None:
        found = Grouping(name=grouping)
        _validate(found)
        _save(found, user)
    target = UnitGroup.objects.filter(name=group).first()
    if target is None:
        target = UnitGroup(code=group[:32], name=group)
        _validate(target)
        _save(target, user)
    membership = GroupMembership.objects.filter(grouping=found, unit=unit).first() or GroupMembership(
        grouping=found, unit=unit)
    if membership.pk is None or membership.group_id != target.pk:
        membership.group = target
        _validate(membership)
        _save(membership, user)
    return membership
