"""Who may see and change which units.

Scope is enforced in selectors and services (never only in templates): every list, detail, API
call and import asks `visible_unit_ids` or `check_can_edit_unit`.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.errors import PermissionDeniedError

from .models import Unit, User


def descendant_ids(root_id: int) -> set[int]:
    """The unit and all units below it. Units number in the hundreds, so one query and a walk."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for uid, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(uid)
    found, stack = set(), [root_id]
    while stack:
        uid = stack.pop()
        if uid in found:
            continue
        found.add(uid)
        stack.extend(children.get(uid, []))
    return found


def visible_unit_ids(user: User) -> set[int] | None:
    """None means every unit; otherwise the ids the user may see (own unit and its children)."""
    if not user.is_authenticated:
        return set()
    if user.sees_all_units:
        return None
    if user.unit_id is None:
        return set()
    cache = getattr(user, "_zs_scope_cache", None)
    if cache is None:
        cache = descendant_ids(user.unit_id)
        user._zs_scope_cache = cache
    return cache


def can_see_unit(user: User, unit_id: int | None) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids


def check_can_edit_unit(user: User, unit_id: int | None, *, what: str = gettext_lazy("该单位的数据")) -> None:
    """Raise unless the user may write records belonging to `unit_id`."""
    if not user.is_authenticated or user.is_read_only:
        raise PermissionDeniedError(_("您没有修改%(what)s的权限（只读账号）") % {"what": what})
    if user.is_assessor:
        return
    if not can_see_unit(user, unit_id):
        raise PermissionDeniedError(_("您只能修改本单位及下级单位的数据，无权修改%(what)s") % {"what": what})
