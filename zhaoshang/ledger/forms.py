"""Forms of the ledger pages. They only clean input; the views hand the cleaned values to the
services, which hold every business rule (scope, stage order, shares summing to 1 …)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.db import DB_INT_MAX
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.money import to_decimal
from zhaoshang.core.widgets import fast_selects
from zhaoshang.orgs.lookups import Lookup, register, search_picker
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.selectors import person_list, unit_list

from . import hooks
from .choices import (
    FILED_STAGES,
    UNCLASSIFIED,
    BuildKind,
    EvidenceKind,
    FundKind,
    InvestorTag,
    Section,
    Stage,
    Status,
    tags_from_field,
    tags_to_field,
)
from .evidence import FUND, required_summary
from .models import FundArrival, Project
from .selectors import ProjectFilters
from .services import PROJECT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoneyField(forms.DecimalField):
    """万元 amounts as people type them: `12,345.6`, full-width digits and spaces are accepted."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = to_decimal(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(str(value))

    def prepare_value(self, value):
        # Show 1037.5, not the stored 1037.5000; fixed notation so 50000 never appears as 5E+4.
        return f"{value.normalize():f}" if isinstance(value, Decimal) else value


def add_service_errors(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Put a service's field errors beside the fields they name; the rest go above the form."""
    if not exc.field_errors:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def add_correction_reason(form: forms.BaseForm, user: User | None) -> None:
    """Assessors may correct records dated in a closed period (结账) with a reason, which the next
    bulletin flags; the field is offered only to them, since unit users cannot write there at all."""
    if user is not None and user.is_assessor:
        form.fields["correction_reason"] = forms.CharField(
            label=_("更正理由"), required=False, max_length=300,
            help_text=_("修改已结账期间的记录时必填，将在下期通报中标注"),
        )


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class, so templates can render fields with {{ field }}; model
    selects render without a template per option (issue 12)."""
    fast_selects(form)
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            # For each option's input: render the options one by one ({% for c in field %}{{ c.tag }}), as
            # the wrapper of {{ field }} would get the same class.
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _with_current(qs, pk):
    """Keep a record that is already on the project selectable even if it is now outside the
    user's scope, so editing another field does not fail on an unchanged choice."""
    return qs | qs.model.objects.filter(pk=pk) if pk else qs


# ---------------------------------------------------------------------------------------------
# List filters


class ProjectFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部单位"))
    stage = forms.ChoiceField(label=_("阶段"), choices=[("", _("全部阶段")), *Stage.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False)
    category = forms.ChoiceField(label=_("行业门类"), required=False,
                                 choices=[("", _("全部门类")), (UNCLASSIFIED, _("待归类")), *Section.choices])
    year = forms.IntegerField(label=_("签约年度"), required=False, min_value=1990, max_value=2100)
    amount_min = MoneyField(label=_("金额下限(万元)"), required=False, max_digits=18, decimal_places=4)
    amount_max = MoneyField(label=_("金额上限(万元)"), required=False, max_digits=18, decimal_places=4)
    build_kind = forms.ChoiceField(label=_("建设性质"), required=False,
                                   choices=[("", _("全部建设性质")), *BuildKind.choices])
    tag = forms.ChoiceField(label=_("投资方标签"), required=False, choices=[("", _("全部标签")), *InvestorTag.choices])
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    # Drill-down from the cockpit: hidden, carried in the URL (see ledger.selectors.ProjectFilters).
    lead_unit = forms.IntegerField(label=_("引资单位"), required=False, widget=forms.HiddenInput, min_value=1,
                                   max_value=DB_INT_MAX)
    industry = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    origin = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    signed_from = forms.DateField(required=False, widget=forms.HiddenInput)
    signed_to = forms.DateField(required=False, widget=forms.HiddenInput)
    reached = forms.ChoiceField(required=False, widget=forms.HiddenInput, choices=[("", ""), *Stage.choices])
    reached_from = forms.DateField(required=False, widget=forms.HiddenInput)
    reached_to = forms.DateField(required=False, widget=forms.HiddenInput)
    funds_from = forms.DateField(required=False, widget=forms.HiddenInput)
    funds_to = forms.DateField(required=False, widget=forms.HiddenInput)
    foreign = forms.BooleanField(required=False, widget=forms.HiddenInput)
    live = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user).order_by("code")
        search_picker(self.fields["unit"], "units")
        self.fields["q"].widget.attrs["placeholder"] = _("名称、编号或投资方")
        for hook in hooks.project_filter_hooks:  # e.g. chains' segment=<id>
            self.fields[hook.param] = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                                         max_value=DB_INT_MAX)
        bootstrap(self)

    DRILLDOWN_LABELS = {
        "lead_unit": _("引资单位"), "industry": _("所属产业"), "origin": _("投资方来源地"),
        "signed_from": _("签约日期起"), "signed_to": _("签约日期止"), "reached": _("到达阶段"),
        "reached_from": _("阶段日期起"), "reached_to": _("阶段日期止"), "funds_from": _("到位日期起"),
        "funds_to": _("到位日期止"), "foreign": _("外资项目"), "live": _("不含已终止"),
    }

    def active_drilldown(self) -> list[str]:
        """The hidden filters a cockpit click carried in, shown above the table so the user knows
        why the ledger is narrower than the visible filters say."""
        if not self.is_valid():
            return []
        shown = []
        for name, label in self.DRILLDOWN_LABELS.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if name == "lead_unit":
                value = Unit.objects.filter(pk=value).values_list("name", flat=True).first() or value
            elif name == "reached":
                value = Stage(value).label
            shown.append(f"{label}：{value}" if value is not True else str(label))
        for hook in hooks.project_filter_hooks:
            if self.cleaned_data.get(hook.param):
                shown.append(f"{hook.label}：{hook.describe(self.cleaned_data[hook.param])}")
        return shown

    def hidden_errors(self) -> list[str]:
        """“label：message” for each invalid hidden (drill-down) filter, which only an edited URL can make."""
        if self.is_valid():
            return []
        labels = {**self.DRILLDOWN_LABELS, **{h.param: h.label for h in hooks.project_filter_hooks}}
        return [f"{labels.get(name, name)}：{' '.join(errors)}" for name, errors in self.errors.items()
                if name in self.fields and self.fields[name].widget.is_hidden and name != "sort"]

    def to_filters(self) -> ProjectFilters:
        """Valid fields filter; an invalid one (e.g. a letter in the year) is ignored and shown."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return ProjectFilters(
            unit=unit.pk if unit else None,
            stage=data.get("stage") or "",
            status=data.get("status") or "",
            category=data.get("category") or "",
            year=data.get("year"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "",
            lead_unit=data.get("lead_unit"),
            industry=(data.get("industry") or "").strip(),
            origin=(data.get("origin") or "").strip(),
            signed_from=data.get("signed_from"),
            signed_to=data.get("signed_to"),
            reached=data.get("reached") or "",
            reached_from=data.get("reached_from"),
            reached_to=data.get("reached_to"),
            funds_from=data.get("funds_from"),
            funds_to=data.get("funds_to"),
            foreign=bool(data.get("foreign")),
            live=bool(data.get("live")),
            build_kind=data.get("build_kind") or "",
            tag=data.get("tag") or "",
            extra={h.param: data.get(h.param) for h in hooks.project_filter_hooks if data.get(h.param)},
        )


class IdListField(forms.Field):
    """Ticked rows' ids (several `ids=` values); which of them the user may touch is the view's business."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            ids = sorted({int(v) for v in value or ()})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("所选项目有误，请刷新后重试")) from None
        if any(not 1 <= i <= DB_INT_MAX for i in ids):
            raise forms.ValidationError(_("所选项目有误，请刷新后重试"))
        return ids


