"""Units, assessment groups, people and the users who log in."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PersonRole, UnitKind, UserRole


class UnitGroup(models.Model):
    """An assessment group (考核组别): units in one group are ranked against each other with the
    same parameters, e.g. 重点地区 / 市内五区及郑东新区 (Zhengzhou) or 平台 / 镇街 (Huaiyin)."""

    code = models.CharField(_("组别编码"), max_length=32, unique=True)
    name = models.CharField(_("组别名称"), max_length=64, unique=True)
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("考核组别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit that does investment promotion: a county, district, zone, town, department,
    resident office (驻点招商局), industry task force (产业专班) or platform."""

    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("考核组别"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    # Resident offices (驻点招商局) record where they work and what they hunt for (Bole document).
    regions = models.CharField(_("驻点区域"), max_length=200, blank=True, help_text=_("如：北京、天津、河北"))
    focus_industries = models.CharField(_("主攻产业"), max_length=300, blank=True)
    lead_leader = models.CharField(_("牵头领导"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # 分级考核: a district's own assessment office (区考核办) passes its units' facts up (初审通过); where
    # the city delegates, its approval is final (已认定).
    verification_delegated = models.BooleanField(_("市考核办授权直接认定"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("单位")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="unit_not_own_parent",
                violation_error_message=_("单位不能是自己的上级"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Grouping(models.Model):
    """A named grouping (分组口径): which group each unit is in under one assessment. The same district can
    be 重点地区 for the manufacturing assessment and 区及功能区 for the investment competition; a scheme
    names its grouping. A unit without a membership in it falls back to its own `Unit.group` (the 单位
    sheet's 考核组别, the default grouping), so a city that runs one scheme needs none."""

    name = models.CharField(_("分组口径名称"), max_length=64, unique=True)
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("分组口径")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """The group a unit is in under one grouping (at most one per grouping)."""

    grouping = models.ForeignKey(
        Grouping, verbose_name=_("分组口径"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("考核组别"), on_delete=models.PROTECT, related_name="memberships"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("分组成员")
        ordering = ["grouping__name", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["grouping", "unit"], name="one_group_per_grouping",
                violation_error_message=_("同一分组口径中一个单位只能属于一个组别"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grouping} · {self.unit} · {self.group}"


class Person(models.Model):
    """A cadre or staff member of a unit; may lead visits and introduce projects (引资人)."""

    staff_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people")
    title = models.CharField(_("职务"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=PersonRole.choices, default=PersonRole.STAFF)
    user = models.OneToOneField(
        "orgs.User", verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    is_active = models.BooleanField(_("在职"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("人员")
        ordering = ["unit__code", "staff_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"


class User(AbstractUser):
    """A login. `role` decides what the user may do; `unit` (with its children) what they may see
    when the role is unit-scoped."""

    role = models.CharField(_("系统角色"), max_length=20, choices=UserRole.choices, default=UserRole.UNIT_STAFF)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(role__in=["unit_head", "unit_staff", "district_assessor"])
                           | models.Q(unit__isnull=False)),
                name="unit_user_has_unit",
                violation_error_message=_("单位用户必须指定所属单位"),
            ),
        ]

    @property
    def sees_all_units(self) -> bool:
        # The 系统管理员 (like the other two administrators, 三员分立) sees no business data.
        return self.is_superuser or self.role in (UserRole.ASSESSOR, UserRole.LEADER, UserRole.AUDIT_OFFICE)

    @property
    def is_assessor(self) -> bool:
        return self.is_superuser or self.role == UserRole.ASSESSOR

    @property
    def is_district_assessor(self) -> bool:
        """区考核办: verifies its own district's facts; scoped like a unit user to `unit` and below."""
        return self.role == UserRole.DISTRICT_ASSESSOR and not self.is_superuser

    @property
    def can_verify(self) -> bool:
        """May take verification steps (核实认定) at all: the city assessors, and district assessors
        within their district."""
        return self.is_assessor or self.is_district_assessor

    @property
    def is_read_only(self) -> bool:
        # 审计局 reads everything like a leader; its only write is its own awards review (zhaoshang/awards).
        return self.role in (UserRole.LEADER, UserRole.AUDIT_OFFICE) and not self.is_superuser


class ApiToken(models.Model):
    """A bearer token for integrators. Only a hash is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("API令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        key = "zs_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), prefix=key[:8])
        return token, key
