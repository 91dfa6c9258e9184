"""Unit / person selects at province scale (issue 12): the fast select renders Django's HTML, a search picker
replaces it past settings.SELECT_LIMIT, and its lookup stays within the user's scope."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from zhaoshang.core.widgets import FastSelect, FastSelectMultiple, SearchSelect
from zhaoshang.ledger.forms import ProjectForm
from zhaoshang.orgs.lookups import PAGE
from zhaoshang.orgs.models import Unit

from ..factories import EventFactory, PersonFactory, UnitFactory

CHOICES = [("", "---"), (1, "A&B"), ("组", [(2, "<x>"), (3, "y")]), (4, "z")]


@pytest.mark.parametrize("value", [None, 1, "2", 7])
def test_fast_select_renders_djangos_html(value):
    attrs = {"id": "id_n", "required": True, "aria-describedby": "n_help"}
    expected = forms.Select(attrs={"class": "form-select"}, choices=CHOICES).render("n", value, attrs)
    assert FastSelect(attrs={"class": "form-select"}, choices=CHOICES).render("n", value, attrs) == expected


def test_fast_select_multiple_renders_djangos_html():
    expected = forms.SelectMultiple(choices=CHOICES).render("n", [1, 3], {"id": "id_n"})
    assert FastSelectMultiple(choices=CHOICES).render("n", [1, 3], {"id": "id_n"}) == expected


@pytest.mark.django_db
def test_model_select_renders_djangos_html(unit_a, unit_b):
    class Plain(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("code"))

    form = Plain(initial={"unit": unit_b.pk})
    expected = str(form["unit"])
    form.fields["unit"].widget = FastSelect()
    form.fields["unit"].widget.choices = form.fields["unit"].choices
    assert str(form["unit"]) == expected


@pytest.mark.django_db
def test_the_ledger_filters_fixed_selects_render_djangos_html(staff_a):
    from zhaoshang.ledger.forms import ProjectFilterForm

    form = ProjectFilterForm({"stage": "started", "status": "active", "category": "C", "tag": ""}, user=staff_a)
    for name in ("stage", "status", "category", "build_kind", "tag"):
        field = form.fields[name]
        assert isinstance(field.widget, FastSelect), name
        fast_html = str(form[name])
        field.widget = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        assert str(form[name]) == fast_html, name


@pytest.mark.django_db
def test_project_form_small_scale_keeps_full_selects(staff_a, unit_a):
    PersonFactory(unit=unit_a, name="李四")
    form = ProjectForm(user=staff_a)
    assert isinstance(form.fields["introducer"].widget, SearchSelect)
    html = str(form["introducer"])
    assert "李四" in html and "hx-get" not in html  # below the limit: the ordinary select


@pytest.mark.django_db
def test_picker_past_the_limit(settings, assessor, unit_a):
    settings.SELECT_LIMIT = 3
    people = [PersonFactory(unit=unit_a) for _ in range(5)]
    form = ProjectForm(user=assessor, initial={"introducer": people[2].pk})
    html = str(form["introducer"])
    assert f'hx-get="{reverse("orgs:options", args=["people"])}"' in html
    assert 'class="form-select"' in html
    options = re.findall(r'<option value="([^"]*)"( selected)?>', html)
    assert options == [("", ""), (str(people[2].pk), " selected")]  # the empty choice and the current value
    # Validation still uses the whole queryset: any person in scope is accepted, an unknown one refused.
    bound = ProjectForm({"introducer": people[4].pk}, user=assessor)
    bound.is_valid()
    assert "introducer" not in bound.errors
    bound = ProjectForm({"introducer": 999999}, user=assessor)
    bound.is_valid()
    assert "introducer" in bound.errors


@pytest.mark.django_db
def test_lookup_is_scoped_to_the_user(client, staff_a, unit_a, unit_a_child, unit_b):
    mine = PersonFactory(unit=unit_a_child, name="王甲")
    other = PersonFactory(unit=unit_b, name="王乙")
    client.force_login(staff_a)
    html = client.get(reverse("orgs:options", args=["people"]), {"term": "王"}).content.decode()
    assert f'value="{mine.pk}"' in html and f'value="{other.pk}"' not in html
    html = client.get(reverse("orgs:options", args=["units"])).content.decode()
    assert f'value="{unit_a.pk}"' in html and f'value="{unit_b.pk}"' not in html


@pytest.mark.django_db
def test_lookup_matches_code_name_staff_no_and_caps(client, assessor):
    unit = UnitFactory(code="ZS-9", name="亳州市招商局")
    for _ in range(PAGE + 5):
        PersonFactory(unit=unit)
    person = PersonFactory(unit=unit, staff_no="X777", name="赵某")
    client.force_login(assessor)
    url = reverse("orgs:options", args=["people"])
    assert client.get(url).content.decode().count("<option") == PAGE + 1  # the empty choice + a page
    assert f'value="{person.pk}"' in client.get(url, {"q": "x777"}).content.decode()
    assert f'value="{person.pk}"' in client.get(url, {"q": "赵某"}).content.decode()
    units = reverse("orgs:options", args=["units"])
    assert f'value="{unit.pk}"' in client.get(units, {"q": "zs-9"}).content.decode()
    assert f'value="{unit.pk}"' in client.get(units, {"q": "招商局"}).content.decode()
    assert "没有匹配的结果" in client.get(units, {"q": "不存在"}).content.decode()


@pytest.mark.django_db
def test_project_form_event_picker(client, settings, assessor):
    settings.SELECT_LIMIT = 2
    events = [EventFactory() for _ in range(3)]
    html = str(ProjectForm(user=assessor)["signed_at_event"])
    assert "hx-get" in html and events[0].name not in html
    client.force_login(assessor)
    found = client.get(reverse("orgs:options", args=["events"]), {"q": events[1].code}).content.decode()
    assert f'value="{events[1].pk}"' in found and events[1].name in found and f'value="{events[0].pk}"' not in found


@pytest.mark.django_db
def test_lookup_refuses_unknown_kinds_and_anonymous(client, assessor):
    assert client.get(reverse("orgs:options", args=["people"])).status_code == 302
    client.force_login(assessor)
    assert client.get(reverse("orgs:options", args=["nobody"])).status_code == 404


@pytest.mark.django_db
def test_multiple_picker_keeps_its_choices_across_searches(client, settings, staff_a, unit_a, unit_a_child, unit_b):
    """Meeting attendees past the limit: the select holds the chosen people only; a search sends them back
    (`keep`) and gets them first, still selected, then the other matches — never anyone out of scope."""
    from zhaoshang.chains.forms import MeetingForm

    settings.SELECT_LIMIT = 2
    people = [PersonFactory(unit=unit_a_child, name=f"李{i}") for i in range(4)]
    stranger = PersonFactory(unit=unit_b, name="李外")
    form = MeetingForm(user=staff_a, initial={"attendees": [people[0].pk, people[2].pk]})
    html = str(form["attendees"])
    assert 'hx-include="next select"' in html and "keep=attendees" in html and " multiple" in html
    options = re.findall(r'<option value="([^"]*)"( selected)?>', html)
    assert sorted(options) == sorted([(str(people[0].pk), " selected"), (str(people[2].pk), " selected")])

    client.force_login(staff_a)
    url = reverse("orgs:options", args=["people"])
    html = client.get(url, {"keep": "attendees", "term": "李",
                            "attendees": [people[0].pk, stranger.pk, "x"]}).content.decode()
    options = re.findall(r'<option value="([^"]*)"( selected)?( disabled)?>', html)
    assert options[0] == (str(people[0].pk), " selected", "")  # the kept choice, selected
    assert options[1] == ("", "", " disabled")  # the hint between the choices and the matches
    assert {o[0] for o in options[2:]} == {str(p.pk) for p in people[1:]}  # the others, not chosen twice
    assert f'value="{stranger.pk}"' not in html  # a forged id out of scope names nobody

    # the bound form still validates against the whole scoped queryset
    data = {"kind": "dispatch", "title": "调度会", "date": "2024-03-01", "organiser": unit_a.pk,
            "attendees": [people[1].pk, people[3].pk]}
    bound = MeetingForm(data, user=staff_a)
    bound.is_valid()
    assert "attendees" not in bound.errors and list(bound.cleaned_data["attendees"]) == [people[1], people[3]]
    bound = MeetingForm({**data, "attendees": [stranger.pk]}, user=staff_a)
    bound.is_valid()
    assert "attendees" in bound.errors


@pytest.mark.django_db
def test_inspection_units_become_a_picker_past_the_limit(settings, assessor):
    from zhaoshang.integrity.forms.inspections import PlanForm

    units = [UnitFactory(code=f"DC{i:02d}") for i in range(4)]
    assert "form-check-input" in str(PlanForm()["units"])  # a city's units stay checkboxes
    settings.SELECT_LIMIT = 3
    form = PlanForm()
    assert form.units_searchable
    html = str(form["units"])
    assert "hx-get" in html and units[0].name not in html
    bound = PlanForm({"period": "2024Q2", "title": "二季度督查", "units": [units[1].pk, units[3].pk]})
    assert bound.is_valid(), bound.errors
    assert list(bound.cleaned_data["units"]) == [units[1], units[3]]
