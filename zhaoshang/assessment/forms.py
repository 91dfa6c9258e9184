"""Forms for schemes, runs, manual points and what-if. Validation of a scheme is the engine's own
parser, so the page shows exactly the message the command line and the API give."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import parse_period

from .engine.scheme import SchemeError, parse_scheme
from .selectors import scheme_catalogue


class SchemeTextForm(forms.Form):
    text = forms.CharField(
        label=_("方案内容（TOML）"),
        widget=forms.Textarea(attrs={"rows": 28, "class": "form-control font-monospace"}),
        required=False,
    )
    file = forms.FileField(label=_("或上传 .toml 文件"), required=False)

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        upload = data.get("file")
        if upload:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(gettext("文件应为 UTF-8 编码的 TOML 文本")) from None
        if not text.strip():
            raise forms.ValidationError(gettext("请填写方案内容或上传文件"))
        try:
            self.scheme = parse_scheme(text)
        except SchemeError as exc:
            raise forms.ValidationError(exc.message) from exc
        data["text"] = text
        return data


class RunForm(forms.Form):
    scheme = forms.ChoiceField(label=pgettext_lazy("assessment form", "考核方案"))
    period = forms.CharField(
        label=_("考核期间"),
        help_text=_("2023、2023Q2 或 2023-05"),
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    as_of = forms.DateField(
        label=pgettext_lazy("assessment form", "截止日期"),
        required=False,
        help_text=_("默认为期间末"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    group = forms.CharField(
        label=_("组别（可选）"), required=False, max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    publish = forms.BooleanField(label=_("保存后立即发布（发布后不可更改）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [
            (s["key"], (gettext("%(name)s（%(key)s，预置）") if s["preset"] else gettext("%(name)s（%(key)s）"))
             % {"name": s["name"], "key": s["key"]})
            for s in scheme_catalogue()
        ]
        self.fields["scheme"].widget.attrs["class"] = "form-select"

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            self.period_obj = parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text.strip().upper()

    def clean(self):
        data = super().clean()
        as_of: dt.date | None = data.get("as_of")
        if as_of and hasattr(self, "period_obj") and as_of < self.period_obj.start:
            self.add_error("as_of", gettext("截止日期不能早于考核期间开始"))
        return data


class ManualScoreForm(forms.Form):
    item = forms.ChoiceField(label=_("指标"))
    subject = forms.TypedChoiceField(label=pgettext_lazy("assessment form", "考核对象"), coerce=int)
    points = forms.DecimalField(label=_("分值"), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (i.key, gettext("%(name)s（%(low)s～%(high)s分）") % {"name": i.name, "low": i.floor, "high": i.max})
            for i in items
        ]
        self.fields["subject"].choices = [(s["id"], f"{s['code']} {s['name']}") for s in subjects]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select" if isinstance(f, forms.ChoiceField) else "form-control"
