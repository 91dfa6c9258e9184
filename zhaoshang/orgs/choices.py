from django.db import models


class UnitKind(models.TextChoices):
    COUNTY = "county", "县(市)"
    DISTRICT = "district", "区"
    DEV_ZONE = "dev_zone", "开发区"
    TOWNSHIP = "township", "乡镇街道"
    DEPARTMENT = "department", "市直部门"
    RESIDENT_OFFICE = "resident_office", "驻点招商局"
    TASK_FORCE = "task_force", "产业专班"
    PLATFORM = "platform", "平台"


class PersonRole(models.TextChoices):
    PARTY_GOV_HEAD = "head", "党政主要负责人"
    DIVISION_LEADER = "division", "分管领导"
    DIRECTOR = "director", "局长"
    DEPUTY_DIRECTOR = "deputy", "副局长"
    LIAISON = "liaison", "联络员"
    STAFF = "staff", "工作人员"


class UserRole(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    ASSESSOR = "assessor", "考核办"
    LEADER = "leader", "领导（只读）"
    UNIT_HEAD = "unit_head", "单位负责人"
    UNIT_STAFF = "unit_staff", "单位工作人员"
