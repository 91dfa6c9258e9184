from functools import cache

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """行业门类: the 20 sections (门类) of GB/T 4754-2017 国民经济行业分类. A project's or a visited
    enterprise's industry class is one of these letters, or "" while it is 待归类 (not yet classified:
    the ledger's older four words 服务业 and 其他 named no section)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741 (the standard's own letter)
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


# What an empty section reads as, wherever a person sees it (a badge in the ledger, a workbook cell).
UNCLASSIFIED_LABEL = "待归类"
# The ledger filter's value for "no section yet" ("" already means "any section").
UNCLASSIFIED = "unclassified"
# Named sets of sections a scheme may filter by: 工业 = 采矿业 + 制造业 + 电力、热力、燃气及水生产和供应业
# (the statistics bureau's 工业, GB/T 4754-2017 门类 B、C、D).
INDUSTRY_SETS = {"工业": ("B", "C", "D")}
# The ledger's four words before the sections (the 项目类别 column of older workbooks, the stored values
# before migration ledger 0007): 制造业 and 农业 have a section, 服务业 and 其他 do not (待归类).
OLD_CATEGORY_SECTIONS = {"manufacturing": "C", "agriculture": "A", "services": "", "other": ""}
OLD_CATEGORY_WORDS = {"制造业": "C", "农业": "A", "服务业": "", "其他": ""}


@cache
def section_names() -> dict[str, str]:
    """Letter → the standard's Chinese name, whatever the user's language: schemes and workbooks name
    sections in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return {c.value: str(c.label) for c in Section}


def section_label(code: str) -> str:
    """The section's Chinese name (制造业), or 待归类 for none."""
    return section_names().get(code, UNCLASSIFIED_LABEL)


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


class ShareChangeStatus(models.TextChoices):
    """A change of a project's shares that touches a unit outside the writer's units (issue 11)."""

    PENDING = "pending", _("待确认")
    APPLIED = "applied", _("已生效")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    SUPERSEDED = "superseded", _("已被新的变更取代")


class ShareConsent(models.TextChoices):
    """Where one unit of a share change stands: its own units' changes need no consent."""

    NOT_NEEDED = "not_needed", _("无需确认")
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已拒绝")


class BuildKind(models.TextChoices):
    """新建/扩建/续建 (the speech in 003: "续建项目多，新建项目少"); "" while not stated."""

    NEW = "new", _("新建")
    EXPANSION = "expansion", _("扩建")
    CONTINUED = "continued", _("续建")


class InvestorTag(models.TextChoices):
    """What the investor is (Bole 002 wants 500强, listed and leading enterprises)."""

    FORTUNE_500 = "fortune500", _("世界500强")
    CHINA_500 = "china500", _("中国500强")
    LISTED = "listed", _("上市")
    LEADER = "leader", _("行业龙头")
    SPECIALISED = "specialised", _("专精特新")
    HIGH_TECH = "hightech", _("高新技术企业")


# Tags are stored in one indexed text column as "|code|code|" so that a filter on one tag is a plain
# `investor_tags__contains="|code|"` on SQLite and PostgreSQL alike (no JSON operators needed).
TAG_SEPARATOR = "|"


def tags_to_field(codes) -> str:
    ordered = [tag.value for tag in InvestorTag if tag.value in set(codes)]
    return f"|{'|'.join(ordered)}|" if ordered else ""


def tags_from_field(stored: str) -> list[str]:
    return [code for code in (stored or "").split(TAG_SEPARATOR) if code]


def tag_filter_value(code: str) -> str:
    return f"|{code}|"


class CreditRole(models.TextChoices):
    """Who gets a person's credit for a project (Huaiyin 001: 引资单位及引资人, 帮办服务单位及帮办秘书)."""

    INTRODUCER = "introducer", _("引资人")
    SECRETARY = "secretary", _("帮办秘书")
