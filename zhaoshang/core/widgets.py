"""Selects that stay fast when a province has thousands of units and tens of thousands of people (issue 12).

`FastSelect` renders exactly the HTML of Django's Select, but by joining escaped strings: Django renders a
template per option, which costs ~0.1 ms each — 290 ms for a 3,000-unit select, seconds for 27,000 people.

`SearchSelect` goes further once a field offers more than settings.SELECT_LIMIT (ZHAOSHANG_SELECT_LIMIT) choices:
the select holds only the empty choice and the current value, and a search box beside it asks a lookup view (htmx,
no inline script) for at most a page of matching `<option>`s (`?term=`). Validation is untouched: the field
still checks the posted value against its whole queryset, so a forged value is refused as before. Below the limit
it is a FastSelect, so small installations (and the demo city) see the ordinary select.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

DEFAULT_SELECT_LIMIT = 300


def select_limit() -> int:
    return getattr(settings, "SELECT_LIMIT", DEFAULT_SELECT_LIMIT)


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False drops the attribute, True writes its bare name.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items() if value is not False
    )


class FastSelect(forms.Select):
    """Django's Select, same HTML, without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(self.render_select(name, self.format_value(value), attrs, self.choices))

    def render_select(self, name, values: list[str], attrs, choices) -> str:
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        wanted = set(values)
        selected_one = False
        parts = [f'<select name="{escape(name)}"{_attrs(final)}>']

        def option(value, label) -> str:
            nonlocal selected_one
            value = "" if value is None else str(value)
            # Like Select.optgroups: a single select marks only the first matching option.
            selected = (self.allow_multiple_selected or not selected_one) and value in wanted
            selected_one = selected_one or selected
            flag = " selected" if selected else ""
            return f'\n  <option value="{escape(value)}"{flag}>{conditional_escape(label)}</option>\n'

        for group, label in choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
                parts.extend(option(v, sub) for v, sub in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(group, label))
        parts.append("\n</select>")
        return "".join(parts)


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class SearchSelect(FastSelect):
    """A FastSelect over a ModelChoiceField's queryset that turns into a search picker past the limit.
    `url` is the lookup returning `<option>`s for `?term=`; it must apply the same scope as the field's
    queryset (see zhaoshang.orgs.lookups)."""

    def __init__(self, url: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.url = url

    def small_choices(self) -> list | None:
        """The field's choices when it offers no more than the limit, else None (a search picker then).

        One sliced read of at most limit + 1 rows gives both the answer and the options. Counting first and
        then iterating the choices cost two queries, the second through a server-side cursor on PostgreSQL
        (DECLARE, FETCH, CLOSE): three round trips on every ledger page for a county's handful of units."""
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return list(choices)
        rows = list(queryset[: select_limit() + 1])
        if len(rows) > select_limit():
            return None
        empty_label = getattr(choices.field, "empty_label", None)
        head = [("", empty_label)] if empty_label is not None else []
        return head + [choices.choice(obj) for obj in rows]

    def render(self, name, value, attrs=None, renderer=None):
        small = self.small_choices()
        if small is not None:
            return mark_safe(self.render_select(name, self.format_value(value), attrs, small))
        values = self.format_value(value)
        field = self.choices.field
        empty_label = getattr(field, "empty_label", None)  # a multiple choice field has none
        choices = [("", empty_label)] if empty_label is not None else []
        for raw in values:
            if raw in field.empty_values:
                continue
            try:
                choices.append(self.choices.choice(field.to_python(raw)))
            except ValidationError:
                continue  # an invalid posted value: the field's error says so; nothing to show
        select = self.render_select(name, values, attrs, choices)
        return mark_safe(f'<div class="zs-picker">{self.search_box(self.url)}{select}</div>')

    @staticmethod
    def search_box(url: str, extra: str = "") -> str:
        placeholder = escape(_("输入编码或名称搜索"))
        # form="…" names no form, so the search box is never submitted with the form it sits in, and Enter in
        # it does not submit that form. For a GET htmx sends only the box's own value, named "term" (filter
        # forms have a "q"); push-url "false" overrides a filter form's inherited hx-push-url.
        search = (
            f'<input type="search" name="term" form="zs-lookup" class="form-control form-control-sm mb-1"'
            f' placeholder="{placeholder}" aria-label="{placeholder}" autocomplete="off"'
            f' hx-get="{escape(url)}" hx-trigger="input changed delay:300ms, search"'
            f' hx-target="next select" hx-swap="innerHTML" hx-push-url="false"{extra}>'
        )
        return search


class SearchSelectMultiple(SearchSelect):
    """SearchSelect for a ModelMultipleChoiceField (meeting attendees, inspected units). Past the limit the
    select holds the chosen records only; a search sends the chosen values along (`hx-include`) and the
    lookup answers with them, still selected, followed by the matches, so a search never drops a choice."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing: that means none chosen

    def format_value(self, value):
        return forms.SelectMultiple.format_value(self, value)

    def render(self, name, value, attrs=None, renderer=None):
        small = self.small_choices()
        if small is not None:
            return mark_safe(self.render_select(name, self.format_value(value), attrs, small))
        values = self.format_value(value)
        field = self.choices.field
        chosen = [v for v in values if v not in field.empty_values]
        choices = []
        if chosen:
            try:
                choices = [self.choices.choice(obj) for obj in field.queryset.filter(pk__in=chosen)]
            except (ValidationError, ValueError):
                choices = []  # invalid posted values: the field's error says so; nothing to show
        select = self.render_select(name, values, attrs, choices)
        sep = "&" if "?" in self.url else "?"
        url = f"{self.url}{sep}keep={name}"
        search = self.search_box(url, ' hx-include="next select"')
        return mark_safe(f'<div class="zs-picker">{search}{select}</div>')


def fast_selects(form: forms.BaseForm) -> None:
    """Swap the plain Select of every choice field for a FastSelect (same HTML, much faster): model choices,
    and the fixed ones too (a ledger filter form's five selects were a third of rendering its page)."""
    for field in form.fields.values():
        if not isinstance(field, forms.ChoiceField) or isinstance(field.widget, FastSelect):
            continue
        kind = type(field.widget)
        if kind is forms.Select:
            widget = FastSelect(attrs=field.widget.attrs)
        elif kind is forms.SelectMultiple:
            widget = FastSelectMultiple(attrs=field.widget.attrs)
        else:
            continue
        widget.is_required = field.widget.is_required
        widget.choices = field.choices
        field.widget = widget
