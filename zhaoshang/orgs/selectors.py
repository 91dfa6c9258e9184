"""Reads of units and people, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Person, Unit, User
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
