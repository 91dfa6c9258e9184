"""Input and output shapes of the ledger API. Foreign keys go in by code and come out as id and code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from zhaoshang.core.periods import today
from zhaoshang.ledger.choices import UNCLASSIFIED, FundKind, Section, Stage, Status, section_label
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.ledger.selectors import SORTABLE, project_fund_totals

from .schemas import IdParam, InputSchema, Money, MoneyOut, PageParams, Ratio, RatioOut

FiledStage = Literal["registered", "started", "completed", "producing"]


# ---- output -------------------------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    investor: str
    investor_uscc: str
    investor_origin: str
    industry: str
    industry_chain: str
    category: str = Field(..., description="行业门类：GB/T 4754-2017门类代码 A–T，空为待归类")
    category_display: str = Field(..., description="行业门类名称，如“制造业”；未归类为“待归类”")
    is_four_power: bool
    is_foreign: bool
    foreign_amount: MoneyOut | None = Field(None, description="外资金额（万美元）")
    planned_investment: MoneyOut | None = Field(None, description="计划总投资（万元）")
    signed_amount: MoneyOut = Field(..., description="签约金额（万元）")
    signed_on: dt.date | None
    signed_at_event_id: int | None
    signed_at_event_code: str | None
    registered_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None
    producing_on: dt.date | None
    stage: str
    stage_display: str
    status: str
    status_display: str
    status_reason: str
    lead_unit_id: int
    lead_unit_code: str
    lead_unit_name: str
    introducer_id: int | None
    introducer_staff_no: str | None
    introducer_name: str | None
    assisting_unit_id: int | None
    assisting_unit_code: str | None
    assisting_secretary_id: int | None
    assisting_secretary_staff_no: str | None
    version: int = Field(..., description="乐观锁版本号：修改时原样传回")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_stage_display(obj: Project) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_category_display(obj: Project) -> str:
        return section_label(obj.category)

    @staticmethod
    def resolve_status_display(obj: Project) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_signed_at_event_code(obj: Project) -> str | None:
        return obj.signed_at_event.code if obj.signed_at_event_id else None

    @staticmethod
    def resolve_lead_unit_code(obj: Project) -> str:
        return obj.lead_unit.code

    @staticmethod
    def resolve_lead_unit_name(obj: Project) -> str:
        return obj.lead_unit.name

    @staticmethod
    def resolve_introducer_staff_no(obj: Project) -> str | None:
        return obj.introducer.staff_no if obj.introducer_id else None

    @staticmethod
    def resolve_introducer_name(obj: Project) -> str | None:
        return obj.introducer.name if obj.introducer_id else None

    @staticmethod
    def resolve_assisting_unit_code(obj: Project) -> str | None:
        return obj.assisting_unit.code if obj.assisting_unit_id else None

    @staticmethod
    def resolve_assisting_secretary_staff_no(obj: Project) -> str | None:
        return obj.assisting_secretary.staff_no if obj.assisting_secretary_id else None


class ShareOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    ratio: RatioOut

    @staticmethod
    def resolve_unit_code(obj: ProjectShare) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: ProjectShare) -> str:
        return obj.unit.name


class ShareChangeLineOut(Schema):
    unit_code: str
    unit_name: str
    previous_ratio: RatioOut = Field(..., description="变更前比例（未共享时引资单位为1）")
    ratio: RatioOut = Field(..., description="变更后比例；0 表示取消该单位的共享")
    consent: str = Field(..., description="not_needed 无需确认 / pending 待确认 / confirmed 已确认 / declined 已拒绝")
    consent_display: str
    note: str

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_consent_display(obj) -> str:
        return obj.get_consent_display()


class ShareChangeOut(Schema):
    """A change of shares that waits for another unit's consent; the project keeps its shares meanwhile."""

    id: int
    project_id: int
    project_code: str
    project_name: str
    status: str = Field(..., description="pending 待确认 / applied 已生效 / declined 已拒绝 / withdrawn 已撤回 / "
                                         "superseded 已被新的变更取代")
    status_display: str
    proposed_at: dt.datetime
    lines: list[ShareChangeLineOut]

    @staticmethod
    def resolve_project_code(obj) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj) -> str:
        return obj.project.name

    @staticmethod
    def resolve_status_display(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("unit"))


class StageRecordOut(Schema):
    id: int
    stage: str
    stage_display: str
    date: dt.date
    note: str
    filed_by: str | None
    filed_at: dt.datetime
    evidence_count: int

    @staticmethod
    def resolve_stage_display(obj: StageRecord) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_filed_by(obj: StageRecord) -> str | None:
        return obj.filed_by.username if obj.filed_by_id else None

    @staticmethod
    def resolve_evidence_count(obj: StageRecord) -> int:
        return len(obj.evidence.all())


class FundOut(Schema):
    id: int
    date: dt.date
    amount: MoneyOut
    kind: str
    kind_display: str
    note: str
    has_evidence: bool
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def resolve_kind_display(obj: FundArrival) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_has_evidence(obj: FundArrival) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_recorded_by(obj: FundArrival) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


class FundTotals(Schema):
    year: int
    total: MoneyOut = Field(..., description="累计到位（万元）")
    this_year: MoneyOut = Field(..., description="本年到位（万元）")


class FundList(Schema):
    items: list[FundOut]
    totals: FundTotals


def fund_totals(project: Project) -> dict:
    year = today().year
    return {"year": year, **project_fund_totals(project, year)}


