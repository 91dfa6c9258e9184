"""Forms of the daily-work pages. They only clean input; the services hold every business rule."""

from __future__ import annotations

import calendar
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.money import to_decimal
from zhaoshang.core.periods import today
from zhaoshang.ledger.choices import Section
from zhaoshang.ledger.forms import DateInput, MoneyField, add_correction_reason, bootstrap
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.lookups import Lookup, register, search_picker
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.selectors import person_list, unit_list

from .choices import (
    EventLevel,
    ExpenseCategory,
    FollowUpAction,
    RecommendTarget,
    ReportStatus,
    SubmissionState,
    Timeliness,
)
from .models import PromotionEvent, Recommendation, Visit
from .selectors import RecordFilters


class YuanField(forms.DecimalField):
    """元 amounts as people type them (`1,280.50`, full-width digits)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = to_decimal(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(str(value))


def _editable_units(user: User):
    return unit_list(user=user).filter(is_active=True).order_by("code")


def _cadre_label(person: Person) -> str:
    return f"{person.name}（{person.unit.name}）"


def _leader_label(person: Person) -> str:
    return f"{person.name}（{person.get_role_display()}，{person.unit.name}）"


# Search pickers' lookups (issue 12), each the queryset and label of the field that uses it.
register("cadre-people", Lookup(
    lambda user: person_list(user=user).filter(is_active=True).order_by("unit__code", "staff_no"), _cadre_label))
register("visit-leaders", Lookup(
    lambda user: person_list(user=user).filter(is_active=True).order_by("unit__code", "name"), _leader_label))
register("projects", Lookup(lambda user: project_scope(user).order_by("code")))


class RecordFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部单位"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, user: User, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user).order_by("code")
        search_picker(self.fields["unit"], "units")
        if kind == "visits":
            self.fields["role"] = forms.ChoiceField(label=_("领导角色"), required=False,
                                                    choices=[("", _("全部角色")), *PersonRole.choices])
        elif kind == "recommendations":
            self.fields["target"] = forms.ChoiceField(label=_("推荐对象"), required=False,
                                                      choices=[("", _("全部")), *RecommendTarget.choices])
        elif kind == "events":
            self.fields["level"] = forms.ChoiceField(label=_("级别"), required=False,
                                                     choices=[("", _("全部级别")), *EventLevel.choices])
        bootstrap(self)

    def to_filters(self) -> RecordFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return RecordFilters(unit=unit.pk if unit else None, year=data.get("year"), q=(data.get("q") or "").strip(),
                             role=data.get("role") or "", target=data.get("target") or "",
                             level=data.get("level") or "")


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["date", "unit", "leader", "enterprise", "industry", "matter"]
        widgets = {"date": DateInput(), "matter": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("待归类")), *Section.choices]
        self.fields["industry"].help_text = _("被走访企业的GB/T 4754-2017行业门类；不确定时可留作待归类，"
                                              "按行业门类考核时仍计入并标注")
        self.fields["unit"].queryset = _editable_units(user)
        self.fields["leader"].queryset = person_list(user=user).filter(is_active=True).order_by("unit__code", "name")
        self.fields["leader"].label_from_instance = _leader_label
        search_picker(self.fields["unit"], "my-active-units")
        search_picker(self.fields["leader"], "visit-leaders")
        add_correction_reason(self, user)  # assessors correcting a closed period (结账)
        bootstrap(self)

    def _post_clean(self):  # the service validates the instance; the form only cleans the fields
        pass


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["date", "unit", "target", "enterprise", "project"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _editable_units(user)
        self.fields["project"].queryset = project_scope(user).order_by("code")
        search_picker(self.fields["unit"], "my-active-units")
        search_picker(self.fields["project"], "projects")
        add_correction_reason(self, user)
        bootstrap(self)

    def _post_clean(self):
        pass


class EventForm(forms.ModelForm):
    class Meta:
        model = PromotionEvent
        fields = ["code", "date", "name", "level", "host_unit", "city_leaders_present"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = _editable_units(user)
        search_picker(self.fields["host_unit"], "my-active-units")
        self.fields["host_unit"].required = not user.is_assessor  # only the office records city-level events
        self.fields["city_leaders_present"].help_text = _("参加活动的市领导姓名，多人用顿号分隔；空表示无市领导参加")
        add_correction_reason(self, user)
        bootstrap(self)

    def _post_clean(self):
        pass


# ---------------------------------------------------------------------------------------------
# Resident offices


DAY_CHOICES = [("", "—"), ("1", _("驻点")), ("0", _("轮休"))]


class AttendanceMonthForm(forms.Form):
    """One person's month: a choice per day (驻点 / 轮休 / not recorded)."""

    def __init__(self, *args, year: int, month: int, initial_days: dict[int, bool | None], user: User | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.month = year, month
        now = today()
        for day in range(1, calendar.monthrange(year, month)[1] + 1):
            value = initial_days.get(day)
            self.fields[f"d{day}"] = forms.ChoiceField(
                label=str(day), choices=DAY_CHOICES, required=False,
                initial="" if value is None else ("1" if value else "0"),
                disabled=dt.date(year, month, day) > now,  # attendance is recorded, never planned
                widget=forms.Select(attrs={"class": "form-select form-select-sm day-select", "data-day": day}))
        add_correction_reason(self, user)
        if "correction_reason" in self.fields:
            self.fields["correction_reason"].widget.attrs["class"] = "form-control"

    def __iter__(self):
        """The day fields (the month grid); the correction reason, if offered, is `form.correction_reason`."""
        return (self[name] for name in self.fields if name != "correction_reason")

    def days(self) -> dict[int, bool | None]:
        out = {}
        for name, value in self.cleaned_data.items():
            if name != "correction_reason":
                out[int(name[1:])] = None if value == "" else value == "1"
        return out


class WorkLogForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    enterprises = forms.CharField(label=_("走访企业"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("每行一家企业"))
    contacts = forms.CharField(label=_("联系对接情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("工作成效"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)
        bootstrap(self)


class WeeklyCheckForm(forms.Form):
    week_ending = forms.DateField(label=_("核实周（周日）"), widget=DateInput())
    note = forms.CharField(label=_("核实意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("报告单位"), queryset=Unit.objects.none())
    reported_on = forms.DateField(label=_("报告日期"), widget=DateInput())
    enterprise = forms.CharField(label=_("企业名称"), max_length=200)
    industry = forms.CharField(label=_("所属产业"), max_length=100, required=False)
    intention = forms.CharField(label=_("投资意向"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = MoneyField(label=_("意向投资额(万元)"), required=False, max_digits=18, decimal_places=4)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _editable_units(user).filter(kind=UnitKind.RESIDENT_OFFICE)
        bootstrap(self)


class ReportAssignForm(forms.Form):
    assigned_unit = forms.ModelChoiceField(label=_("产业链牵头单位"), queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_unit"].queryset = Unit.objects.filter(is_active=True).order_by("code")
        search_picker(self.fields["assigned_unit"], "active-units")
        bootstrap(self)


class ReportAdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[c for c in ReportStatus.choices if c[0] != "reported"])
    progress = forms.CharField(label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    project = forms.ModelChoiceField(label=_("签约项目"), queryset=None, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_scope(user).order_by("code")
        search_picker(self.fields["project"], "projects")
        bootstrap(self)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("年度经费(万元)"), max_digits=18, decimal_places=4,
                        help_text=_("定额包干，单位万元，如 32.5 或 45.5"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ExpenseForm(forms.Form):
    date = forms.DateField(label=_("发生日期"), widget=DateInput())
    category = forms.ChoiceField(label=_("费用类别"), choices=ExpenseCategory.choices)
    amount = YuanField(label=_("金额(元)"), max_digits=14, decimal_places=2, min_value=0,
                       help_text=_("单位为元（不是万元）"))
    description = forms.CharField(label=_("事由"), max_length=300)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)
        bootstrap(self)


class QuarterForm(forms.Form):
    quarter = forms.RegexField(label=_("季度"), regex=r"^\d{4}[Qq][1-4]$", max_length=6,
                               error_messages={"invalid": _("季度应为如 2024Q1 的格式")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


# ---------------------------------------------------------------------------------------------
# Submissions


class SubmitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    period = forms.RegexField(label=_("报送月份"), regex=r"^\d{4}-\d{2}$", max_length=7,
                              widget=forms.TextInput(attrs={"type": "month"}),
                              error_messages={"invalid": _("月份应为 YYYY-MM")})

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _editable_units(user)
        search_picker(self.fields["unit"], "my-active-units")
        bootstrap(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DeadlineForm(forms.Form):
    period = forms.RegexField(label=_("报送月份"), regex=r"^\d{4}-\d{2}$", max_length=7,
                              widget=forms.TextInput(attrs={"type": "month"}))
    due_date = forms.DateField(label=_("截止日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)  # the page is the assessment office's
        bootstrap(self)


class BoardFilterForm(forms.Form):
    period = forms.RegexField(label=_("报送月份"), regex=r"^\d{4}-\d{2}$", max_length=7, required=False,
                              widget=forms.TextInput(attrs={"type": "month"}))
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部单位"))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("", _("全部")), *SubmissionState.choices, *[c for c in Timeliness.choices if c[0] in ("on_time", "late")]])

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user).order_by("code")
        search_picker(self.fields["unit"], "units")
        bootstrap(self)


# ---------------------------------------------------------------------------------------------
# 招商干部 and team finance (issue 13)


class CadreForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    team = forms.ModelChoiceField(label=_("专班或招商组"), queryset=Unit.objects.none())
    full_time = forms.BooleanField(label=_("脱产专职（保留原单位职务）"), required=False)
    original_post = forms.CharField(label=_("原单位职务"), required=False, max_length=100)
    term_start = forms.DateField(label=_("任期开始"), widget=DateInput())
    term_end = forms.DateField(label=_("任期结束"), widget=DateInput(), required=False,
                               help_text=_("不填则按两年任期计算（亳州：专班成员任期两年）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = person_list(user=user).filter(is_active=True).order_by(
            "unit__code", "staff_no")
        self.fields["person"].label_from_instance = _cadre_label
        self.fields["team"].queryset = _editable_units(user)
        search_picker(self.fields["person"], "cadre-people")
        search_picker(self.fields["team"], "my-active-units")
        bootstrap(self)


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(label=_("处理方式"), choices=FollowUpAction.choices)
    date = forms.DateField(label=_("处理日期"), widget=DateInput())
    reason = forms.CharField(label=_("理由"), max_length=300, required=False,
                             help_text=_("留任须说明理由；调整即结束其在该专班或招商组的任期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", today())
        bootstrap(self)


class TeamBudgetForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(),
                                       help_text=_("扎口管理、负责审批本组团支出的单位"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("年度预算(万元)"), max_digits=18, decimal_places=4)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True).order_by("code")
        search_picker(self.fields["lead_unit"], "active-units")
        bootstrap(self)


class ReimburseForm(forms.Form):
    on = forms.DateField(label=_("报销日期"), widget=DateInput())
