"""Forms of the aftercare pages. Projects are named by their code (a city has thousands), people and
units are offered within the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.ledger.forms import DateInput, MoneyField, bootstrap
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import Person, Unit
from zhaoshang.orgs.scope import visible_unit_ids

from . import deadlines
from .models import IssueStatus, LiaisonOutcome, LiaisonSought, RequestChannel, Satisfaction, TalentLevel


def _people(user):
    ids = visible_unit_ids(user)
    qs = Person.objects.filter(is_active=True).select_related("unit").order_by("unit__code", "staff_no")
    return qs if ids is None else qs.filter(unit_id__in=ids)


def _units(user):
    ids = visible_unit_ids(user)
    qs = Unit.objects.filter(is_active=True).order_by("code")
    return qs if ids is None else qs.filter(id__in=ids)


class ProjectCodeField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("项目编号"))
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)


class ScopedForm(forms.Form):
    """A form that resolves its project code within the user's projects (another unit's is unknown)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The search pickers' lookups re-create these querysets from the user (issue 12).
        for name in ("assignee", "visitor", "introducer", "lead_person"):
            if name in self.fields:
                self.fields[name].queryset = _people(user)
                search_picker(self.fields[name], "people")
        if "unit" in self.fields:
            self.fields["unit"].queryset = _units(user)
            search_picker(self.fields["unit"], "my-active-units")
        if "department" in self.fields:
            search_picker(self.fields["department"], "active-units")
        bootstrap(self)

    def clean_project_code(self):
        code = (self.cleaned_data.get("project_code") or "").strip()
        if not code:
            return None
        project = project_scope(self.user).filter(code=code).first()
        if project is None:
            raise forms.ValidationError(_("项目编号“%(code)s”不存在或不在本单位范围内") % {"code": code})
        return project


class RequestForm(ScopedForm):
    project_code = ProjectCodeField()
    subject = forms.CharField(label=_("诉求事项"), max_length=200)
    detail = forms.CharField(label=_("诉求内容"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))
    received_on = forms.DateField(label=_("受理日期"), widget=DateInput())
    channel = forms.ChoiceField(label=_("反映渠道"), choices=RequestChannel.choices)
    raised_by = forms.CharField(label=_("反映人"), max_length=100, required=False)
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=Person.objects.none(), required=False,
                                      help_text=_("留空由项目的帮办秘书承办"))
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Unit.objects.filter(is_active=True),
                                        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].help_text = deadlines.describe()


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("答复日期"), widget=DateInput())
    answer = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea({"rows": 3}))
    satisfaction = forms.ChoiceField(label=_("客商满意度"), choices=[("", "—"), *Satisfaction.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VisitForm(ScopedForm):
    project_code = ProjectCodeField()
    date = forms.DateField(label=_("走访日期"), widget=DateInput())
    visitor = forms.ModelChoiceField(label=_("带队人员"), queryset=Person.objects.none(), required=False)
    met = forms.CharField(label=_("企业接待人"), max_length=100, required=False)
    summary = forms.CharField(label=_("走访情况"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))
    issues = forms.CharField(label=_("企业反映的问题"), required=False, widget=forms.Textarea({"rows": 3}),
                             help_text=_("每行一个问题，登记后逐项跟踪办理"))

    def clean_issues(self):
        lines = [line.strip() for line in (self.cleaned_data.get("issues") or "").splitlines() if line.strip()]
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("每个问题不能超过300个字"))
        return lines


class IssueForm(forms.Form):
    status = forms.ChoiceField(label=_("办理状态"), choices=IssueStatus.choices)
    resolution = forms.CharField(label=_("办理结果"), max_length=500, required=False)
    resolved_on = forms.DateField(label=_("办结日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


SHARE_ROWS = 3


class TalentForm(ScopedForm):
    name = forms.CharField(label=_("姓名或团队名称"), max_length=100)
    is_team = forms.BooleanField(label=_("是否团队"), required=False)
    team_size = forms.IntegerField(label=_("团队人数"), required=False, min_value=1)
    level = forms.ChoiceField(label=_("人才层次"), choices=TalentLevel.choices)
    field = forms.CharField(label=_("专业领域"), max_length=100, required=False)
    enterprise = forms.CharField(label=_("引进企业"), max_length=200)
    project_code = ProjectCodeField(label=_("关联项目编号"), required=False)
    joined_on = forms.DateField(label=_("引进日期"), widget=DateInput())
    unit = forms.ModelChoiceField(label=_("引进单位"), queryset=Unit.objects.none())
    introducer = forms.ModelChoiceField(label=_("引进人"), queryset=Person.objects.none(), required=False)
    evidence = forms.FileField(label=_("证明材料"), required=False,
                               help_text=_("引进协议、劳动合同或人才认定文件（PDF、图片、Word、Excel）"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        all_units = Unit.objects.filter(is_active=True).order_by("code")
        for i in range(1, SHARE_ROWS + 1):
            self.fields[f"share_unit_{i}"] = forms.ModelChoiceField(label=_("共享单位%(n)s") % {"n": i},
                                                                    queryset=all_units, required=False)
            search_picker(self.fields[f"share_unit_{i}"], "active-units")
            self.fields[f"share_ratio_{i}"] = forms.DecimalField(label=_("比例%(n)s") % {"n": i}, max_digits=7,
                                                                 decimal_places=6, required=False, min_value=0,
                                                                 max_value=1)
        bootstrap(self)

    def shares(self):
        out = []
        for i in range(1, SHARE_ROWS + 1):
            unit, ratio = self.cleaned_data.get(f"share_unit_{i}"), self.cleaned_data.get(f"share_ratio_{i}")
            if unit is not None and ratio is not None:
                out.append((unit, ratio))
        return out

    def clean(self):
        data = super().clean()
        for i in range(1, SHARE_ROWS + 1):
            if (data.get(f"share_unit_{i}") is None) != (data.get(f"share_ratio_{i}") is None):
                self.add_error(f"share_ratio_{i}", _("共享单位与比例须同时填写"))
        return data


class LiaisonForm(ScopedForm):
    unit = forms.ModelChoiceField(label=_("跑办单位"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("跑办事项"), max_length=200)
    sought = forms.ChoiceField(label=_("争取类别"), choices=LiaisonSought.choices)
    body = forms.CharField(label=_("对接部委或机关"), max_length=200)
    project_code = ProjectCodeField(label=_("关联项目编号"), required=False)
    started_on = forms.DateField(label=_("启动日期"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("跑办结果"), choices=LiaisonOutcome.choices)
    outcome_on = forms.DateField(label=_("结果日期"), required=False, widget=DateInput())
    amount_won = MoneyField(label=_("争取资金(万元)"), max_digits=18, decimal_places=4, required=False, min_value=0,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lead_person = forms.ModelChoiceField(label=_("负责人"), queryset=Person.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class StepForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    action = forms.CharField(label=_("进展"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
