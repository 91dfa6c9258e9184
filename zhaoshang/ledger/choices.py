from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    MANUFACTURING = "manufacturing", _("制造业")
    SERVICES = "services", _("服务业")
    AGRICULTURE = "agriculture", _("农业")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    NEGOTIATING = "negotiating", _("在谈")
    ADVANCING = "advancing", _("推进中")
    STALLED = "stalled", _("停滞")
    TERMINATED = "terminated", _("终止")
    LOST = "lost", _("流失")


STATUSES_NEEDING_REASON = (Status.STALLED, Status.TERMINATED, Status.LOST)


class Stage(models.TextChoices):
    """Lifecycle stages in order. A project's stage is the latest one it has a date for."""

    NONE = "none", _("未签约")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")


STAGE_ORDER = [Stage.NONE, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING]
# The project field that holds each stage's date.
STAGE_DATE_FIELD = {
    Stage.SIGNED: "signed_on",
    Stage.REGISTERED: "registered_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.PRODUCING: "producing_on",
}
FILED_STAGES = [Stage.REGISTERED, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING]


class FundKind(models.TextChoices):
    FIXED_ASSET = "fixed_asset", _("固定资产投资")
    REGISTERED_CAPITAL = "registered_capital", _("注册资本")
    FOREIGN = "foreign", _("外资")
    OTHER = "other", _("其他")


class Verification(models.TextChoices):
    """核实认定: where a countable fact (a stage filing, a fund arrival) stands. A filing starts at
    待核实; a district assessor passes it (初审通过) or, where delegated, verifies it; the city
    assessor verifies (已认定), returns it for correction (退回) or rejects it (不予认定)."""

    PENDING = "pending", _("待核实")
    PRELIMINARY = "preliminary", _("初审通过")
    VERIFIED = "verified", _("已认定")
    RETURNED = "returned", _("退回")
    REJECTED = "rejected", _("不予认定")


# The project column holding the date a stage's filing was verified (None while it is not): the
# measures filter on it under `basis = "verified"` without joining the filings.
STAGE_VERIFIED_FIELD = {stage: f"{field[:-3]}_verified_on" for stage, field in STAGE_DATE_FIELD.items()}


class EvidenceKind(models.TextChoices):
    """材料类型: what an evidence file is, so the verifier (and the rules in the setting
    `VERIFICATION_EVIDENCE`) can tell whether a filing carries the proof its kind needs."""

    CONTRACT = "contract", _("协议/合同")
    LICENSE = "license", _("营业执照")
    PERMIT = "permit", _("施工许可")
    PHOTO = "photo", _("现场照片")
    ACCEPTANCE = "acceptance", _("竣工验收")
    PRODUCTION = "production", _("投产证明")
    BANK_RECEIPT = "bank_receipt", _("银行回单")
    CAPITAL_REPORT = "capital_report", _("验资报告")
    OTHER = "other", _("其他")
