"""Forms of the awards pages: they clean input; the services hold the rules."""

from __future__ import annotations

from django import forms

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.ledger.forms import DateInput, MoneyField, bootstrap
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import Person, Unit

from .choices import AwardRule, ReviewOffice, ThresholdOn, Verdict
from .models import AwardItem, Catalogue


class _Boot:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CatalogueForm(_Boot, forms.ModelForm):
    class Meta:
        model = Catalogue
        fields = ["year", "title", "issuer", "office", "notice_days", "objection_channel"]
        widgets = {"objection_channel": forms.Textarea(attrs={"rows": 3})}

    def clean_notice_days(self):
        days = self.cleaned_data["notice_days"]
        if not 1 <= days <= 30:
            raise forms.ValidationError("公示期应为1至30个工作日")
        return days


class AwardItemForm(_Boot, forms.ModelForm):
    amount = MoneyField(label="奖励金额（元）", max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = AwardItem
        fields = ["kind", "name", "rule", "count", "grade", "threshold_on", "threshold_item", "threshold",
                  "amount", "scheme_keys", "order"]

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == AwardRule.TOP_N and not data.get("count"):
            self.add_error("count", "“每组前N名”须填写每组名额")
        if rule == AwardRule.GRADE and not data.get("grade"):
            self.add_error("grade", "“考核等次”须填写等次，如 优秀")
        if rule == AwardRule.HONOUR and not data.get("grade"):
            self.add_error("grade", "“方案评定的荣誉”须填写荣誉名称，如 先进个人")
        if rule == AwardRule.THRESHOLD:
            if not data.get("threshold_on"):
                self.add_error("threshold_on", "“达到门槛”须选择门槛依据")
            if data.get("threshold") is None:
                self.add_error("threshold", "“达到门槛”须填写门槛值")
            if data.get("threshold_on") in (ThresholdOn.ITEM_POINTS, ThresholdOn.ITEM_VALUE) and not data.get(
                    "threshold_item"):
                self.add_error("threshold_item", "按指标设门槛须填写指标的键")
        if rule != AwardRule.MANUAL and not (data.get("scheme_keys") or "").strip():
            self.add_error("scheme_keys", "请填写该奖项依据的考核方案编码")
        return data


class NominateForm(_Boot, forms.Form):
    run = forms.ModelChoiceField(label="已发布的考核结果", queryset=AssessmentRun.objects.none())

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = AssessmentRun.objects.filter(published=True, period_end__year=year).defer(
            "results", "scheme_text")


class ManualNominationForm(_Boot, forms.Form):
    item = forms.ModelChoiceField(label="奖项", queryset=AwardItem.objects.none())
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.filter(is_active=True).order_by("code"),
                                  required=False)
    person = forms.ModelChoiceField(label="人员（先进个人）", required=False,
                                    queryset=Person.objects.filter(is_active=True).order_by("unit__code", "staff_no"))
    run = forms.ModelChoiceField(label="参考的考核结果（可不选）", required=False,
                                 queryset=AssessmentRun.objects.none())
    reason = forms.CharField(label="提名理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = catalogue.items.all()
        # Search pickers past the limit (issue 12); the page is the assessment office's, whose scope is everyone.
        search_picker(self.fields["unit"], "active-units")
        search_picker(self.fields["person"], "people")
        self.fields["run"].queryset = AssessmentRun.objects.filter(
            published=True, period_end__year=catalogue.year).defer("results", "scheme_text")


class ReviewForm(_Boot, forms.Form):
    office = forms.ChoiceField(label="审核单位", choices=ReviewOffice.choices)
    verdict = forms.ChoiceField(label="意见", choices=Verdict.choices)
    reason = forms.CharField(label="理由（有异议时必填）", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o, ReviewOffice(o).label) for o in offices]


class ReasonForm(_Boot, forms.Form):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(_Boot, forms.Form):
    note = forms.CharField(label="意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(_Boot, forms.Form):
    received_on = forms.DateField(label="收到日期", widget=DateInput())
    content = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(_Boot, forms.Form):
    upheld = forms.TypedChoiceField(label="核查结论", choices=[("0", "异议不成立"), ("1", "异议成立（不予表彰）")],
                                    coerce=lambda v: v == "1")
    resolution = forms.CharField(label="处理结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(_Boot, forms.Form):
    doc_no = forms.CharField(label="公示文号", max_length=100)
    start_on = forms.DateField(label="公示开始日期", widget=DateInput())
    days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30)


class DecisionForm(_Boot, forms.Form):
    doc_no = forms.CharField(label="表彰决定文号", max_length=100)
    decided_on = forms.DateField(label="决定日期", widget=DateInput())


class RecoveryForm(_Boot, forms.Form):
    recovered_amount = MoneyField(label="已追回金额（元）", max_digits=12, decimal_places=2, min_value=0)
    recovered_on = forms.DateField(label="追回日期", widget=DateInput())
    receipt_no = forms.CharField(label="收款凭证号", max_length=100, required=False)
    referral_on = forms.DateField(label="移送纪委监委日期", widget=DateInput(), required=False)
    referral_doc_no = forms.CharField(label="移送文号", max_length=100, required=False)
