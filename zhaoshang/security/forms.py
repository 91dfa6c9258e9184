from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.lookups import search_picker
from zhaoshang.orgs.models import Unit

from .models import AuditAction, AuditResult
from .roles import UNITLESS_ROLES

User = get_user_model()

# Roles whose scope is a unit and its children: the unit is required.
UNIT_ROLES = (UserRole.UNIT_STAFF, UserRole.UNIT_HEAD, UserRole.DISTRICT_ASSESSOR)


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class OwnPasswordForm(Styled, PasswordChangeForm):
    """Django's change form (old password, new twice); the new one passes AUTH_PASSWORD_VALIDATORS."""


class AccountCreateForm(Styled, forms.ModelForm):
    """系统管理员 opens an account; it has no role (待授权) until the 安全管理员 grants one."""

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]


class AccountEditForm(Styled, forms.ModelForm):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "email", "is_active"]


class RoleForm(Styled, forms.ModelForm):
    """安全管理员 grants a role and, for a unit role, the unit (its scope: the unit and the units below it)."""

    unit = forms.ModelChoiceField(
        Unit.objects.filter(is_active=True).order_by("code"), required=False, label=_("所属单位"),
        help_text=_("单位角色（单位工作人员、单位负责人、区考核办）必填；其他角色不属于任何单位"))

    class Meta:
        model = User
        fields = ["role", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        search_picker(self.fields["unit"], "active-units")  # a search box past settings.SELECT_LIMIT (issue 12)

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in UNIT_ROLES and unit is None:
            self.add_error("unit", _("该角色必须指定所属单位"))
        if role in UNITLESS_ROLES or role in (UserRole.ASSESSOR, UserRole.LEADER, UserRole.AUDIT_OFFICE):
            # City-wide and administrator roles carry no unit; a stale one would narrow or widen nothing useful.
            data["unit"] = None
            self.instance.unit = None
        return data


class OtpTokenForm(Styled, forms.Form):
    token = forms.CharField(label=_("动态验证码"), max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


class AuditFilterForm(Styled, forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    username = forms.CharField(label=_("用户"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("事件"), required=False,
                               choices=[("", _("全部事件")), *AuditAction.choices])
    result = forms.ChoiceField(label=_("结果"), required=False,
                               choices=[("", _("全部结果")), *AuditResult.choices])
    address = forms.CharField(label=_("地址"), required=False, max_length=45)
    target = forms.CharField(label=_("对象"), required=False, max_length=100)
