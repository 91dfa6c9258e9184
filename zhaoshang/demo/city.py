"""The demo city loaded by `zhaoshang demo` into an empty database.

Its units follow the source documents: the four resident offices (驻点招商局) of the Bole plan
(博市政办发〔2023〕19号) with their regions, focus industries, lead leaders and heads; counties, districts and
development zones in the two Zhengzhou groups (重点地区; 市内五区及郑东新区); a few industry task forces
(产业专班, Bozhou), towns under the counties, a platform and six 市直部门. The generator fills in people, ~600
projects over the demo's years and the activities, with a fixed seed so every demo shows the same city.

Every preset scheme gives a ranked result on it (`schemegen`): the units' own groups are Zhengzhou's; the
named groupings (分组口径) 淮阴考核口径 (zones → 平台, departments → 重点/一般招商部门) and 莱芜竞赛口径
(counties, districts, zones → 区及功能区; departments → 市直部门) are Huaiyin's and Laiwu's, and the targets
of their indicators are set near what each unit achieves.

Accounts (password `demo`, see `accounts.DEMO_PASSWORD`): `admin`, `assessor`, `leader`, the district
assessor `qkh` (区考核办 of 中牟县 and its towns), one `unit_staff` per unit named after the unit code in lower
case (`bj01`), and one `unit_head` per county (`zm01-head`).

Verification (核实认定): mostly 已认定, this year's latest filings 待核实 (some 初审通过 in 中牟县), three 退回
and one 不予认定 with their reasons, and evidence files on recent facts (`verificationgen`).

Integrity (疑点): a few projects planted in last year's ledger — the same investor filed by two units, a
year-end signing, an old company filed as new, a company registered elsewhere — a 工商登记 extract with one
注销 and one renamed company, the scan over the demo's years, and two flags already resolved by the city
assessor (`integritygen`). The 异地注册 check needs ZHAOSHANG_CITY_DIVISIONS (4101 in demo mode).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhaoshang.core.periods import today
from zhaoshang.orgs.choices import PersonRole, UnitKind, UserRole
from zhaoshang.orgs.models import Person, Unit, User

from .accounts import DEMO_PASSWORD
from .awardsgen import write_awards
from .chaingen import write_chain_demo
from .citygen import GROUPS, CitySpec, PersonSpec, UnitSpec
from .generator import Summary, generate
from .history import record_creation_history
from .integritygen import apply_integrity, plant_cases
from .officegen import write_office_work
from .peoplegen import write_people
from .schemegen import write_groupings, write_preset_targets
from .verificationgen import DISTRICT_ASSESSOR, DISTRICT_UNIT, apply_verification_mix
from .yieldgen import write_aftercare

DEMO_SEED = 2023


def demo_years() -> tuple[int, ...]:
    """The last three years up to this one: a demo opened today shows this year's work in the
    cockpit and the quotas, not an empty year. (`zhaoshang generate` keeps fixed years instead,
    so that the same arguments always give the same data.)"""
    year = today().year
    return (year - 3, year - 2, year - 1, year)
DEMO_PROJECTS = 600

D, DD = PersonRole.DIVISION_LEADER, PersonRole.DIRECTOR


def _office(code: str, city: str, regions: str, focus: str, leader: str, leader_title: str,
            director: tuple[str, str], deputy: tuple[str, str]) -> UnitSpec:
    return UnitSpec(
        code, f"驻{city}招商局", UnitKind.RESIDENT_OFFICE, "ZX", regions=regions, focus_industries=focus,
        lead_leader=f"{leader}（{leader_title}）",
        people=[
            PersonSpec(leader, D, f"牵头领导（{leader_title}）"),
            PersonSpec(director[0], DD, f"局长（{director[1]}）"),
            PersonSpec(deputy[0], PersonRole.DEPUTY_DIRECTOR, f"副局长（{deputy[1]}）"),
        ],
    )


RESIDENT_OFFICES = [
    _office("BJ01", "北京", "北京、山西、天津、河北（兼顾内蒙古、辽宁、吉林、黑龙江）",
            "总部经济、数字经济、信息技术、装备制造、新能源汽车、新材料、家居建材",
            "黄连军", "市党委常委、常务副市长", ("王金良", "市总工会党组书记、副主席、一级主任科员"),
            ("李杰", "市文旅局三级主任科员")),
    _office("WH01", "武汉", "湖北、湖南、四川、重庆（兼顾河南、云南、贵州、陕西）",
            "石材、汽车及零部件、纺织服装、食品加工、机电、电子信息、化工、绿色建材和装配式建筑、物流仓储、粮油加工",
            "朱红兵", "市党委副书记", ("孙春生", "市农业农村局二级主任科员"), ("杨忠平", "市市场监督管理局一级科员")),
    _office("HZ01", "杭州", "浙江、山东、江苏、安徽、上海",
            "纺织服装、装备制造、钙基新材料、农副产品精深加工",
            "陈蕾", "市人民政府副市长", ("楚中天", "市水利局四级主任科员"), ("傅声远", "市残联四级调研员")),
    _office("SZ01", "深圳", "广东、福建（兼顾广西、江西、海南）",
            "智能制造、新型显示器、灯具及灯饰、石材加工、轻工纺织",
            "阿特尔别克·木拉提汗", "市人民政府副市长", ("刘宏伟", "市供销社党委书记、理事会副主任"),
            ("盛国栋", "市交通局四级调研员")),
]

KEY_AREAS = [  # 重点地区: counties (市), 上街区 and the development zones
    UnitSpec("ZM01", "中牟县", UnitKind.COUNTY, "ZD"),
    UnitSpec("XZ01", "新郑市", UnitKind.COUNTY, "ZD"),
    UnitSpec("XY01", "荥阳市", UnitKind.COUNTY, "ZD"),
    UnitSpec("SJ01", "上街区", UnitKind.DISTRICT, "ZD"),
    UnitSpec("JK01", "经济技术开发区", UnitKind.DEV_ZONE, "ZD"),
    UnitSpec("GX01", "高新技术产业开发区", UnitKind.DEV_ZONE, "ZD"),
]
URBAN_DISTRICTS = [  # 市内五区及郑东新区
    UnitSpec("ZY01", "中原区", UnitKind.DISTRICT, "SN"),
    UnitSpec("EQ01", "二七区", UnitKind.DISTRICT, "SN"),
    UnitSpec("GC01", "管城回族区", UnitKind.DISTRICT, "SN"),
    UnitSpec("JS01", "金水区", UnitKind.DISTRICT, "SN"),
    UnitSpec("HJ01", "惠济区", UnitKind.DISTRICT, "SN"),
    UnitSpec("ZD01", "郑东新区", UnitKind.DISTRICT, "SN"),
]
TASK_FORCES = [
    UnitSpec("ZB01", "新能源汽车产业专班", UnitKind.TASK_FORCE, "ZB", focus_industries="新能源汽车、动力电池、储能"),
    UnitSpec("ZB02", "电子信息产业专班", UnitKind.TASK_FORCE, "ZB", focus_industries="新型显示、半导体、智能终端"),
    UnitSpec("ZB03", "生物医药产业专班", UnitKind.TASK_FORCE, "ZB", focus_industries="创新药、医疗器械"),
]
TOWNS = [  # under the counties, so a county head sees their towns' projects too
    UnitSpec("ZM0101", "青山镇", UnitKind.TOWNSHIP, "ZJ", parent="ZM01"),
    UnitSpec("ZM0102", "东湖街道", UnitKind.TOWNSHIP, "ZJ", parent="ZM01"),
    UnitSpec("XZ0101", "龙泉镇", UnitKind.TOWNSHIP, "ZJ", parent="XZ01"),
]
PLATFORMS = [UnitSpec("PT01", "国际物流园区", UnitKind.PLATFORM, "PT")]
DEPARTMENTS = [  # 市直部门 with investment tasks (Laiwu's competition, Huaiyin's department groups)
    UnitSpec("BM01", "市发展和改革委员会", UnitKind.DEPARTMENT, "BM"),
    UnitSpec("BM02", "市工业和信息化局", UnitKind.DEPARTMENT, "BM"),
    UnitSpec("BM03", "市商务局", UnitKind.DEPARTMENT, "BM"),
    UnitSpec("BM04", "市科学技术局", UnitKind.DEPARTMENT, "BM"),
    UnitSpec("BM05", "市农业农村局", UnitKind.DEPARTMENT, "BM"),
    UnitSpec("BM06", "市文化广电和旅游局", UnitKind.DEPARTMENT, "BM"),
]

# 分组口径: the same unit is in different groups under different assessments. The units' own groups
# (above) are the default grouping, Zhengzhou's; a unit not listed in a grouping keeps its own group there
# (the towns stay 镇街 and the platform 平台 under Huaiyin's).
HUAIYIN_GROUPING = "淮阴考核口径"
LAIWU_GROUPING = "莱芜竞赛口径"
GROUPINGS = {
    HUAIYIN_GROUPING: {
        "JK01": "PT", "GX01": "PT",  # the development zones are platforms (平台)
        "BM01": "ZS", "BM02": "ZS", "BM03": "ZS",  # 重点招商部门
        "BM04": "YB", "BM05": "YB", "BM06": "YB",  # 一般招商部门
    },
    LAIWU_GROUPING: {
        **{u.code: "QG" for u in [*KEY_AREAS, *URBAN_DISTRICTS]},  # 区及功能区
        **{u.code: "BM" for u in DEPARTMENTS},  # 市直部门
    },
}

DEMO_CITY = CitySpec(
    groups=[GROUPS[code] for code in ("ZD", "SN", "ZX", "ZB", "ZJ", "PT", "BM", "ZS", "YB", "QG")],
    units=[*KEY_AREAS, *URBAN_DISTRICTS, *RESIDENT_OFFICES, *TASK_FORCES, *TOWNS, *PLATFORMS, *DEPARTMENTS],
    groupings=GROUPINGS,
)


def _first(people: list[Person], *roles: str) -> Person | None:
    for role in roles:
        for person in people:
            if person.role == role and person.user_id is None:
                return person
    return None


@transaction.atomic
def create_demo_accounts() -> list[User]:
    """admin / assessor / leader / the district assessor, a staff account per unit and a head account per
    county; password `demo`.

    One hash for all of them: PBKDF2 takes a noticeable fraction of a second per call and these are
    throw-away demo passwords."""
    password = make_password(DEMO_PASSWORD)
    users = [
        User(username="admin", role=UserRole.ADMIN, is_superuser=True, is_staff=True, password=password,
             first_name="系统管理员"),
        User(username="assessor", role=UserRole.ASSESSOR, password=password, first_name="考核办"),
        User(username="leader", role=UserRole.LEADER, password=password, first_name="市领导"),
        User(username="audit", role=UserRole.AUDIT_OFFICE, password=password, first_name="审计局"),
        # 三员分立: the security and audit administrators see no business data, only their own pages
        User(username="secadmin", role=UserRole.SECURITY_ADMIN, password=password, first_name="安全管理员"),
        User(username="auditor", role=UserRole.AUDIT_ADMIN, password=password, first_name="审计管理员"),
    ]
    district = Unit.objects.filter(code=DISTRICT_UNIT).first()
    if district is not None:  # 区考核办: verifies (初审) its district's facts
        users.append(User(username=DISTRICT_ASSESSOR, role=UserRole.DISTRICT_ASSESSOR, unit=district,
                          password=password, first_name=f"{district.name}考核办"))
    links: list[tuple[User, Person | None]] = []
    for unit in Unit.objects.order_by("code"):
        people = list(unit.people.order_by("staff_no"))
        staff = User(username=unit.code.lower(), role=UserRole.UNIT_STAFF, unit=unit, password=password,
                     first_name=f"{unit.name}联络员")
        person = _first(people, PersonRole.LIAISON, PersonRole.STAFF)
        if person is not None:
            person.user_id = -1  # reserved, so the head below picks someone else
        links.append((staff, person))
        if unit.kind == UnitKind.COUNTY:
            head = User(username=f"{unit.code.lower()}-head", role=UserRole.UNIT_HEAD, unit=unit, password=password,
                        first_name=f"{unit.name}负责人")
            links.append((head, _first(people, PersonRole.PARTY_GOV_HEAD, PersonRole.DIVISION_LEADER)))
    users.extend(user for user, _ in links)
    User.objects.bulk_create(users)
    persons = []
    for user, person in links:
        if person is not None:
            person.user_id = user.pk
            persons.append(person)
    Person.objects.bulk_update(persons, ["user"])
    return users


def load_demo_city(*, progress: bool = False) -> Summary:
    """Write the demo city and its accounts into an empty database."""
    years = demo_years()
    with transaction.atomic():
        summary = generate(seed=DEMO_SEED, city=DEMO_CITY, projects=DEMO_PROJECTS, years=years, progress=progress)
        summary.add("分组成员", write_groupings(DEMO_CITY))
        summary.add("产出与服务", write_aftercare(seed=DEMO_SEED, years=years, today=today()))  # issue 15
        summary.add("目标", write_preset_targets(seed=DEMO_SEED, years=years))
        users = create_demo_accounts()
        states = apply_verification_mix(seed=DEMO_SEED)
        planted = plant_cases(today=today())
        integrity = apply_integrity(seed=DEMO_SEED, years=years, planted=planted)
        offices = write_office_work(seed=DEMO_SEED, today=today(), years=years)
        awards = write_awards(today=today())
        offices |= write_people(seed=DEMO_SEED, today=today())  # issue 13: 个人分成, 招商干部, 组团经费
        offices |= write_chain_demo(seed=DEMO_SEED, today=today())  # issue 14: 产业链, 目标企业, 调度会
        history = record_creation_history()  # last: the entries hold the state the demo starts from
    summary.add("项目", len(planted))
    summary.add("账号", len(users))
    summary.add("历史记录", history)
    for label, n in [*states.items(), *integrity.items(), *offices.items(), *awards.items()]:
        summary.add(label, n)
    return summary