class ProjectDetailOut(ProjectOut):
    shares: list[ShareOut] = Field(..., description="共享比例（各项统计所用）；为空表示由引资单位独享")
    pending_share_change: ShareChangeOut | None = Field(
        None, description="待其他单位确认的共享变更；确认前项目仍按 shares 计算")
    stage_records: list[StageRecordOut]
    fund_arrivals: list[FundOut]
    fund_totals: FundTotals

    @staticmethod
    def resolve_shares(obj: Project) -> list[ProjectShare]:
        return list(obj.shares.select_related("unit"))

    @staticmethod
    def resolve_pending_share_change(obj: Project):
        return obj.share_changes.filter(status="pending").select_related("project").first()

    @staticmethod
    def resolve_stage_records(obj: Project) -> list[StageRecord]:
        return list(obj.stage_records.select_related("filed_by").prefetch_related("evidence"))

    @staticmethod
    def resolve_fund_arrivals(obj: Project) -> list[FundArrival]:
        return list(obj.fund_arrivals.select_related("recorded_by"))

    @staticmethod
    def resolve_fund_totals(obj: Project) -> dict:
        return fund_totals(obj)


class LedgerTotalsOut(Schema):
    count: int
    signed_amount: MoneyOut
    funds: MoneyOut


class ProjectPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectOut]
    next: str | None = Field(
        None, description="下一页的游标（按默认排序时给出；没有下一页为 null）：作为 cursor 参数传回")
    totals: LedgerTotalsOut = Field(..., description="整个筛选结果（不只是本页）的合计")


# ---- input --------------------------------------------------------------------------------------------------


class ProjectQuery(PageParams):
    unit: int | None = IdParam("单位id（引资或共享）")
    unit_code: str | None = Field(None, description="单位编码（引资或共享）")
    stage: Stage | None = None
    status: Status | None = None
    category: Section | Literal["unclassified"] | None = Field(
        None, description=f"行业门类：门类代码 A–T，或 {UNCLASSIFIED} 表示待归类")
    year: int | None = Field(None, ge=1949, le=2100, description="签约年份")
    amount_min: Money | None = Field(None, description="签约金额下限（万元）")
    amount_max: Money | None = Field(None, description="签约金额上限（万元）")
    q: str = Field("", description="按项目名称、编号、投资方搜索")
    sort: str = Field("", description=f"排序字段，前加 - 为倒序：{', '.join(SORTABLE)}")
    cursor: str | None = Field(None, max_length=200, description=(
        "游标分页：上一页返回的 next。按默认排序（签约日期倒序）逐页读取，页数再多也一样快；"
        "不能与 sort、offset 同时使用"))

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        if value and value.lstrip("-") not in SORTABLE:
            raise ValueError(f"排序字段无效，可选：{', '.join(SORTABLE)}（前加 - 为倒序）")
        return value


class ShareIn(InputSchema):
    unit_code: str
    ratio: Ratio


class SharesIn(InputSchema):
    shares: list[ShareIn] = Field(..., description="各单位共享比例，之和为1；空列表表示由引资单位独享")
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")


class ProjectIn(InputSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    investor: str = Field(..., max_length=200)
    investor_uscc: str = Field("", max_length=18, description="统一社会信用代码（18位）")
    investor_origin: str = Field("", max_length=100)
    industry: str = Field("", max_length=100)
    industry_chain: str = Field("", max_length=100)
    category: Section | Literal[""] = Field("", description="行业门类：GB/T 4754-2017门类代码 A–T；空为待归类")
    is_four_power: bool = False
    is_foreign: bool = False
    foreign_amount: Money | None = None
    planned_investment: Money | None = None
    signed_amount: Money = Field(Decimal("0"), description="签约金额（万元），字符串")
    signed_on: dt.date | None = None
    signed_at_event_code: str | None = None
    registered_on: dt.date | None = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    producing_on: dt.date | None = None
    status: Status = Status.NEGOTIATING
    status_reason: str = Field("", max_length=300)
    lead_unit_code: str
    introducer_staff_no: str | None = None
    assisting_unit_code: str | None = None
    assisting_secretary_staff_no: str | None = None
    shares: list[ShareIn] | None = None
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")


class ProjectPatch(InputSchema):
    version: int = Field(..., ge=1, description="您读取时的版本号；他人已修改则返回409")
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    investor: str | None = Field(None, max_length=200)
    investor_uscc: str | None = Field(None, max_length=18)
    investor_origin: str | None = Field(None, max_length=100)
    industry: str | None = Field(None, max_length=100)
    industry_chain: str | None = Field(None, max_length=100)
    category: Section | Literal[""] | None = Field(None, description="行业门类：门类代码 A–T；空字符串为待归类")
    is_four_power: bool | None = None
    is_foreign: bool | None = None
    foreign_amount: Money | None = None
    planned_investment: Money | None = None
    signed_amount: Money | None = None
    signed_on: dt.date | None = None
    signed_at_event_code: str | None = None
    registered_on: dt.date | None = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    producing_on: dt.date | None = None
    status: Status | None = None
    status_reason: str | None = Field(None, max_length=300)
    lead_unit_code: str | None = None
    introducer_staff_no: str | None = None
    assisting_unit_code: str | None = None
    assisting_secretary_staff_no: str | None = None
    shares: list[ShareIn] | None = None
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")


class StageIn(InputSchema):
    stage: FiledStage
    date: dt.date
    note: str = Field("", max_length=300)
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")


class FundIn(InputSchema):
    date: dt.date
    amount: Money = Field(..., description="金额（万元），字符串")
    kind: FundKind = FundKind.FIXED_ASSET
    note: str = Field("", max_length=300)
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")
