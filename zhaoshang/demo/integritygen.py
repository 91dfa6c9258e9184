"""The demo city's integrity picture (疑点): a few projects planted in last year's ledger that the checks
are there to catch, a 工商登记 extract from 市场监管 for the registry check, the scan, and two flags an assessor
has already decided — so that /integrity/flags/ shows each kind of flag, open and resolved, as a city
sees them before its annual assessment.

Planted in last year (so that every date has passed and the year-end deadline is near or past):

- the same investor filed by two units: 中牟县 and 经济技术开发区 with the same USCC; 新郑市 and 管城回族区 with
  “郑州宇通客车股份有限公司” and “宇通客车有限公司” (no USCC) — both open, so both projects count for nobody;
- the same investor filed by 驻深圳招商局 and 高新区, already 确认重复 by the city assessor for 高新区;
- a year-end signing with nothing after it (年末突击签约), an existing company re-filed as new (老企业新报), a
  project reported as registered here whose company is registered in 苏州 (异地注册);
- in the registry extract: one company 注销, one renamed (名称不一致, 排除 by the assessor with the reason);
  the “宇通客车有限公司” filing is not found in it (查无此企业).

Everything else in the generated ledger is consistent (see `generator`: projects registered here carry a
local company's USCC, a repeat investor's next project is another size), so the scan finds little besides.
Like the generator, the planted projects are written in bulk as an old system's checked ledger (已认定 on
their own dates, so that only the flags keep them from counting); the registry import, the scan and the
resolutions go through the integrity services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.core.uscc import check_character
from zhaoshang.integrity.models import Flag, FlagKind, FlagStatus, Resolution
from zhaoshang.integrity.services.flags import flag_resolve, flags_scan_years
from zhaoshang.integrity.services.registry import registry_import
from zhaoshang.ledger.choices import STAGE_DATE_FIELD, STAGE_VERIFIED_FIELD, Stage, Status, Verification
from zhaoshang.ledger.models import Project, StageRecord
from zhaoshang.orgs.models import Person, Unit, User

from . import vocab

NOTE = "批量导入"
REGISTRY_FILE = "市场监管局企业登记信息（演示）.csv"
RENAMED_TO = "河南智云数字科技集团有限公司"
CONFIRMED_REASON = "经核实为同一项目：驻深圳招商局引荐、高新区落地实施，按落地单位计入"
EXCLUDED_REASON = "经核查，企业已更名为“河南智云数字科技集团有限公司”，统一社会信用代码未变，属同一企业，不是问题"


def _uscc(body: str) -> str:
    assert len(body) == 17, body
    return body + check_character(body)


@dataclass(frozen=True)
class Case:
    key: str
    unit: str  # unit code
    name: str
    investor: str
    uscc: str
    origin: str
    amount: int  # 万元
    signed: tuple[int, int]  # (month, day) of last year
    registered: tuple[int, int, int] | None = None  # (years before last year, month, day)
    industry: str = "装备制造"
    chain: str = "智能装备"
    status: str = Status.ADVANCING
    status_reason: str = ""


RUINENG = _uscc("91410122MA9GB7RN2")
YUTONG = _uscc("91410100MA44YT0C7")
HUAXIAN = _uscc("91440300MA5FHX6P3")
CASES = [
    # The same investor, the same USCC, in 中牟县 and 经济技术开发区 (open).
    Case("same_uscc_a", "ZM01", "瑞能动力电池生产基地项目", "郑州瑞能新能源电池有限公司", RUINENG, "本地",
         36500, (5, 9), industry="新能源", chain="新能源汽车"),
    Case("same_uscc_b", "JK01", "年产10GWh瑞能动力电池项目", "郑州瑞能新能源电池有限公司", RUINENG, "本地",
         38000, (3, 18), registered=(0, 6, 2), industry="新能源", chain="新能源汽车"),
    # The same investor under two names, one without its USCC, in 新郑市 and 管城回族区 (open).
    Case("same_name_a", "XZ01", "宇通新能源客车扩能项目", "郑州宇通客车股份有限公司", YUTONG, "本地",
         128000, (6, 12), chain="汽车及零部件"),
    Case("same_name_b", "GC01", "宇通客车零部件配套产业园项目", "宇通客车有限公司", "", "本地",
         120000, (8, 26), chain="汽车及零部件"),
    # The same investor in 驻深圳招商局 and 高新区: 确认重复, kept by 高新区.
    Case("confirmed_a", "SZ01", "华显新型显示模组项目", "深圳市华显光电科技有限公司", HUAXIAN, "深圳",
         56000, (4, 8), industry="电子信息", chain="新型显示"),
    Case("confirmed_b", "GX01", "华显光电显示模组生产基地项目", "深圳市华显光电科技有限公司", HUAXIAN, "深圳",
         60000, (4, 22), industry="电子信息", chain="新型显示"),
    # 年末突击签约: signed on 28 December, no fund and no registration since.
    Case("year_end", "HJ01", "擎宇智能网联汽车零部件总部项目", "上海市擎宇汽车科技有限公司",
         _uscc("91310115MA1KQY8T4"), "上海", 150000, (12, 28), chain="汽车及零部件"),
    # 老企业新报: a company registered three years before the signing, filed as a new project.
    Case("refiled", "XY01", "华冠耐火材料扩能技改项目", "荥阳市华冠耐火材料有限公司",
         _uscc("91410182MA40HG3K1"), "本地", 18000, (9, 10), registered=(3, 4, 16), industry="新材料",
         chain="绿色建材"),
    # 异地注册: reported as registered here, but the company's USCC was issued in 苏州.
    Case("elsewhere", "SJ01", "精工数控机床生产基地项目", "苏州市精工智能装备有限公司",
         _uscc("91320505MA1W4JG86"), "苏州", 26000, (2, 20), registered=(0, 5, 6)),
    # 工商登记: a company since 注销 (the project stalled), and one renamed since it was filed.
    Case("cancelled", "EQ01", "鼎盛冷链仓储物流项目", "郑州鼎盛冷链物流有限公司",
         _uscc("91410103MA45DL2N9"), "本地", 9800, (7, 15), industry="现代物流", chain="冷链物流",
         status=Status.STALLED, status_reason="资金链紧张，暂缓建设"),
    Case("renamed", "JS01", "智云算力中心项目", "河南智云数据科技有限公司",
         _uscc("91410105MA46CY7D0"), "本地", 42000, (3, 30), registered=(0, 6, 18), industry="数字经济",
         chain="数据中心"),
]
CANCELLED = "cancelled"
RENAMED = "renamed"
NOT_IN_REGISTRY = "same_name_b"


def planted_year(today: dt.date) -> int:
    return today.year - 1


def plant_cases(*, today: dt.date) -> dict[str, Project]:
    """Write the planted projects into last year's ledger, their filings 已认定 by the city assessor on their
    own dates (after the verification mix, so that they count unless a flag says otherwise); returns them
    by key. A case whose unit is not in the city is left out."""
    year = planted_year(today)
    assessor = User.objects.filter(username="assessor").first()
    units = {u.code: u for u in Unit.objects.filter(code__in={c.unit for c in CASES})}
    introducers: dict[int, Person] = {}
    for person in Person.objects.filter(unit__in=units.values()).order_by("-staff_no"):
        introducers[person.unit_id] = person  # the unit's first person
    last = Project.objects.filter(code__startswith=f"XM{year}").order_by("-code").values_list("code", flat=True).first()
    seq = int(last[len(f"XM{year}"):]) if last and last[len(f"XM{year}"):].isdigit() else 0
    out: dict[str, Project] = {}
    for case in CASES:
        unit = units.get(case.unit)
        if unit is None:
            continue
        seq += 1
        signed_on = dt.date(year, *case.signed)
        registered_on = None
        if case.registered:
            back, month, day = case.registered
            registered_on = dt.date(year - back, month, day)
        amount = Decimal(case.amount).quantize(Decimal("0.0001"))
        p = Project(
            code=f"XM{year}{seq:06d}", name=case.name, investor=case.investor, investor_uscc=case.uscc,
            investor_origin=case.origin, industry=case.industry, industry_chain=case.chain,
            category=vocab.INDUSTRIES[case.industry][0], planned_investment=amount * Decimal("1.2"),
            signed_amount=amount, signed_on=signed_on, registered_on=registered_on, lead_unit=unit,
            introducer=introducers.get(unit.pk), status=case.status, status_reason=case.status_reason,
        )
        for stage, field in STAGE_DATE_FIELD.items():
            setattr(p, STAGE_VERIFIED_FIELD[stage], getattr(p, field))
        p.refresh_stage()
        out[case.key] = p
    Project.objects.bulk_create(out.values())
    records = []
    for p in out.values():
        for stage in (Stage.SIGNED, Stage.REGISTERED):
            day = getattr(p, STAGE_DATE_FIELD[stage])
            if day is not None:
                records.append(StageRecord(project=p, stage=stage, date=day, note=NOTE,
                                           verification=Verification.VERIFIED, verified_on=day,
                                           verified_by=assessor, reviewed_by=assessor))
    StageRecord.objects.bulk_create(records)
    return out


# ---- the registry extract -----------------------------------------------------------------------------------------

_AUTHORITY = {code: f"郑州市{name}市场监督管理局" for name, code in vocab.LOCAL_DIVISIONS.items()}
_AUTHORITY.update({"410100": "郑州市市场监督管理局", "410172": "郑州高新技术产业开发区市场监督管理局",
                   "410173": "郑州经济技术开发区市场监督管理局"})
for _origin, _code in vocab.ORIGINS:
    _AUTHORITY.setdefault(_code, f"{_origin}市市场监督管理局")


def _authority(uscc: str) -> str:
    code = uscc[2:8]
    return _AUTHORITY.get(code) or _AUTHORITY.get(code[:4] + "00") or "市场监督管理局"


def registry_extract(*, seed: int, planted: dict[str, Project]) -> bytes:
    """A CSV extract as 市场监管 sends it: every investor of the ledger, by USCC (and, for the few filed
    without one, by name with the USCC the registry holds), founded before its first signing and 存续 —
    but for the planted ones: one 注销, one renamed, and one filing that is not a registered name."""
    rng = random.Random(f"zhaoshang:{seed}:registry")
    missing = planted.get(NOT_IN_REGISTRY)
    companies: dict[str, dict] = {}  # USCC, or "name:" + the name for an investor without one
    rows = Project.objects.exclude(investor="").order_by("id").values_list(
        "id", "investor", "investor_uscc", "signed_on", "registered_on", "signed_amount")
    for pid, investor, uscc, signed_on, registered_on, amount in rows:
        if missing is not None and pid == missing.pk:
            continue
        key = uscc or f"name:{investor}"
        first = min(d for d in (signed_on, registered_on) if d) if (signed_on or registered_on) else None
        row = companies.setdefault(key, {"name": investor, "uscc": uscc, "first": first, "amount": amount})
        if first and (row["first"] is None or first < row["first"]):
            row["first"] = first
    cancelled = planted.get(CANCELLED)
    renamed = planted.get(RENAMED)
    refiled = planted.get("refiled")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["企业名称", "统一社会信用代码", "成立日期", "登记机关", "注册资本", "登记状态"])
    used = {k for k in companies if not k.startswith("name:")}
    for row in companies.values():
        uscc = row["uscc"]
        if not uscc:  # filed without its USCC: the registry has one
            while not uscc or uscc in used:
                body = "91" + rng.choice(("410100", "410105", "410122")) + "".join(
                    rng.choice("0123456789") for _ in range(9))
                uscc = body + check_character(body)
            used.add(uscc)
        first = row["first"] or dt.date(2020, 1, 1)
        founded = first - dt.timedelta(days=rng.randint(60, 3650))
        if refiled is not None and uscc == refiled.investor_uscc:
            founded = refiled.registered_on
        status = "注销" if cancelled is not None and uscc == cancelled.investor_uscc else rng.choice(
            ("存续", "存续", "存续", "在业"))
        name = RENAMED_TO if renamed is not None and uscc == renamed.investor_uscc else row["name"]
        capital = max(100, int(row["amount"] or 0) // rng.choice((5, 10, 20)) // 100 * 100)
        writer.writerow([name, uscc, founded.isoformat(), _authority(uscc), f"{capital}万元人民币", status])
    return out.getvalue().encode("utf-8-sig")


# ---- scan and resolutions -----------------------------------------------------------------------------------------


def _flag_of(kind: str, project: Project | None) -> Flag | None:
    if project is None:
        return None
    return Flag.objects.filter(kind=kind, rows__project=project, status=FlagStatus.OPEN).first()


def apply_integrity(*, seed: int, years, planted: dict[str, Project]) -> Counter:
    """Import the registry extract, scan the demo's years and resolve two flags as the city assessor;
    returns counts for the command's report."""
    assessor = User.objects.filter(username="assessor").first()
    counts: Counter = Counter()
    batch = registry_import(content=registry_extract(seed=seed, planted=planted), file_name=REGISTRY_FILE,
                            user=assessor)
    counts["工商登记信息"] = batch.row_count
    flags_scan_years(years=years)
    if assessor is not None:
        pair = _flag_of(FlagKind.SAME_INVESTOR, planted.get("confirmed_b"))
        if pair is not None:
            flag_resolve(user=assessor, flag=pair, resolution=Resolution.CONFIRMED, kept_project=planted["confirmed_b"],
                         reason=CONFIRMED_REASON)
        renamed = _flag_of(FlagKind.REGISTRY_NAME, planted.get(RENAMED))
        if renamed is not None:
            flag_resolve(user=assessor, flag=renamed, resolution=Resolution.EXCLUDED, reason=EXCLUDED_REASON)
    counts["疑点（待处理）"] = Flag.objects.filter(status=FlagStatus.OPEN).count()
    counts["疑点（已处理）"] = Flag.objects.filter(status=FlagStatus.RESOLVED).count()
    return counts
