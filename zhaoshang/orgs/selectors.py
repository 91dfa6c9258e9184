"""Reads of units and people, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.core.errors import PermissionDeniedError

from .models import Grouping, GroupMembership, Person, Unit, UnitGroup, User
from .scope import visible_unit_ids


def unit_list(*, user: User) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("parent", "group")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(id__in=ids)


def unit_get(*, user: User, pk: int) -> Unit:
    unit = unit_list(user=user).filter(pk=pk).first()
    if unit is None:
        raise Http404(_("单位不存在或无权查看"))
    return unit


def person_list(*, user: User) -> QuerySet[Person]:
    qs = Person.objects.select_related("unit")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(unit_id__in=ids)


def person_get(*, user: User, pk: int) -> Person:
    person = person_list(user=user).filter(pk=pk).first()
    if person is None:
        raise Http404(_("人员不存在或无权查看"))
    return person


# ---------------------------------------------------------------------------------------------
# Groupings (分组口径): the group of a unit under a named grouping, falling back to its own group


def group_under(grouping: str, *, unit: str = ""):
    """An expression for the name of a unit's group under `grouping` (a grouping's name; "" = the
    default grouping, the units' own 考核组别). A unit without a membership in the grouping — or every
    unit, when no grouping of that name exists — falls back to its own group. `unit` is the path to
    the unit from the queried model ("" on Unit, "unit__" on Person). One correlated subquery, so the
    resolution costs no extra query."""
    own = F(f"{unit}group__name")
    if not grouping:
        return own
    member = GroupMembership.objects.filter(
        grouping__name=grouping, unit_id=OuterRef(f"{unit}pk" if unit else "pk")
    ).values("group__name")[:1]
    return Coalesce(Subquery(member), own)


def units_grouped(grouping: str = "") -> QuerySet[Unit]:
    """Units annotated with `resolved_group` (see `group_under`; None when the unit has no group)."""
    return Unit.objects.annotate(resolved_group=group_under(grouping))


def people_grouped(grouping: str = "") -> QuerySet[Person]:
    """People annotated with `resolved_group`: their unit's group under `grouping`."""
    return Person.objects.annotate(resolved_group=group_under(grouping, unit="unit__"))


def grouping_exists(name: str) -> bool:
    return bool(name) and Grouping.objects.filter(name=name).exists()


@dataclass
class GroupingView:
    """One grouping as the groupings page shows it: its groups with their unit counts and its members."""

    name: str
    description: str = ""
    is_default: bool = False
    groups: list[tuple[str, int]] = field(default_factory=list)  # (group name, units)
    members: list[dict] = field(default_factory=list)  # unit code, unit name, kind, group name
    fallback: int = 0  # active units without a membership: they keep their own group


def grouping_overview(*, user: User) -> list[GroupingView]:
    """The default grouping (units' own 考核组别) and every named grouping, for users who see all
    units (a grouping spans the whole city). A few queries, whatever the number of groupings."""
    if not user.sees_all_units:
        raise PermissionDeniedError(_("只有能查看全部单位的用户可以查看分组口径"))
    active = Unit.objects.filter(is_active=True)
    n_active = active.count()
    default = GroupingView(_("默认口径（单位表的考核组别）"), _("单位没有另设分组时，按此组别参加考核"), True)
    default.groups = [(name or _("未分组"), n) for name, n in active.values_list("group__name").annotate(
        n=Count("id")).order_by("group__code")]
    out = [default]
    by_id = {g.pk: GroupingView(g.name, g.description) for g in Grouping.objects.order_by("name")}
    counts: dict[int, dict[str, int]] = {pk: {} for pk in by_id}
    rows = GroupMembership.objects.select_related("unit", "group").order_by("group__code", "unit__code")
    for m in rows:
        view = by_id[m.grouping_id]
        view.members.append({"code": m.unit.code, "name": m.unit.name, "kind": m.unit.get_kind_display(),
                             "group": m.group.name, "active": m.unit.is_active})
        if m.unit.is_active:
            counts[m.grouping_id][m.group.name] = counts[m.grouping_id].get(m.group.name, 0) + 1
    for pk, view in by_id.items():
        view.groups = list(counts[pk].items())
        view.fallback = n_active - sum(counts[pk].values())
        out.append(view)
    return out


def group_names() -> list[str]:
    return list(UnitGroup.objects.order_by("code").values_list("name", flat=True))
