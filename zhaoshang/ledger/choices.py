from django.db import models


class Category(models.TextChoices):
    MANUFACTURING = "manufacturing", "制造业"
    SERVICES = "services", "服务业"
    AGRICULTURE = "agriculture", "农业"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    NEGOTIATING = "negotiating", "在谈"
    ADVANCING = "advancing", "推进中"
    STALLED = "stalled", "停滞"
    TERMINATED = "terminated", "终止"
    LOST = "lost", "流失"


STATUSES_NEEDING_REASON = (Status.STALLED, Status.TERMINATED, Status.LOST)


class Stage(models.TextChoices):
    """Lifecycle stages in order. A project's stage is the latest one it has a date for."""

    NONE = "none", "未签约"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册"
    STARTED = "started", "开工"
    COMPLETED = "completed", "竣工"
    PRODUCING = "producing", "投产"


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
    FIXED_ASSET = "fixed_asset", "固定资产投资"
    REGISTERED_CAPITAL = "registered_capital", "注册资本"
    FOREIGN = "foreign", "外资"
    OTHER = "other", "其他"
