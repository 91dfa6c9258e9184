"""Input and output bodies of the awards API (奖励评选): the catalogue, nominations with their three
reviews, 公示 and decision, and clawbacks.

Award amounts are kept in 元 with two places (awards.models), as the payout list pays them — not in 万元
like the ledger — so every amount here is named `…_yuan` and is a decimal string. A nomination names the
assessment run it came from by scheme and period, with the id only as a link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from zhaoshang.awards.choices import ClawbackStatus, NominationStatus, ReviewOffice, Verdict

from .office_schemas import YuanOut
from .schemas import IdParam, InputSchema, PageParams


def _points_out(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


# A score (总得分, 门槛值): two places as stored, a string like every decimal of this API.
PointsOut = Annotated[Decimal, PlainSerializer(_points_out, return_type=str),
                      WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$", "examples": ["86.50"]})]

YEAR = {"ge": 2000, "le": 2100}


# ---- catalogue ------------------------------------------------------------------------------------------------


class CatalogueQuery(Schema):
    year: int | None = Field(None, **YEAR, description="年度（不填为全部年度）")


class AwardItemOut(Schema):
    id: int = Field(..., description="奖项id")
    kind: str = Field(..., description="奖项类别代码：collective 先进集体奖，single 工作单项奖，individual 先进个人奖")
    kind_display: str = Field(..., description="奖项类别")
    name: str = Field(..., description="奖项名称")
    rule: str = Field(..., description="评选规则代码：top_n、grade、threshold、honour、manual")
    rule_display: str = Field(..., description="评选规则")
    count: int | None = Field(None, description="每组名额（每组前N名）")
    grade: str = Field(..., description="等次或荣誉")
    threshold_on: str = Field(..., description="门槛依据代码：total、item_points、item_value；无门槛为空")
    threshold_item: str = Field(..., description="门槛指标（方案中指标的键）")
    threshold: PointsOut | None = Field(None, description="门槛值")
    amount_yuan: YuanOut = Field(..., description="奖励金额（元，不是万元）")
    schemes: list[str] = Field(..., description="依据的考核方案编码")


class CatalogueOut(Schema):
    id: int = Field(..., description="奖项目录id")
    year: int = Field(..., description="年度")
    title: str = Field(..., description="名称")
    issuer: str = Field(..., description="决定机关")
    office: str = Field(..., description="公示发布单位")
    notice_days: int = Field(..., description="公示期（工作日）")
    objection_channel: str = Field(..., description="异议受理渠道")
    items: list[AwardItemOut] = Field(..., description="奖项")


# ---- nominations ----------------------------------------------------------------------------------------------


class NominationQuery(PageParams):
    year: int | None = Field(None, **YEAR, description="奖项目录年度")
    status: NominationStatus | None = Field(
        None, description="状态：review 审核中，reviewed 审核通过，notice 公示中，decided 已表彰，withdrawn 未予表彰，"
                          "revoked 已撤销并追回")
    catalogue: int | None = IdParam("奖项目录id")


class CatalogueRef(Schema):
    id: int = Field(..., description="奖项目录id")
    year: int = Field(..., description="年度")
    title: str = Field(..., description="奖项目录名称")


class AwardRef(Schema):
    id: int = Field(..., description="奖项id")
    kind: str = Field(..., description="奖项类别代码")
    kind_display: str = Field(..., description="奖项类别")
    name: str = Field(..., description="奖项名称")


class SubjectOut(Schema):
    type: str = Field(..., description="对象类型：unit 单位，person 人员")
    name: str = Field(..., description="表彰对象")
    unit_code: str | None = Field(None, description="单位编码（人员为其所在单位）")
    unit_name: str | None = Field(None, description="单位名称（人员为其所在单位）")
    staff_no: str | None = Field(None, description="工号（对象为人员时）")


class RunRef(Schema):
    id: int = Field(..., description="考核结果id")
    label: str = Field(..., description="考核结果：方案名称、期间与截止日期")
    scheme_key: str = Field(..., description="方案编码")
    scheme_name: str = Field(..., description="方案名称")
    period: str = Field(..., description="考核期间，如 2024、2024Q2")
    period_label: str = Field(..., description="期间名称")
    as_of: dt.date = Field(..., description="截止日期")


class NominationOut(Schema):
    id: int = Field(..., description="提名id")
    catalogue: CatalogueRef = Field(..., description="奖项目录")
    award: AwardRef = Field(..., description="奖项")
    amount_yuan: YuanOut = Field(..., description="奖励金额（元，不是万元）")
    subject: SubjectOut = Field(..., description="表彰对象")
    source: str = Field(..., description="来源代码：run 考核结果生成，manual 人工提名")
    source_display: str = Field(..., description="来源")
    run: RunRef | None = Field(None, description="所依据的考核结果（人工提名且未关联时为 null）")
    group: str = Field(..., description="组别")
    total: PointsOut | None = Field(None, description="总得分")
    rank: int | None = Field(None, description="组内名次")
    grade: str = Field(..., description="等次")
    status: str = Field(..., description="状态代码")
    status_display: str = Field(..., description="状态")


class NominationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NominationOut]


class ReviewOut(Schema):
    office: str = Field(..., description="审核单位代码：investment 招商办，assessment 考核办，audit 审计局")
    office_display: str = Field(..., description="审核单位")
    verdict: str | None = Field(None, description="意见代码：approve 同意，object 有异议；待审核为 null")
    verdict_display: str | None = Field(None, description="意见；待审核为 null")
    reason: str = Field(..., description="理由")
    signed_by: str | None = Field(None, description="登记人")
    signed_at: dt.datetime | None = Field(None, description="登记时间")


class NoticeOut(Schema):
    id: int = Field(..., description="公示id")
    doc_no: str = Field(..., description="公示文号")
    start_on: dt.date = Field(..., description="公示开始日期（当日不计）")
    days: int = Field(..., description="公示期（工作日）")
    end_on: dt.date = Field(..., description="公示截止日期（含）")
    end_on_provisional: bool = Field(..., description="该年度节假日安排尚未公布，截止日期暂按周一至周五计算")


class DecisionOut(Schema):
    id: int = Field(..., description="表彰决定id")
    doc_no: str = Field(..., description="表彰决定文号")
    decided_on: dt.date = Field(..., description="决定日期")
    issuer: str = Field(..., description="决定机关")


class ObjectionOut(Schema):
    id: int = Field(..., description="异议id")
    received_on: dt.date = Field(..., description="收到日期")
    content: str = Field(..., description="异议内容")
    upheld: bool | None = Field(None, description="true 异议成立，false 不成立，null 待处理")
    resolution: str = Field(..., description="处理结果")
    resolved_by: str | None = Field(None, description="处理人")
    resolved_at: dt.datetime | None = Field(None, description="处理时间")


class EventOut(Schema):
    at: dt.datetime = Field(..., description="时间")
    what: str = Field(..., description="事项")
    who: str | None = Field(None, description="办理人")
    detail: str = Field(..., description="说明")


class NominationRef(Schema):
    id: int = Field(..., description="提名id")
    subject_name: str = Field(..., description="表彰对象")
    award: str = Field(..., description="奖项名称")
    year: int = Field(..., description="奖项目录年度")
    status: str = Field(..., description="提名状态代码")
    status_display: str = Field(..., description="提名状态")


class ClawbackOut(Schema):
    id: int = Field(..., description="追回记录id")
    nomination: NominationRef = Field(..., description="被追回的奖励")
    fact_kind: str = Field(..., description="被否定事实的类型：fund 到位资金，stage 项目阶段，flag 疑点核查")
    fact_label: str = Field(..., description="被否定的事实")
    fact_reason: str = Field(..., description="否定理由")
    explanation: str = Field(..., description="不计该事实重新计算的结果")
    amount_yuan: YuanOut = Field(..., description="应追回金额（元；尚未表彰的为 0）")
    status: str = Field(..., description="状态代码：proposed 建议追回，confirmed 确认追回，dismissed 不予追回")
    status_display: str = Field(..., description="状态")
    note: str = Field(..., description="确认意见")
    confirmed_by: str | None = Field(None, description="确认人")
    confirmed_at: dt.datetime | None = Field(None, description="确认时间")
    recovered_amount_yuan: YuanOut | None = Field(None, description="已追回金额（元）")
    recovered_on: dt.date | None = Field(None, description="追回日期")
    receipt_no: str = Field(..., description="收款凭证号")
    referral_on: dt.date | None = Field(None, description="移送纪委监委日期")
    referral_doc_no: str = Field(..., description="移送文号")
    proposed_at: dt.datetime = Field(..., description="提出时间")


class ClawbackQuery(Schema):
    year: int | None = Field(None, **YEAR, description="奖项目录年度")
    status: ClawbackStatus | None = Field(None, description="状态：proposed 建议追回，confirmed 确认追回，"
                                                            "dismissed 不予追回")


class NominationDetailOut(NominationOut):
    basis: str = Field(..., description="提名依据")
    status_reason: str = Field(..., description="状态说明")
    reviews: list[ReviewOut] = Field(..., description="三方审核：招商办、考核办、审计局各一条（待审核的意见为 null）")
    may_review: list[str] = Field(..., description="当前账号现在可登记意见的审核单位代码（不可登记时为空）")
    notice: NoticeOut | None = Field(None, description="公示；未进入公示为 null")
    decision: DecisionOut | None = Field(None, description="领导小组表彰决定；未决定为 null")
    objections: list[ObjectionOut] = Field(..., description="公示异议")
    clawbacks: list[ClawbackOut] = Field(..., description="追回记录")
    timeline: list[EventOut] = Field(..., description="全过程记录（按时间）：提名、审核、公示、异议、决定、追回")


# ---- review ---------------------------------------------------------------------------------------------------


class ReviewIn(InputSchema):
    office: ReviewOffice = Field(..., description="审核单位：investment 招商办，assessment 考核办，audit 审计局"
                                                  "（审计局账号只能登记 audit；考核办可代为登记三方书面意见）")
    verdict: Verdict = Field(..., description="意见：approve 同意，object 有异议")
    reason: str = Field("", max_length=2000, description="理由（有异议时必填）")


class ReviewRecordedOut(ReviewOut):
    nomination: NominationRef = Field(..., description="提名及其登记后的状态（三方均同意后为“审核通过”）")