class ReclassifyForm(forms.Form):
    """归类: set the 行业门类 of the ticked projects, or of every project the ledger's filter matches
    (`query` carries that filter, as the list's query string)."""

    section = forms.ChoiceField(label=_("归入行业门类"), choices=[("", _("请选择门类")), *Section.choices])
    ids = IdListField(required=False)
    all_matching = forms.BooleanField(label=_("全部符合筛选条件的项目"), required=False)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if not data.get("all_matching") and not data.get("ids"):
            raise forms.ValidationError(_("请先勾选要归类的项目，或选择“全部符合筛选条件的项目”"))
        return data


# ---------------------------------------------------------------------------------------------
# Project create / edit

MONEY_FIELDS = ("foreign_amount", "planned_investment", "signed_amount")
DATE_FIELDS = ("signed_on", "registered_on", "started_on", "completed_on", "producing_on")
FK_FIELDS = ("lead_unit", "introducer", "assisting_unit", "assisting_secretary", "signed_at_event")
# The orgs.lookups each FK field's search picker asks; each re-creates the queryset set in ProjectForm.
PICKERS = {"lead_unit": "units", "introducer": "people", "assisting_unit": "units",
           "assisting_secretary": "people", "signed_at_event": "events"}
# 签约活动: every event, as the project form offers them (the model is reached lazily: see _event_model).
register("events", Lookup(lambda user: _event_model().objects.order_by("-date", "code")))
# The order the form shows; every name is a field the services accept (PROJECT_FIELDS).
FORM_FIELDS = (
    "code", "name", "investor", "investor_uscc", "investor_origin", "industry", "industry_chain", "category",
    "is_four_power", "is_foreign", "foreign_amount", "planned_investment", "signed_amount",
    "lead_unit", "introducer", "assisting_unit", "assisting_secretary",
    "status", "status_reason",
    "signed_on", "signed_at_event", "registered_on", "started_on", "completed_on", "producing_on",
    "build_kind", "investor_tags",
)
assert set(FORM_FIELDS) == set(PROJECT_FIELDS), "the project form must offer exactly the service's fields"

