"""Industry chains for the demo city (issue 14): one chain per industry its 产业专班 work on, with segments
(上游/中游/下游), 堵点/断点/痛点/难点, the 四个一 of each task force, target enterprises (some converted into
the ledger's projects), investor tags and build kinds on the projects (bulk update), and the 调度会 and
产业链例会 of the last months with their action items — one period left without a meeting and some items
overdue, so the reminders and the cockpit's red flags have something to say.

Deterministic for a seed (its own random stream); written in bulk, creation history rows added in bulk."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict

from zhaoshang.chains.meetings import cadence_periods
from zhaoshang.chains.models import (
    ActionItem,
    Cadence,
    ChainProjectLink,
    ChainSegment,
    ContactStatus,
    GapKind,
    IndustryChain,
    Meeting,
    MeetingKind,
    MeetingReport,
    MeetingSeries,
    Position,
    SegmentGap,
    TargetEnterprise,
    TaskForce,
)
from zhaoshang.core.uscc import check_character
from zhaoshang.ledger.choices import BuildKind, InvestorTag, section_label, tags_to_field
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.models import Person, Unit

from . import vocab

BATCH = 500
MAX_CHAINS = 10
REASON = "演示数据导入"
# The upstream and downstream of each chain, as its task force would write them; the midstream is the
# chain's products in the vocabulary (what the demo projects make).
UPSTREAM = {
    "新能源汽车": ["正负极材料", "电池隔膜与电解液"], "光伏": ["多晶硅", "光伏玻璃"], "储能": ["电芯材料"],
    "智能装备": ["伺服电机与减速器", "数控系统"], "农机装备": ["铸锻件"], "汽车及零部件": ["汽车钢材", "模具"],
    "新型显示": ["玻璃基板", "驱动芯片"], "半导体": ["硅片", "电子特气"], "智能终端": ["电子元器件"],
    "创新药": ["原料药", "中药材种植"], "医疗器械": ["精密零部件"], "纺织服装": ["棉花与化纤", "印染"],
}
DOWNSTREAM = {
    "新能源汽车": ["整车制造", "充换电服务"], "光伏": ["电站运维"], "储能": ["电网调峰服务"],
    "智能装备": ["系统集成"], "新型显示": ["消费电子整机"], "半导体": ["汽车电子应用"],
    "创新药": ["医药流通"], "医疗器械": ["医疗机构采购"], "纺织服装": ["品牌零售"],
}
GAPS = [
    (GapKind.BREAK, "本地缺少该环节企业，配套需从外地采购"),
    (GapKind.BLOCKAGE, "用地指标紧张，项目落地周期长"),
    (GapKind.PAIN, "专业技术工人短缺"),
    (GapKind.DIFFICULTY, "龙头企业总部决策链长，对接难度大"),
]
TAG_RATES = [(InvestorTag.FORTUNE_500, 0.06), (InvestorTag.CHINA_500, 0.09), (InvestorTag.LISTED, 0.15),
             (InvestorTag.LEADER, 0.10), (InvestorTag.SPECIALISED, 0.08), (InvestorTag.HIGH_TECH, 0.14)]
BUILD_KINDS = [(BuildKind.NEW, 0.5), (BuildKind.EXPANSION, 0.25), (BuildKind.CONTINUED, 0.2), ("", 0.05)]
TARGET_SUFFIXES = ("科技股份有限公司", "集团有限公司", "股份有限公司", "（中国）有限公司")
REGIONS = ("广东深圳", "江苏苏州", "浙江杭州", "上海", "北京", "福建宁德", "安徽合肥", "山东青岛", "湖北武汉",
           "四川成都")


def _uscc(rng: random.Random) -> str:
    first17 = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return first17 + check_character(first17)


def _pick(rng: random.Random, weighted):
    r, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if r < acc:
            return value
    return weighted[-1][0]


def tag_projects(rng: random.Random) -> int:
    """投资方标签 and 建设性质 on every demo project, grouped into one UPDATE per combination."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk in Project.objects.order_by("pk").values_list("pk", flat=True):
        tags = [tag for tag, rate in TAG_RATES if rng.random() < rate]
        groups[(_pick(rng, BUILD_KINDS), tags_to_field(tags))].append(pk)
    for (kind, tags), ids in groups.items():
        for i in range(0, len(ids), BATCH):
            Project.objects.filter(pk__in=ids[i:i + BATCH]).update(build_kind=kind, investor_tags=tags)
    return sum(len(ids) for ids in groups.values())


def _leader() -> Person | None:
    """A city leader to head the task forces: a department's head or division leader, else anyone."""
    return (Person.objects.filter(unit__kind=UnitKind.DEPARTMENT, role__in=[PersonRole.PARTY_GOV_HEAD,
                                                                           PersonRole.DIVISION_LEADER])
            .order_by("staff_no").first() or Person.objects.order_by("staff_no").first())


