"""Forms of the spot-checks (抽查复核): the draw and a sampled fact's result."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import parse_period
from zhaoshang.ledger.forms import bootstrap

from ..models.spotchecks import SpotCheckResult
from ..services.spotchecks import MAX_SEED


class DrawForm(forms.Form):
    period = forms.CharField(label=_("期间"), max_length=10, help_text=_("如 2023、2023Q2 或 2023-05"))
    rate = forms.DecimalField(label=_("抽查比例"), max_digits=5, decimal_places=4, min_value=Decimal("0.0001"),
                              max_value=Decimal(1), initial=Decimal("0.1"),
                              help_text=_("各区抽查其核实记录的比例，大于0且不超过1（0.1 即一成，向上取整）"))
    min_per_unit = forms.IntegerField(label=_("每单位最少抽查数"), min_value=0, initial=1,
                                      help_text=_("每个有核实记录的区至少抽几条（不超过其记录数）"))
    seed = forms.IntegerField(label=_("随机种子"), min_value=0, max_value=MAX_SEED,
                              help_text=_("已随机生成；同一种子对同一批记录总是抽出相同的样本"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        try:
            parse_period(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("复核结果"), widget=forms.RadioSelect,
        choices=[(SpotCheckResult.ACCURATE.value, SpotCheckResult.ACCURATE.label),
                 (SpotCheckResult.INACCURATE.value, SpotCheckResult.INACCURATE.label)],
    )
    # 不属实 needs it (checked in clean); the fact then becomes 不予认定.
    reason = forms.CharField(label=_("不属实理由"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].widget.attrs["class"] = "form-check-input"  # the page renders each option
        self.fields["reason"].widget.attrs.update({"class": "form-control form-control-sm w-auto",
                                                   "placeholder": _("不属实理由"), "aria-label": _("不属实理由")})

    def clean(self):
        data = super().clean()
        if data.get("result") == SpotCheckResult.INACCURATE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请填写不属实的理由"))
        return data
