"""Forms of the inspection (督查) and pre-review (预评审) pages. They only clean input; the services hold the
rules."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import today
from zhaoshang.core.widgets import select_limit
from zhaoshang.ledger.forms import DateInput, MultipleFileField, bootstrap
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import Person, Unit

from ..models.prereview import Conclusion, Fit

CODES_SPLIT = re.compile(r"[\s,，;；、]+")


def current_quarter() -> str:
    day = today()
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _limit_size(files: list) -> list:
    limit = settings.UPLOAD_MAX_MB
    for upload in files:
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(gettext("文件“%(name)s”大小为%(size)sMB，超过上限%(limit)sMB") % {
                "name": upload.name, "size": f"{upload.size / 1024 / 1024:.1f}", "limit": limit})
    return files


def _project_by_code(code: str) -> Project | None:
    code = (code or "").strip()
    if not code:
        return None
    project = Project.objects.filter(code=code).first()
    if project is None:
        raise forms.ValidationError(gettext("项目编号“%(code)s”不存在") % {"code": code})
    return project


class PlanForm(forms.Form):
    period = forms.CharField(label=_("督查季度"), max_length=6, help_text=_("如 2024Q2"))
    title = forms.CharField(label=_("督查名称"), max_length=200)
    units = forms.ModelMultipleChoiceField(label=_("督查单位"), queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    project_codes = forms.CharField(label=_("督查项目（项目编号）"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("可选；多个编号用空格、逗号或换行分隔"))
    note = forms.CharField(label=_("督查要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("code")
        self.fields["units"].queryset = units
        self.fields["period"].initial = current_quarter()
        bootstrap(self)
        self.fields["units"].widget.attrs["class"] = "form-check-input"
        # A province's 3,000 units as checkboxes took 1.2 s and 580 KB: past the limit, a search picker
        self.units_searchable = units[: select_limit() + 1].count() > select_limit()
        if self.units_searchable:
            self.fields["units"].widget = forms.SelectMultiple(attrs={"class": "form-select", "size": 8})
            search_picker(self.fields["units"], "active-units")

    def clean_project_codes(self) -> list[Project]:
        codes = [c for c in CODES_SPLIT.split(self.cleaned_data.get("project_codes") or "") if c]
        found = {p.code: p for p in Project.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(gettext("项目编号不存在：%(codes)s") % {"codes": "、".join(missing)})
        return [found[c] for c in dict.fromkeys(codes)]


class SelfCheckForm(forms.Form):
    summary = forms.CharField(label=_("自查情况"), widget=forms.Textarea(attrs={"rows": 6}))
    issues = forms.CharField(label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.UPLOAD_MAX_MB
        self.fields["files"].help_text = gettext("可选多个文件，每个不超过%(limit)sMB") % {"limit": limit}
        bootstrap(self)

    def clean_files(self):
        return _limit_size(self.cleaned_data.get("files") or [])


class SiteVisitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位"))
    visited_on = forms.DateField(label=_("查看日期"), widget=DateInput())
    people = forms.CharField(label=_("参加人员"), max_length=300)
    project_code = forms.CharField(label=_("项目编号"), required=False, max_length=40, help_text=_("可选"))
    findings = forms.CharField(label=_("查看情况"), widget=forms.Textarea(attrs={"rows": 6}))
    photos = MultipleFileField(label=_("现场照片"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["visited_on"].initial = today()
        self.fields["photos"].help_text = gettext("可选多张，每张不超过%(limit)sMB") % {"limit": settings.UPLOAD_MAX_MB}
        bootstrap(self)

    def clean_project_code(self):
        return _project_by_code(self.cleaned_data.get("project_code"))

    def clean_photos(self):
        return _limit_size(self.cleaned_data.get("photos") or [])


class RectificationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("整改单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位"))
    site_visit = forms.ChoiceField(label=_("实地查看"), required=False)
    project_code = forms.CharField(label=_("项目编号"), required=False, max_length=40, help_text=_("可选"))
    description = forms.CharField(label=_("整改事项"), widget=forms.Textarea(attrs={"rows": 4}))
    owner_name = forms.CharField(label=_("责任人"), required=False, max_length=100)
    owner_staff_no = forms.CharField(label=_("责任人工号"), required=False, max_length=32,
                                     help_text=_("可选；填写后以人员库中的姓名为准"))
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput())

    def __init__(self, *args, units=None, visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.visits = {str(v.pk): v for v in visits}
        self.fields["site_visit"].choices = [("", _("不关联实地查看"))] + [
            (str(v.pk), f"{v.visited_on:%Y-%m-%d} {v.unit.name}") for v in visits]
        bootstrap(self)

    def clean_site_visit(self):
        return self.visits.get(self.cleaned_data.get("site_visit") or "")

    def clean_project_code(self):
        return _project_by_code(self.cleaned_data.get("project_code"))

    def clean_owner_staff_no(self):
        staff_no = (self.cleaned_data.get("owner_staff_no") or "").strip()
        if not staff_no:
            return None
        person = Person.objects.filter(staff_no=staff_no).first()
        if person is None:
            raise forms.ValidationError(gettext("工号“%(no)s”不存在") % {"no": staff_no})
        return person


class CloseForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("重新整改理由"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("新的整改期限"), required=False, widget=DateInput())


class PreReviewForm(forms.Form):
    direction_fit = forms.ChoiceField(label=_("转调方向"), choices=Fit.choices, widget=forms.RadioSelect)
    direction_note = forms.CharField(label=_("转调方向说明"), required=False, max_length=300)
    policy_fit = forms.ChoiceField(label=_("政策导向"), choices=Fit.choices, widget=forms.RadioSelect)
    policy_note = forms.CharField(label=_("政策导向说明"), required=False, max_length=300)
    high_pollution = forms.BooleanField(label=_("高污染"), required=False)
    high_energy = forms.BooleanField(label=_("高能耗"), required=False)
    high_emission = forms.BooleanField(label=_("高排放"), required=False)
    reviewer = forms.CharField(label=_("评审人"), max_length=200, help_text=_("评审专家或评审小组成员"))
    reviewed_on = forms.DateField(label=_("评审日期"), widget=DateInput())
    conclusion = forms.ChoiceField(label=_("评审结论"), choices=Conclusion.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = today()
        bootstrap(self)
        for name in ("direction_fit", "policy_fit", "conclusion"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
