from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COUNTY = "county", _("县(市)")
    DISTRICT = "district", _("区")
    DEV_ZONE = "dev_zone", _("开发区")
    TOWNSHIP = "township", _("乡镇街道")
    DEPARTMENT = "department", _("市直部门")
    RESIDENT_OFFICE = "resident_office", _("驻点招商局")
    TASK_FORCE = "task_force", _("产业专班")
    PLATFORM = "platform", _("平台")


class PersonRole(models.TextChoices):
    PARTY_GOV_HEAD = "head", _("党政主要负责人")
    DIVISION_LEADER = "division", _("分管领导")
    DIRECTOR = "director", _("局长")
    DEPUTY_DIRECTOR = "deputy", _("副局长")
    LIAISON = "liaison", _("联络员")
    STAFF = "staff", _("工作人员")


class UserRole(models.TextChoices):
    # 三员分立 (等保 2.0): the three administrators manage accounts, security and the audit log, and see no
    # business data; none can do another's job (zhaoshang/security/roles.py).
    ADMIN = "admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    # A new account the 系统管理员 opened, waiting for the 安全管理员 to grant it a role and units: it sees nothing.
    PENDING = "pending", _("待授权")
    ASSESSOR = "assessor", _("考核办")
    # 区考核办: the assessment office of one district or development zone (its `unit`), verifying the
    # facts of the units under it (分级考核); it sees nothing outside them.
    DISTRICT_ASSESSOR = "district_assessor", _("区考核办")
    LEADER = "leader", _("领导（只读）")
    # 审计局 in the awards review (Huaiyin 001: 区招商办、考核办、审计局审核): reads everything, writes only its
    # own review opinions (issue 13).
    AUDIT_OFFICE = "audit_office", _("审计局")
    UNIT_HEAD = "unit_head", _("单位负责人")
    UNIT_STAFF = "unit_staff", _("单位工作人员")