def write_chains(rng: random.Random, today: dt.date) -> dict[str, int]:
    forces = list(Unit.objects.filter(kind=UnitKind.TASK_FORCE).order_by("code"))
    offices = list(Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE).order_by("code"))
    leaders = list(Person.objects.filter(unit__kind=UnitKind.DEPARTMENT).order_by("staff_no")[:20]) or [_leader()]
    # The chains the task forces and the offices name in their 主攻产业 (the demo city's task forces name
    # chains: 新能源汽车、动力电池、储能); each task force leads the first chain it names.
    industry_of = {c: ind for ind, (_, chains) in vocab.INDUSTRIES.items() for c in chains}
    names: list[str] = []
    force_of: dict[str, Unit] = {}
    for unit in [*forces, *offices]:
        for word in re.split(r"[、，,]", unit.focus_industries):
            if word in industry_of and word not in names and len(names) < MAX_CHAINS:
                names.append(word)
                if unit.kind == UnitKind.TASK_FORCE and unit not in force_of.values():
                    force_of[word] = unit
    plan = [(force_of.get(name), industry_of[name], name) for name in names]
    counts = defaultdict(int)
    targets, links = [], []
    used_projects: set[int] = set()
    for order, (force, industry, name) in enumerate(plan):
        section, chains = vocab.INDUSTRIES[industry]
        chain = IndustryChain.objects.create(
            name=name, sections=str(section), order=order,
            classes=f"{section} {section_label(section)}",
            description=f"{name}产业链是本市重点培育的{industry}产业方向，围绕龙头企业延链补链强链，推动全链招商、集群招商。",
            local_base=f"全市现有{name}相关规模以上企业{rng.randint(8, 40)}家，已形成一定配套基础；"
                       f"重点园区可提供标准厂房{rng.randint(5, 30)}万平方米。",
            policies="1. 固定资产投资补助：按设备投资额的5%给予补助，最高1000万元；\n"
                     "2. 用地保障：优先保障重点产业链项目用地指标；\n3. 人才奖励：引进的高层次人才给予安家补贴。",
        )
        focusing = [o for o in offices if name in o.focus_industries or industry in o.focus_industries]
        chain.offices.set(focusing)
        segments = []
        for i, seg_name in enumerate(UPSTREAM.get(name, ["原材料与关键零部件"])):
            segments.append(ChainSegment(chain=chain, position=Position.UPSTREAM, name=seg_name, order=i))
        for i, (product, _) in enumerate(chains[name]):
            segments.append(ChainSegment(chain=chain, position=Position.MIDSTREAM, name=product, order=10 + i,
                                         local_enterprises=f"本地{product}企业甲\n本地{product}企业乙"))
        for i, seg_name in enumerate(DOWNSTREAM.get(name, ["应用与市场服务"])):
            segments.append(ChainSegment(chain=chain, position=Position.DOWNSTREAM, name=seg_name, order=20 + i))
        segments = ChainSegment.objects.bulk_create(segments)
        counts["产业链环节"] += len(segments)
        # The upstream is where the demo city's chains break (Bozhou 004: 断点); the rest get one other mark.
        gaps = [SegmentGap(segment=segments[0], kind=GapKind.BREAK, note=GAPS[0][1])]
        for seg in rng.sample(segments[1:], min(2, len(segments) - 1)):
            kind, note = rng.choice(GAPS[1:])
            gaps.append(SegmentGap(segment=seg, kind=kind, note=note))
        SegmentGap.objects.bulk_create(gaps)
        counts["堵点断点"] += len(gaps)
        if force is not None:
            tf = TaskForce.objects.create(chain=chain, unit=force, leader=leaders[order % len(leaders)],
                                          guide_title=f"《{name}产业招商指南》")
            tf.team.set(Person.objects.filter(unit=force).order_by("staff_no")[:4])
        # The chain's projects: midstream by product, the rest in the first midstream segment.
        mid = [s for s in segments if s.position == Position.MIDSTREAM]
        for pk, pname in Project.objects.filter(industry_chain=name).values_list("pk", "name"):
            seg = next((s for s in mid if s.name in pname), mid[0])
            links.append(ChainProjectLink(project_id=pk, segment=seg))
        # Targets: eight a chain, a third converted into one of the chain's signed projects.
        followers = [u for u in (force, *focusing) if u is not None] or offices or forces
        chain_projects = list(Project.objects.filter(industry_chain=name, signed_on__isnull=False)
                              .order_by("pk").values_list("pk", "signed_on", "investor", "investor_tags"))
        for i in range(8):
            seg = rng.choice(segments)
            tags = [tag for tag, rate in TAG_RATES if rng.random() < rate * 3]
            status = _pick(rng, [(ContactStatus.NOT_CONTACTED, 0.2), (ContactStatus.CONTACTED, 0.35),
                                 (ContactStatus.NEGOTIATING, 0.3), (ContactStatus.DROPPED, 0.15)])
            first = None if status == ContactStatus.NOT_CONTACTED else today - dt.timedelta(days=rng.randint(10, 300))
            target = TargetEnterprise(
                name=f"{rng.choice(vocab.BRAND_CHARS)}{rng.choice(vocab.BRAND_CHARS)}{seg.name}"
                     f"{rng.choice(TARGET_SUFFIXES)}",
                uscc=_uscc(rng) if rng.random() < 0.7 else "", segment=seg, tags=tags_to_field(tags),
                region=rng.choice(REGIONS), contact_name=f"{rng.choice('王李张刘陈杨赵黄周吴')}经理",
                contact_phone=f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}", status=status,
                following_unit=followers[i % len(followers)], first_contact_on=first,
                note="已对接企业投资部门，待进一步洽谈" if first else "")
            free = [p for p in chain_projects if p[0] not in used_projects]
            if i % 3 == 0 and free:
                pk, signed_on, investor, ptags = free[0]
                used_projects.add(pk)
                target.name, target.project_id, target.status = investor, pk, ContactStatus.SIGNED
                target.segment = next((lk.segment for lk in links if lk.project_id == pk), seg)
                target.tags = ptags
                target.first_contact_on = signed_on - dt.timedelta(days=rng.randint(15, 150))
            targets.append(target)
    ChainProjectLink.objects.bulk_create(links, batch_size=BATCH)
    TargetEnterprise.objects.bulk_create(targets, batch_size=BATCH)
    TargetEnterprise.history.bulk_history_create(list(TargetEnterprise.objects.all()), batch_size=BATCH,
                                                 default_change_reason=REASON)
    counts["产业链"] = len(plan)
    counts["项目所属环节"] = len(links)
    counts["目标企业"] = len(targets)
    counts["已转化目标企业"] = sum(1 for t in targets if t.project_id)
    return dict(counts)


