"""The standard exchange workbook (标准数据交换工作簿) as data: sheets, columns, keys.

This module is the contract of issue 3. The template, the reader, the importer, the exporter and the
填表说明 sheet are all driven from it, so a column is described once. Headers are Chinese; English
aliases are accepted on import. Column `kind` names the parser in `parsing.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from zhaoshang.activities.choices import EventLevel, RecommendTarget
from zhaoshang.ledger.choices import UNCLASSIFIED_LABEL, BuildKind, CreditRole, FundKind, Status, section_names
from zhaoshang.orgs.choices import PersonRole, UnitKind

# Column kinds: text, code (identifier: NFKC, no inner spaces), int, year, decimal, ratio, date, bool,
# choice (a TextChoices label), period (YYYY-MM), section (a GB/T 4754-2017 行业门类: code, name or 待归类).


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: type[models.TextChoices] | None = None
    ref: str = ""  # "unit", "person", "project", "event": a code that must exist in the file or the database
    help: str = ""
    width: int = 14

    @property
    def title(self) -> str:
        """The header as written in the template: required columns end with *."""
        return f"{self.header}*" if self.required else self.header

    @property
    def choice_labels(self) -> list[str]:
        if self.kind == "bool":
            return ["是", "否"]
        if self.kind == "section":
            return [*section_names().values(), UNCLASSIFIED_LABEL]
        return [str(label) for label in self.choices.labels] if self.choices else []


@dataclass(frozen=True)
class Sheet:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    help: str = ""
    by_key: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({c.key: c for c in self.columns})

    def column(self, key: str) -> Column:
        return self.by_key[key]

    def key_headers(self) -> str:
        return "、".join(self.by_key[k].header for k in self.key)


C = Column
SECTION_HELP = ("行业门类（GB/T 4754-2017门类）：填门类代码（如 C）或名称（如 制造业、房地产业），"
                "留空或填“待归类”为待归类；旧表的“制造业”计为C，“农业”计为A，“服务业”“其他”计为待归类")
UNIT = C("单位编码", "unit", "code", True, ("unit_code", "unit"), ref="unit", help="单位编码，须已存在或在“单位”表中")

SHEETS: tuple[Sheet, ...] = (
    Sheet("单位", ("code",), (
        C("单位编码", "code", "code", True, ("unit_code", "code"), help="唯一编码，其他表以此引用单位"),
        C("单位名称", "name", "text", True, ("unit_name", "name"), width=22),
        C("单位类型", "kind", "choice", True, ("kind", "unit_kind"), choices=UnitKind),
        C("考核组别", "group", "text", False, ("group",), help="考核组别名称；不存在时自动新建"),
        C("上级单位编码", "parent", "code", False, ("parent_code", "parent"), ref="unit"),
    ), ("units",), "单位名录。只有系统管理员和考核办可以新增或修改单位。"),
    Sheet("分组", ("unit", "grouping"), (
        UNIT,
        C("分组口径", "grouping", "text", True, ("grouping",), width=18,
          help="考核方案采用的分组口径名称，如“莱芜竞赛口径”；不存在时自动新建"),
        C("组别", "group", "text", True, ("group",), help="该单位在此口径下的考核组别名称；不存在时自动新建"),
    ), ("groupings", "group_memberships"),
        "单位在各分组口径下的考核组别：同一单位在不同考核中可属于不同组别。一行替换该单位在该口径下的组别；"
        "未列入某口径的单位，按“单位”表的考核组别参加该口径的考核。只有系统管理员和考核办可以导入。"),
    Sheet("人员", ("staff_no",), (
        C("工号", "staff_no", "code", True, ("staff_no",), help="唯一工号，其他表以此引用人员"),
        C("姓名", "name", "text", True, ("name",)),
        UNIT,
        C("职务", "title", "text", False, ("title",), width=18),
        C("角色", "role", "choice", False, ("role",), choices=PersonRole, help="留空为“工作人员”"),
    ), ("people", "persons"), "单位的干部和工作人员（带队领导、引资人、帮办秘书、驻点人员）。"),
    Sheet("项目", ("code",), (
        C("项目编号", "code", "code", True, ("project_code", "code"), help="唯一编号，其他表以此引用项目"),
        C("项目名称", "name", "text", True, ("project_name", "name"), width=26),
        C("投资方", "investor", "text", True, ("investor",), width=24),
        C("统一社会信用代码", "investor_uscc", "code", False, ("uscc", "investor_uscc"), width=22,
          help="18位，校验位按GB 32100-2015核对"),
        C("投资方来源地", "investor_origin", "text", False, ("investor_origin", "origin")),
        C("所属产业", "industry", "text", False, ("industry",)),
        C("产业链", "industry_chain", "text", False, ("industry_chain",)),
        # The header keeps its old name, so workbooks made before the sections still import.
        C("项目类别", "category", "section", False, ("category", "行业门类"), width=18, help=SECTION_HELP),
        C("是否四力型", "is_four_power", "bool", False, ("is_four_power",), help="是/否，留空为否"),
        C("是否外资", "is_foreign", "bool", False, ("is_foreign",), help="是/否，留空为否"),
        C("外资金额(万美元)", "foreign_amount", "decimal", False, ("foreign_amount",),
          help="万美元，不能为负；仅外资项目填写"),
        C("计划总投资(万元)", "planned_investment", "decimal", False, ("planned_investment",), help="万元，不能为负"),
        C("签约金额(万元)", "signed_amount", "decimal", True, ("signed_amount",), help="万元，不能为负"),
        C("签约日期", "signed_on", "date", False, ("signed_on",), help="不能晚于今天"),
        C("签约活动编号", "signed_at_event", "code", False, ("event_code", "signed_at_event"), ref="event"),
        C("注册日期", "registered_on", "date", False, ("registered_on",),
          help="阶段日期须按注册≤开工≤竣工≤投产，且不晚于今天"),
        C("开工日期", "started_on", "date", False, ("started_on",)),
        C("竣工日期", "completed_on", "date", False, ("completed_on",)),
        C("投产日期", "producing_on", "date", False, ("producing_on",)),
        C("项目状态", "status", "choice", False, ("status",), choices=Status, help="留空为“在谈”"),
        C("状态原因", "status_reason", "text", False, ("status_reason",), width=20,
          help="状态为停滞、终止或流失时必填"),
        C("引资单位编码", "lead_unit", "code", True, ("lead_unit_code", "lead_unit"), ref="unit"),
        C("引资人工号", "introducer", "code", False, ("introducer_staff_no", "introducer"), ref="person"),
        C("帮办单位编码", "assisting_unit", "code", False, ("assisting_unit_code", "assisting_unit"), ref="unit"),
        C("帮办秘书工号", "assisting_secretary", "code", False, ("assisting_secretary_staff_no", "assisting_secretary"),
          ref="person"),
        C("建设性质", "build_kind", "choice", False, ("build_kind",), choices=BuildKind, help="新建/扩建/续建，可留空"),
        C("投资方标签", "investor_tags", "tags", False, ("investor_tags", "tags"), width=20,
          help="世界500强、中国500强、上市、行业龙头、专精特新、高新技术企业，多个用顿号分隔"),
    ), ("projects",), "招商项目台账。阶段日期随项目录入时自动生成阶段备案。"),
    Sheet("项目共享", ("project", "unit"), (
        C("项目编号", "project", "code", True, ("project_code", "project"), ref="project"),
        UNIT,
        C("比例", "ratio", "ratio", True, ("ratio", "share"),
          help="0到1之间的小数或百分数；同一项目各单位比例之和须为1"),
        C("税收分成比例", "tax_ratio", "ratio", False, ("tax_ratio",),
          help="投产后税收另行约定分成时填写，留空同共享比例；填写时同一项目各单位税收分成之和须为1"),
    ), ("shares",), "共享项目的单位比例。文件中出现的项目，其共享比例以文件为准整体替换。"),
    Sheet("个人分成", ("project", "role", "person"), (
        C("项目编号", "project", "code", True, ("project_code", "project"), ref="project"),
        C("角色", "role", "choice", True, ("role",), choices=CreditRole, help="引资人或帮办秘书"),
        C("人员工号", "person", "code", True, ("staff_no", "person"), ref="person"),
        C("比例", "ratio", "ratio", True, ("ratio",), help="0到1之间的小数或百分数；同一项目同一角色各人比例之和须为1"),
    ), ("credits",), "个人分成：多人共同引进或帮办的项目，按角色在人员之间分配的比例。文件中出现的项目和角色，"
       "其分成以文件为准整体替换。"),
    Sheet("到位资金", ("project", "date", "amount", "kind"), (
        C("项目编号", "project", "code", True, ("project_code", "project"), ref="project"),
        C("到位日期", "date", "date", True, ("date",), help="不能晚于今天"),
        C("金额(万元)", "amount", "decimal", True, ("amount",), help="万元，必须大于0"),
        C("资金类型", "kind", "choice", True, ("kind",), choices=FundKind),
    ), ("funds", "fund_arrivals"), "实际到位资金。以项目编号、到位日期、金额、资金类型识别一条记录。"),
    Sheet("产出", ("project", "year"), (
        C("项目编号", "project", "code", True, ("project_code", "project"), ref="project"),
        C("年度", "year", "year", True, ("year",), help="投产当年起至今年"),
        C("产值(万元)", "output_value", "decimal", False, ("output_value",), help="万元，不能为负"),
        C("税收(万元)", "tax", "decimal", False, ("tax",), help="万元，不能为负；产值、税收、用工、用地至少填一项"),
        C("用工人数", "employees", "int", False, ("employees",)),
        C("用地(亩)", "land_mu", "decimal", False, ("land_mu",), help="亩，不能为负"),
        C("说明", "note", "text", False, ("note",), width=24),
    ), ("yields",), "产出质效：投产项目每年的产值、税收、用工和用地，一个项目每年一行。修改已认定的记录将退回待核实。"),
    Sheet("走访", ("date", "unit", "leader", "enterprise"), (
        C("日期", "date", "date", True, ("date",)),
        UNIT,
        C("带队领导工号", "leader", "code", True, ("leader_staff_no", "leader"), ref="person"),
        C("企业名称", "enterprise", "text", True, ("enterprise",), width=24),
        C("企业行业门类", "industry", "section", False, ("industry",), width=18,
          help="被走访企业的GB/T 4754-2017行业门类：填门类代码（如 C）或名称（如 制造业）；留空为待归类"),
        C("事项", "matter", "text", False, ("matter",), width=30),
    ), ("visits",), "领导带队走访对接企业。"),
    Sheet("推荐考察", ("date", "unit", "enterprise", "target"), (
        C("日期", "date", "date", True, ("date",)),
        UNIT,
        C("项目编号", "project", "code", False, ("project_code", "project"), ref="project"),
        C("企业名称", "enterprise", "text", True, ("enterprise",), width=24),
        C("推荐对象", "target", "choice", True, ("target",), choices=RecommendTarget),
    ), ("recommendations",), "推荐市领导考察的项目或企业。"),
    Sheet("招商活动", ("code",), (
        C("活动编号", "code", "code", True, ("event_code", "code"), help="唯一编号，项目表以此引用"),
        C("日期", "date", "date", True, ("date",)),
        C("名称", "name", "text", True, ("name",), width=26),
        C("级别", "level", "choice", True, ("level",), choices=EventLevel),
        C("主办单位编码", "host_unit", "code", False, ("host_unit_code", "host_unit"), ref="unit"),
        C("市领导参加", "city_leaders_present", "text", False, ("city_leaders_present",), width=20),
    ), ("events",), "招商推介会、论坛、签约仪式等活动。"),
    Sheet("报送", ("unit", "period"), (
        UNIT,
        C("报送期间", "period", "period", True, ("period",), help="YYYY-MM，如 2024-03"),
        C("截止日期", "due_date", "date", True, ("due_date",)),
        C("报送日期", "submitted_on", "date", False, ("submitted_on", "submitted_at"), help="留空表示未报送"),
    ), ("submissions",), "每月台账报送记录。"),
    Sheet("目标", ("unit", "year", "indicator"), (
        UNIT,
        C("年度", "year", "year", True, ("year",)),
        C("指标", "indicator", "text", True, ("indicator",), width=18),
        C("目标值", "value", "decimal", True, ("value", "target")),
    ), ("targets",), "年度目标。考核办下达；单位可向下级单位分解。"),
    Sheet("考核调整", ("unit", "person", "year", "item"), (
        C("单位编码", "unit", "code", False, ("unit_code", "unit"), ref="unit", help="单位编码与工号二选一"),
        C("工号", "person", "code", False, ("staff_no", "person"), ref="person", help="单位编码与工号二选一"),
        C("年度", "year", "year", True, ("year",)),
        C("事项", "item", "text", True, ("item",), width=20),
        C("分值", "points", "decimal", True, ("points",), help="加分为正，扣分为负"),
        C("理由", "reason", "text", True, ("reason",), width=30),
    ), ("adjustments",), "考核加减分，仅考核办可以导入。"),
    Sheet("出勤", ("person", "date"), (
        C("工号", "person", "code", True, ("staff_no", "person"), ref="person"),
        C("日期", "date", "date", True, ("date",)),
        C("是否驻点", "on_station", "bool", True, ("on_station",), help="是/否"),
    ), ("attendance",), "驻点人员出勤。"),
)

SHEET_BY_NAME = {s.name: s for s in SHEETS}
# Rows refer to rows of earlier sheets, so sheets are processed in this order.
PROCESS_ORDER = (
    "单位", "分组", "人员", "招商活动", "项目", "项目共享", "个人分成", "到位资金", "产出", "走访", "推荐考察", "报送",
    "目标", "考核调整", "出勤",
)
INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "_lists"
KIND_LABELS = {
    "text": "文本", "code": "编码", "int": "整数", "year": "年份（如2024）", "decimal": "数字",
    "ratio": "比例（0–1或百分数）", "date": "日期", "bool": "是/否", "choice": "下拉选择", "period": "期间（YYYY-MM）",
    "section": "行业门类（代码或名称）",
    "tags": "标签（多个用顿号分隔）",
}
