"""Forms of the flags (疑点): the list filter, an assessor's resolution and the registry upload."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhaoshang.ledger.forms import bootstrap
from zhaoshang.orgs.models import Unit

from ..models.flags import FlagKind, FlagStatus, Resolution


class FlagFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("疑点类型"), required=False, choices=[("", _("全部类型")), *FlagKind.choices])
    status = forms.ChoiceField(label=_("处理状态"), required=False, choices=[("", _("全部状态")), *FlagStatus.choices])
    unit = forms.ModelChoiceField(label=_("单位"), required=False, queryset=Unit.objects.none(),
                                  empty_label=_("全部单位"))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()
        self.fields["year"].choices = [("", _("全部年度")), *((y, str(y)) for y in years)]
        bootstrap(self)


class ResolveForm(forms.Form):
    """确认重复 (the kept project, optionally split by agreed shares), 排除 or 不予认定, with a reason."""

    resolution = forms.ChoiceField(label=_("处理结果"), widget=forms.RadioSelect, choices=[
        (Resolution.CONFIRMED, _("确认重复（选择保留计入的单位）")),
        (Resolution.EXCLUDED, _("排除（不是重复，各自计入）")),
        (Resolution.REJECTED, _("不予认定（均不计入）")),
    ])
    kept = forms.TypedChoiceField(label=_("保留计入"), required=False, coerce=int, empty_value=None,
                                  widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("排除和不予认定须填写理由"))

    def __init__(self, *args, rows=(), same_investor: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        if same_investor:
            self.fields["kept"].choices = [
                (r.project_id, f"{r.unit.name if r.unit else '—'}：{r.project.name}（{r.project.code}）")
                for r in self.rows
            ]
            units = {r.unit_id: r.unit for r in self.rows if r.unit}
            for uid, unit in units.items():
                self.fields[f"share_{uid}"] = forms.DecimalField(
                    label=_("%(unit)s分成比例") % {"unit": unit.name}, required=False, min_value=Decimal("0"),
                    max_value=Decimal("1"), decimal_places=6, max_digits=7,
                )
            self.share_units = units
        else:
            self.fields["resolution"].choices = self.fields["resolution"].choices[1:]
            del self.fields["kept"]
            self.share_units = {}
        bootstrap(self)

    def share_fields(self):
        return [self[f"share_{uid}"] for uid in self.share_units]

    def shares(self) -> list[tuple[Unit, Decimal]]:
        return [
            (unit, self.cleaned_data[f"share_{uid}"])
            for uid, unit in self.share_units.items()
            if self.cleaned_data.get(f"share_{uid}")
        ]


class RegistryUploadForm(forms.Form):
    file = forms.FileField(label=_("工商登记文件"), help_text=_(
        "Excel（.xlsx）或 CSV，列：企业名称、统一社会信用代码、成立日期、登记机关、注册资本、登记状态"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xls", ".csv")):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件"))
        limit = settings.UPLOAD_MAX_MB
        if f.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过%(limit)sMB") % {"limit": limit})
        return f
