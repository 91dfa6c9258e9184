"""Forms of the targets pages: the decomposition (total, year, indicator, weights, and the factors
from a workbook or typed into the table of units)."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.money import to_decimal

from .decompose import DEFAULT_WEIGHTS, FACTORS, parse_weights, read_factors

# Input names of the factor columns in the table of units: f0_<unit id>, f1_<unit id>, f2_<unit id>.
FACTOR_KEYS = ("f0", "f1", "f2")


class DecomposeForm(forms.Form):
    """What to split and how; the factors come from `factors_file`, else from the table (see `factor_rows`)."""

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    indicator = forms.CharField(label=gettext_lazy("指标"), max_length=50)
    total = forms.DecimalField(label=gettext_lazy("全市总目标"), min_value=0, max_digits=18, decimal_places=2)
    weight_0 = forms.DecimalField(
        label=gettext_lazy("领导职数权重"), min_value=0, max_value=1, initial=DEFAULT_WEIGHTS[0]
    )
    weight_1 = forms.DecimalField(
        label=gettext_lazy("职能系数权重"), min_value=0, max_value=1, initial=DEFAULT_WEIGHTS[1]
    )
    weight_2 = forms.DecimalField(
        label=gettext_lazy("上年完成额权重"), min_value=0, max_value=1, initial=DEFAULT_WEIGHTS[2]
    )
    factors_file = forms.FileField(
        label=gettext_lazy("因素表（.xlsx）"),
        required=False,
        help_text=gettext_lazy("第一行为表头：单位编码、领导职数、职能系数、上年完成额；不上传则使用下表填写的因素"),
    )
    # The factors of a preview, carried to the Save button so that what is saved is what was shown.
    rows_json = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for name in ("year", "indicator", "total", "weight_0", "weight_1", "weight_2"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["factors_file"].widget.attrs.update({"class": "form-control form-control-sm", "accept": ".xlsx"})
        self.fields["indicator"].widget.attrs["list"] = "indicators"

    def clean(self):
        data = super().clean()
        ws = [data.get(f"weight_{i}") for i in range(len(FACTORS))]
        if all(w is not None for w in ws):
            try:
                data["weights"] = parse_weights(",".join(str(w) for w in ws))
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data

    def factor_rows(self) -> list[tuple[str, tuple[Decimal, ...]]]:
        """The factors: from the carried preview, the uploaded workbook, or the table, in that order.
        Raises ApplicationError naming the row and column (workbook) or the unit and column (table)."""
        carried = self.cleaned_data.get("rows_json")
        if carried:
            try:
                return [(str(code), tuple(Decimal(f) for f in fs)) for code, fs in json.loads(carried)]
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise ApplicationError(_("预览数据已损坏，请重新预览")) from exc
        upload = self.cleaned_data.get("factors_file")
        if upload:
            return read_factors(upload)
        rows = []
        for unit in self.units:
            raw = [(self.data.get(f"{k}_{unit.id}") or "").strip() for k in FACTOR_KEYS]
            if not any(raw):
                continue
            factors = []
            for name, text in zip(FACTORS, raw, strict=True):
                try:
                    f = to_decimal(text or 0)
                    if not f.is_finite():
                        raise ValueError(_("“%(v)s”不是有效的数字") % {"v": text})
                except ValueError as exc:
                    raise ApplicationError(
                        _("因素表格中%(unit)s（%(code)s）的“%(col)s”：%(err)s")
                        % {"unit": unit.name, "code": unit.code, "col": name, "err": exc}
                    ) from exc
                if f < 0:
                    raise ApplicationError(
                        _("因素表格中%(unit)s（%(code)s）的“%(col)s”：因素不能为负数")
                        % {"unit": unit.name, "code": unit.code, "col": name}
                    )
                factors.append(f)
            rows.append((unit.code, tuple(factors)))
        if not rows:
            raise ApplicationError(_("请上传因素表，或在下表中填写至少一个单位的因素"))
        return rows


def rows_to_json(rows: list[tuple[str, tuple[Decimal, ...]]]) -> str:
    return json.dumps([[code, [str(f) for f in fs]] for code, fs in rows], ensure_ascii=False)
