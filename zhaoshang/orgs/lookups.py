"""Search pickers' lookups (issue 12): each named lookup re-creates, from the user alone, the queryset a form
field offers, so the `<option>`s a search returns are never wider than the select would have been. A form field
opts in with `search_picker(field, "units")`; higher apps may `register` a lookup of their own.

The people lookups never go past the user's scope (orgs.scope): a unit user cannot learn other units' people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from zhaoshang.core.widgets import SearchSelect, SearchSelectMultiple

from .models import Person, Unit, User
from .selectors import person_list, unit_list

PAGE = 50  # at most this many options per search


@dataclass(frozen=True)
class Lookup:
    queryset: Callable[[User], QuerySet]
    label: Callable[[object], str] = str  # must match the field's label_from_instance


LOOKUPS: dict[str, Lookup] = {
    # The ledger's units: every unit in scope, inactive ones too (a project may still name one).
    "units": Lookup(lambda user: unit_list(user=user).order_by("code")),
    # The active units in scope: the units a user may record work for.
    "my-active-units": Lookup(lambda user: unit_list(user=user).filter(is_active=True).order_by("code")),
    # Forms that offer every active unit to anyone (shares, assignments, budgets …): unit names are not private.
    "active-units": Lookup(lambda user: Unit.objects.filter(is_active=True).order_by("code")),
    # Active people in scope; for an assessor that is everyone.
    "people": Lookup(lambda user: person_list(user=user).filter(is_active=True).order_by("unit__code", "staff_no")),
}


def register(name: str, lookup: Lookup) -> None:
    LOOKUPS[name] = lookup


def search(name: str, user: User, q: str) -> list[tuple[int, str]]:
    """The first PAGE records of lookup `name` whose code or name (people: 工号 or name) contains `q`."""
    qs = LOOKUPS[name].queryset(user)
    q = q.strip()[:50]
    if q:
        if qs.model is Person:
            qs = qs.filter(Q(staff_no__icontains=q) | Q(name__icontains=q))
        else:
            qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return [(obj.pk, LOOKUPS[name].label(obj)) for obj in qs[:PAGE]]


def chosen(name: str, user: User, values: list[str]) -> list[tuple[int, str]]:
    """The records of lookup `name` among the posted `values` (a multiple picker's current choices, sent back
    with each search): scoped like the search, so a forged id names nothing outside the user's scope."""
    ids = [int(v) for v in values[:CHOSEN_MAX] if v.isdigit()]
    if not ids:
        return []
    return [(obj.pk, LOOKUPS[name].label(obj)) for obj in LOOKUPS[name].queryset(user).filter(pk__in=ids)]


CHOSEN_MAX = 500  # choices kept across a search (a meeting's attendees, an inspection's units)


def search_picker(field: forms.ModelChoiceField, name: str) -> None:
    """Give `field` a SearchSelect backed by lookup `name` (a search box once the choices pass the limit).
    The lookup must offer no more than the field's queryset does for the same user."""
    if name not in LOOKUPS:
        raise KeyError(name)
    kind = SearchSelectMultiple if isinstance(field, forms.ModelMultipleChoiceField) else SearchSelect
    widget = kind(reverse("orgs:options", args=[name]), attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    field.widget = widget
    widget.choices = field.choices
