"""Forms of the verification queue (核实认定): the filters, and the verifier's note or reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import parse_period
from zhaoshang.ledger.choices import Stage, Verification
from zhaoshang.ledger.evidence import FUND
from zhaoshang.ledger.forms import MoneyField, bootstrap
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.selectors import unit_list

from ..selectors.verification import TODO, QueueFilters

KIND_CHOICES = [("", _("全部类型")), *[(s.value, s.label) for s in Stage if s != Stage.NONE], (FUND, _("到位资金"))]
ALL = "all"
# Empty (the default) is what waits for this user; "all" is every state.
STATE_CHOICES = [("", _("待我处理")), (ALL, _("全部状态")), *Verification.choices]


class QueueFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部单位"))
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_CHOICES, required=False)
    period = forms.CharField(label=_("期间"), required=False, max_length=10)
    state = forms.ChoiceField(label=_("核实状态"), choices=STATE_CHOICES, required=False)
    amount_min = MoneyField(label=_("金额下限(万元)"), required=False, max_digits=18, decimal_places=4)
    amount_max = MoneyField(label=_("金额上限(万元)"), required=False, max_digits=18, decimal_places=4)
    q = forms.CharField(label=_("项目"), required=False, max_length=100)

    def __init__(self, data=None, *, user: User):
        super().__init__(data if data else None)
        self.fields["unit"].queryset = unit_list(user=user).order_by("code")
        search_picker(self.fields["unit"], "units")
        self.fields["period"].widget.attrs["placeholder"] = "2024、2024Q1、2024-03"
        self.fields["q"].widget.attrs["placeholder"] = _("编号或名称")
        bootstrap(self)

    def clean_period(self):
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def to_filters(self) -> QueueFilters:
        """Valid fields filter; an invalid one is ignored and shown beside its field."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit, period = data.get("unit"), data.get("period")
        return QueueFilters(
            unit=unit.pk if unit else None,
            kind=data.get("kind") or "",
            date_from=period.start if period else None,
            date_to=period.end if period else None,
            state=_state(data.get("state") or ""),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            q=(data.get("q") or "").strip(),
        )


def _state(value: str) -> str:
    return {"": TODO, ALL: ""}.get(value, value)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), max_length=100, required=False)


class ReasonForm(forms.Form):
    # Required is checked by the service too, so the API and the page give the same message.
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
