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