FIELDSETS = [
    (_("基本信息"), ("code", "name", "category", "industry", "industry_chain", "build_kind", "is_four_power")),
    (_("投资方"), ("investor", "investor_uscc", "investor_origin", "investor_tags", "is_foreign", "foreign_amount")),
    (_("金额"), ("signed_amount", "planned_investment")),
    (_("引资与帮办"), ("lead_unit", "introducer", "assisting_unit", "assisting_secretary")),
    (_("阶段日期"), ("signed_on", "signed_at_event", "registered_on", "started_on", "completed_on", "producing_on")),
    (_("状态"), ("status", "status_reason")),
]


class ProjectForm(forms.Form):
    """The project's own fields, labelled and sized from the model so the two never disagree.
    It does not save: the view passes `service_fields()` to project_create / project_update,
    where the model's validators (统一社会信用代码, stage order …) run."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=DB_INT_MAX)

    def __init__(self, *args, user: User, project: Project | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {**model_to_dict(project, fields=FORM_FIELDS), "version": project.version}
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Project,
                fields=FORM_FIELDS,
                widgets={name: DateInput() for name in DATE_FIELDS},
                field_classes={name: MoneyField for name in MONEY_FIELDS},
            )
        )
        units = unit_list(user=user).order_by("code")
        people = person_list(user=user).filter(is_active=True).order_by("unit__code", "staff_no")
        current = model_to_dict(project, fields=FK_FIELDS) if project else {}
        self.fields["lead_unit"].queryset = _with_current(units, current.get("lead_unit"))
        self.fields["assisting_unit"].queryset = _with_current(units, current.get("assisting_unit"))
        self.fields["introducer"].queryset = _with_current(people, current.get("introducer"))
        self.fields["assisting_secretary"].queryset = _with_current(people, current.get("assisting_secretary"))
        self.fields["signed_at_event"].queryset = _event_model().objects.order_by("-date", "code")
        for name, lookup in PICKERS.items():  # past settings.SELECT_LIMIT choices: a search box (issue 12)
            search_picker(self.fields[name], lookup)
        self.fields["investor_uscc"].widget.attrs.update({"maxlength": 18, "autocomplete": "off"})
        for name in MONEY_FIELDS:
            # Text, not number: people paste "12,345.6"; inputmode still brings up a numeric keypad.
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["status_reason"].widget = forms.TextInput()
        self.fields["category"].choices = [("", _("待归类")), *Section.choices]
        self.fields["category"].help_text = _("GB/T 4754-2017国民经济行业分类的门类；工业即采矿业、制造业、"
                                              "电力、热力、燃气及水生产和供应业")
        self.fields["version"].required = project is not None
        # 投资方标签 (issue 14): ticked boxes here, "|code|code|" in the column (ledger.choices.tags_to_field).
        self.fields["investor_tags"] = forms.MultipleChoiceField(
            label=_("投资方标签"), required=False, choices=InvestorTag.choices, widget=forms.CheckboxSelectMultiple)
        if project is not None:
            self.initial["investor_tags"] = tags_from_field(project.investor_tags)
        self.fields["build_kind"].choices = [("", _("未填写")), *BuildKind.choices]
        add_correction_reason(self, user)
        bootstrap(self)

    def fieldsets(self):
        sets = [(title, [self[name] for name in names]) for title, names in FIELDSETS]
        if "correction_reason" in self.fields:
            sets.append((_("结账期间更正"), [self["correction_reason"]]))
        return sets

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in FORM_FIELDS}
        fields["investor_tags"] = tags_to_field(fields["investor_tags"] or ())
        if "correction_reason" in self.cleaned_data:
            fields["correction_reason"] = self.cleaned_data["correction_reason"]
        return fields


# ---------------------------------------------------------------------------------------------
# Funds, stage filings, shares


class FundArrivalForm(forms.Form):
    date = forms.DateField(label=FundArrival._meta.get_field("date").verbose_name, widget=DateInput())
    amount = MoneyField(label=FundArrival._meta.get_field("amount").verbose_name, max_digits=18, decimal_places=4,
                        widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    kind = forms.ChoiceField(label=_("资金类型"), choices=FundKind.choices, initial=FundKind.FIXED_ASSET)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    evidence = forms.FileField(label=_("证明材料"), required=False)
    evidence_kind = forms.ChoiceField(label=_("材料类型"), choices=EvidenceKind.choices, required=False,
                                      initial=EvidenceKind.BANK_RECEIPT)

    def clean_amount(self):
        # Mirrors the database check so the message sits beside the field rather than above the form.
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("到位金额必须大于0"))
        return amount

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)
        self.fields["evidence_kind"].help_text = required_summary(FUND)
        bootstrap(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django 5.2 recipe): cleans each file, returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class StageFileForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=[(s.value, s.label) for s in FILED_STAGES])
    date = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    files = MultipleFileField(label=_("证明材料"), required=False)
    evidence_kind = forms.ChoiceField(label=_("材料类型"), choices=EvidenceKind.choices, initial=EvidenceKind.OTHER,
                                      required=False)

    def __init__(self, *args, project: Project | None = None, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_correction_reason(self, user)
        self.fields["evidence_kind"].help_text = "；".join(
            f"{stage.label}{required_summary(stage)}" for stage in FILED_STAGES if required_summary(stage))
        bootstrap(self)
        if project is not None and not self.is_bound:
            # Offer the next stage after the current one; the service refuses anything backwards.
            later = [s for s in FILED_STAGES if project.stage_index < list(Stage).index(s)]
            if later:
                self.initial.setdefault("stage", later[0].value)


class ShareRowForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    ratio = forms.DecimalField(label=_("比例"), max_digits=7, decimal_places=6, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.5"}))
    # Bozhou's 共享机制: the tax a producing project pays is shared by the ratio, or by this where agreed.
    tax_ratio = forms.DecimalField(label=_("税收分成比例"), max_digits=7, decimal_places=6, required=False,
                                   min_value=0, max_value=1,
                                   widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                                 "placeholder": _("同共享比例")}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Sharing credits other units too, so every active unit may be chosen (not only the user's).
        self.fields["unit"].queryset = units if units is not None else Unit.objects.filter(is_active=True)
        search_picker(self.fields["unit"], "active-units")
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("ratio") is None:
            self.add_error("ratio", _("请填写比例"))
        if data.get("ratio") is not None and not data.get("unit"):
            self.add_error("unit", _("请选择单位"))
        return data


class BaseShareFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "units": self.units}

    def __init__(self, *args, **kwargs):
        # Every row offers the same units; a share page has a handful of rows, so one query per row.
        self.units = Unit.objects.filter(is_active=True).order_by("code")
        super().__init__(*args, **kwargs)

    def shares(self) -> list[tuple[Unit, Decimal]]:
        return [(f.cleaned_data["unit"], f.cleaned_data["ratio"]) for f in self.forms
                if f.cleaned_data.get("unit") and f.cleaned_data.get("ratio") is not None]

    def shares_with_tax(self) -> list[tuple[Unit, Decimal, Decimal | None]]:
        return [(f.cleaned_data["unit"], f.cleaned_data["ratio"], f.cleaned_data.get("tax_ratio")) for f in self.forms
                if f.cleaned_data.get("unit") and f.cleaned_data.get("ratio") is not None]


ShareFormSet = forms.formset_factory(ShareRowForm, formset=BaseShareFormSet, extra=3, max_num=50, validate_max=True)


class CreditRowForm(forms.Form):
    """One row of a project's 个人分成 for a role (ledger/credits.py)."""

    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none(), required=False)
    ratio = forms.DecimalField(label=_("比例"), max_digits=7, decimal_places=6, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.5"}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("ratio") is None:
            self.add_error("ratio", _("请填写比例"))
        if data.get("ratio") is not None and not data.get("person"):
            self.add_error("person", _("请选择人员"))
        return data


class BaseCreditFormSet(forms.BaseFormSet):
    def __init__(self, *args, people=None, **kwargs):
        self.people = people
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "people": self.people}

    def credits(self) -> list[tuple[Person, Decimal]]:
        return [(f.cleaned_data["person"], f.cleaned_data["ratio"]) for f in self.forms
                if f.cleaned_data.get("person") and f.cleaned_data.get("ratio") is not None]