def write_meetings(rng: random.Random, today: dt.date) -> dict[str, int]:
    """Half-monthly 驻点招商工作调度会 and monthly 产业链例会 of the last three months; the latest half-month
    period has no 调度会 (a missed meeting), and some action items are past their deadline."""
    organiser = (Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("code").first()
                 or Unit.objects.order_by("code").first())
    if organiser is None:
        return {}
    chair = Person.objects.filter(unit=organiser).order_by("staff_no").first()
    attendees = list(Person.objects.filter(unit__kind__in=[UnitKind.RESIDENT_OFFICE, UnitKind.TASK_FORCE])
                     .order_by("staff_no")[:12])
    offices = list(Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE).order_by("code"))
    forces = list(Unit.objects.filter(kind=UnitKind.TASK_FORCE).order_by("code"))
    start = today - dt.timedelta(days=95)
    series = [
        MeetingSeries.objects.create(name="驻点招商工作调度会", kind=MeetingKind.DISPATCH, cadence=Cadence.HALF_MONTH,
                                     organiser=organiser, starts_on=start),
        MeetingSeries.objects.create(name="产业链例会", kind=MeetingKind.CHAIN, cadence=Cadence.MONTH,
                                     organiser=organiser, starts_on=start),
    ]
    chains = list(IndustryChain.objects.order_by("order"))
    n_meetings = n_actions = 0
    for s in series:
        periods = cadence_periods(s.cadence, s.starts_on, today)
        for index, (first, last, label) in enumerate(periods):
            if s.cadence == Cadence.HALF_MONTH and index == 0:
                continue  # the latest half-month passed without a 调度会
            date = min(last, first + dt.timedelta(days=rng.randint(2, max(2, (last - first).days - 1))))
            reporters = offices if s.kind == MeetingKind.DISPATCH else forces
            meeting = Meeting.objects.create(
                series=s, kind=s.kind, title=f"{label}{s.name}", date=date, place="市政府第三会议室",
                organiser=organiser, chair=chair, chain=chains[index % len(chains)] if chains and
                s.kind == MeetingKind.CHAIN else None,
                decisions="1. 各驻点局加强与目标企业对接，力争本月再签约一批项目；\n"
                          "2. 各产业专班梳理产业链断点，形成补链清单。",
            )
            meeting.attendees.set(attendees)
            MeetingReport.objects.bulk_create([
                MeetingReport(meeting=meeting, unit=u, content=f"{u.name}本期走访企业{rng.randint(3, 15)}家，"
                                                                f"新增在谈项目{rng.randint(0, 4)}个。")
                for u in reporters[:6]])
            items = []
            for u in rng.sample(reporters, min(2, len(reporters))):
                deadline = date + dt.timedelta(days=rng.randint(7, 30))
                done = deadline < today and rng.random() < 0.5
                items.append(ActionItem(meeting=meeting, text=f"{u.name}跟进重点目标企业考察行程", owner_unit=u,
                                        deadline=deadline, done=done,
                                        done_on=deadline - dt.timedelta(days=1) if done else None))
            ActionItem.objects.bulk_create(items)
            n_meetings += 1
            n_actions += len(items)
    return {"会议": n_meetings, "督办事项": n_actions}


def write_chain_demo(*, seed: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(f"{seed}-chains")
    out = {"项目标签": tag_projects(rng)}
    out |= write_chains(rng, today)
    out |= write_meetings(rng, today)
    return out
