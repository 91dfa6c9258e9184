"""Forms of the chain pages. They only clean input; the services hold the rules (scope, USCC, dates)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.db import DB_INT_MAX
from zhaoshang.ledger.choices import BuildKind, InvestorTag
from zhaoshang.ledger.forms import DateInput, MoneyField, bootstrap
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import User
from zhaoshang.orgs.selectors import person_list, unit_list

from .models import POSITION_ORDER, ChainSegment, ContactStatus, MeetingKind


def segment_choices(chain_id: int | None = None):
    qs = ChainSegment.objects.select_related("chain").filter(chain__is_active=True)
    if chain_id:
        qs = qs.filter(chain_id=chain_id)
    segs = sorted(qs, key=lambda s: (s.chain.order, s.chain.name, POSITION_ORDER.get(s.position, 9), s.order))
    return [(s.pk, f"{s.chain.name} · {s.get_position_display()} · {s.name}") for s in segs]


class TargetFilterForm(forms.Form):
    chain = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=DB_INT_MAX)
    segment = forms.TypedChoiceField(label=_("产业链环节"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("接触状态"), required=False,
                               choices=[("", _("全部状态")), *ContactStatus.choices])
    tag = forms.ChoiceField(label=_("企业标签"), required=False, choices=[("", _("全部标签")), *InvestorTag.choices])
    q = forms.CharField(label=_("企业名称"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("全部环节")), *segment_choices()]
        bootstrap(self)

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"chain": data.get("chain"), "segment": data.get("segment"), "status": data.get("status") or "",
                "tag": data.get("tag") or "", "q": (data.get("q") or "").strip()}


class TargetForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False,
                           help_text=_("已知时填写，18位，按GB 32100-2015核对校验位"))
    segment = forms.TypedChoiceField(label=_("产业链环节"), coerce=int)
    tags = forms.MultipleChoiceField(label=_("企业标签"), required=False, choices=InvestorTag.choices,
                                     widget=forms.CheckboxSelectMultiple)
    region = forms.CharField(label=_("所在地区"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    status = forms.ChoiceField(label=_("接触状态"), choices=ContactStatus.choices)
    following_unit = forms.ModelChoiceField(label=_("跟进单位"), queryset=None,
                                            help_text=_("跟进该企业的产业专班或驻点招商局"))
    first_contact_on = forms.DateField(label=_("首次接触日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = segment_choices()
        self.fields["following_unit"].queryset = unit_list(user=user).filter(is_active=True).order_by("code")
        search_picker(self.fields["following_unit"], "my-active-units")
        bootstrap(self)


class ConvertForm(forms.Form):
    code = forms.CharField(label=_("项目编号"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    lead_unit = forms.ModelChoiceField(label=_("引资单位"), queryset=None)
    planned_investment = MoneyField(label=_("计划总投资(万元)"), required=False, max_digits=18, decimal_places=4)
    build_kind = forms.ChoiceField(label=_("建设性质"), required=False,
                                   choices=[("", _("未填写")), *BuildKind.choices])

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = unit_list(user=user).filter(is_active=True).order_by("code")
        search_picker(self.fields["lead_unit"], "my-active-units")
        bootstrap(self)


class ProjectSegmentForm(forms.Form):
    """将台账项目归入本链的一个环节."""

    project_code = forms.CharField(label=_("项目编号"), max_length=40)
    segment = forms.TypedChoiceField(label=_("环节"), coerce=int)

    def __init__(self, *args, chain_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = segment_choices(chain_id)
        bootstrap(self)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    date = forms.DateField(label=_("会议日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    organiser = forms.ModelChoiceField(label=_("召集单位"), queryset=None)
    chair = forms.ModelChoiceField(label=_("主持人"), queryset=None, required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("参会人员"), queryset=None, required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 6}))
    decisions = forms.CharField(label=_("会议决定"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = unit_list(user=user).filter(is_active=True).order_by("code")
        search_picker(self.fields["organiser"], "my-active-units")
        people = person_list(user=user).filter(is_active=True).order_by("unit__code", "staff_no")
        self.fields["chair"].queryset = people
        search_picker(self.fields["chair"], "people")
        self.fields["attendees"].queryset = people
        search_picker(self.fields["attendees"], "people")  # a province's ~27,000 people: 1.5 MB, 0.8 s as a list
        bootstrap(self)


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("汇报单位"), queryset=None)
    content = forms.CharField(label=_("汇报内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user).filter(is_active=True).order_by("code")
        search_picker(self.fields["unit"], "my-active-units")
        bootstrap(self)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("督办事项"), max_length=300)
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = unit_list(user=user).filter(is_active=True).order_by("code")
        search_picker(self.fields["owner_unit"], "my-active-units")
        bootstrap(self)