CreditFormSet = forms.formset_factory(CreditRowForm, formset=BaseCreditFormSet, extra=3, max_num=20,
                                      validate_max=True)


class RestoreForm(forms.Form):
    history_id = forms.IntegerField(widget=forms.HiddenInput)


def _event_model():
    """The promotion event a project was signed at. Events belong to the activities app, a layer above
    the ledger, so the model is reached through the foreign key rather than imported."""
    return Project._meta.get_field("signed_at_event").related_model


class EvidenceForm(forms.Form):
    """补充材料: files of one kind added to an existing filing (the 签约 filing included)."""

    files = MultipleFileField(label=_("证明材料"))
    kind = forms.ChoiceField(label=_("材料类型"), choices=EvidenceKind.choices, initial=EvidenceKind.CONTRACT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RefileForm(forms.Form):
    """重新报送 after a return: what was corrected, and optionally more evidence."""

    note = forms.CharField(label=_("更正说明"), max_length=300, required=False)
    files = MultipleFileField(label=_("补充材料"), required=False)
    kind = forms.ChoiceField(label=_("材料类型"), choices=EvidenceKind.choices, initial=EvidenceKind.OTHER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def uploads(self) -> list[tuple]:
        return [(f, self.cleaned_data["kind"]) for f in self.cleaned_data.get("files") or []]
