"""The shape of a city — groups, units and their named people — as plain data, and a synthesizer that
invents one of any size. The demo city (`city.py`) is written by hand in the same shape; the generator
(`generator.py`) turns either into rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from zhaoshang.orgs.choices import PersonRole, UnitKind

from . import vocab


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class PersonSpec:
    name: str
    role: str
    title: str


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    group: str | None = None  # GroupSpec.code
    parent: str | None = None  # UnitSpec.code
    regions: str = ""
    focus_industries: str = ""
    lead_leader: str = ""
    people: list[PersonSpec] = field(default_factory=list)  # named people; the rest of the roster is invented


@dataclass
class CitySpec:
    groups: list[GroupSpec]
    units: list[UnitSpec]
    # Named groupings (分组口径): grouping name → {unit code: group code}. A unit not listed keeps its own
    # group (UnitSpec.group) under that grouping. Every group named here is in `groups`.
    groupings: dict[str, dict[str, str]] = field(default_factory=dict)


GROUPS = {
    "ZD": GroupSpec("ZD", "重点地区", "各县（市）、上街区和开发区：制造业招商引资的重点地区"),
    "SN": GroupSpec("SN", "市内五区及郑东新区", "重点在服务型制造和生产性服务业领域"),
    "ZX": GroupSpec("ZX", "驻点招商局", "驻外招商机构，按驻点区域招引项目"),
    "ZB": GroupSpec("ZB", "产业专班", "按产业链组建的招商专班"),
    "PT": GroupSpec("PT", "平台", "园区和产业平台"),
    "ZJ": GroupSpec("ZJ", "镇街", "乡镇（街道）"),
    "BM": GroupSpec("BM", "市直部门", "承担招商任务的市直部门"),
    # Groups that only appear in named groupings (分组口径) of the demo city
    "ZS": GroupSpec("ZS", "重点招商部门", "招商任务较重的市直部门（淮阴考核口径）"),
    "YB": GroupSpec("YB", "一般招商部门", "其他承担招商任务的市直部门（淮阴考核口径）"),
    "QG": GroupSpec("QG", "区及功能区", "各县（市）区和功能区（莱芜竞赛口径）"),
}
KIND_GROUP = {
    UnitKind.COUNTY: "ZD", UnitKind.DEV_ZONE: "ZD", UnitKind.DISTRICT: "SN", UnitKind.RESIDENT_OFFICE: "ZX",
    UnitKind.TASK_FORCE: "ZB", UnitKind.PLATFORM: "PT", UnitKind.TOWNSHIP: "ZJ", UnitKind.DEPARTMENT: "BM",
}
# With fewer units than kinds, the first kinds in this order are made (townships need a county first).
KIND_PRIORITY = [
    UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.RESIDENT_OFFICE, UnitKind.DEV_ZONE, UnitKind.TASK_FORCE,
    UnitKind.TOWNSHIP, UnitKind.PLATFORM, UnitKind.DEPARTMENT,
]
KIND_SHARE = {
    UnitKind.COUNTY: 10, UnitKind.DISTRICT: 5, UnitKind.RESIDENT_OFFICE: 4, UnitKind.DEV_ZONE: 5,
    UnitKind.TASK_FORCE: 6, UnitKind.TOWNSHIP: 52, UnitKind.PLATFORM: 6, UnitKind.DEPARTMENT: 12,
}
MAX_DISTRICTS = 12
MAX_DEPARTMENTS = len(vocab.DEPARTMENTS)

# Roster per kind: (role, how many (min, max), titles to draw from). Every PersonRole appears across kinds.
_LOCAL = {
    UnitKind.COUNTY: ("县委书记", "县长", "副县长", "投资促进中心主任", "投资促进中心副主任"),
    UnitKind.DISTRICT: ("区委书记", "区长", "副区长", "区投资促进局局长", "区投资促进局副局长"),
    UnitKind.DEV_ZONE: ("党工委书记", "管委会主任", "管委会副主任", "招商局局长", "招商局副局长"),
    UnitKind.TOWNSHIP: ("党委书记", "镇长", "副镇长", "招商办主任", "招商办副主任"),
    UnitKind.PLATFORM: ("党委书记", "董事长", "副总经理", "招商部部长", "招商部副部长"),
}


def roster(kind: str) -> list[tuple[str, tuple[int, int], list[str]]]:
    if kind in _LOCAL:
        sec, chief, deputy_chief, director, deputy = _LOCAL[kind]
        return [
            (PersonRole.PARTY_GOV_HEAD, (2, 2), [sec, chief]),
            (PersonRole.DIVISION_LEADER, (1, 3), [deputy_chief]),
            (PersonRole.DIRECTOR, (1, 1), [director]),
            (PersonRole.DEPUTY_DIRECTOR, (0, 1), [deputy]),
            (PersonRole.LIAISON, (1, 1), ["招商专员（联络员）"]),
            (PersonRole.STAFF, (2, 4), ["招商专员", "科员", "一级科员"]),
        ]
    if kind == UnitKind.RESIDENT_OFFICE:
        return [
            (PersonRole.DIVISION_LEADER, (1, 1), ["牵头领导"]),
            (PersonRole.DIRECTOR, (1, 1), ["局长"]),
            (PersonRole.DEPUTY_DIRECTOR, (1, 1), ["副局长"]),
            (PersonRole.LIAISON, (1, 1), ["联络员"]),
            (PersonRole.STAFF, (1, 2), ["驻点工作人员"]),
        ]
    if kind == UnitKind.TASK_FORCE:
        return [
            (PersonRole.PARTY_GOV_HEAD, (1, 1), ["专班班长"]),
            (PersonRole.DIVISION_LEADER, (1, 2), ["专班副班长"]),
            (PersonRole.LIAISON, (1, 1), ["专班联络员"]),
            (PersonRole.STAFF, (2, 3), ["专班工作人员"]),
        ]
    return [  # department
        (PersonRole.PARTY_GOV_HEAD, (1, 1), ["党组书记、局长"]),
        (PersonRole.DIVISION_LEADER, (1, 2), ["副局长"]),
        (PersonRole.LIAISON, (1, 1), ["招商联络员"]),
        (PersonRole.STAFF, (1, 2), ["科员"]),
    ]


def person_name(rng: random.Random) -> str:
    surname = rng.choice(vocab.SURNAMES)
    given = rng.choice(vocab.GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(vocab.GIVEN_CHARS)
    return surname + given


def kind_counts(n: int) -> dict[str, int]:
    """How many units of each kind make `n` units: every kind once when n allows, the rest by share."""
    if n < len(KIND_PRIORITY):
        return {k: 1 for k in KIND_PRIORITY[:n]}
    counts = {k: 1 for k in KIND_PRIORITY}
    caps = {UnitKind.DISTRICT: MAX_DISTRICTS, UnitKind.DEPARTMENT: MAX_DEPARTMENTS,
            UnitKind.RESIDENT_OFFICE: len(vocab.RESIDENT_CITIES)}
    rest = n - len(KIND_PRIORITY)
    total_share = sum(KIND_SHARE.values())
    for kind in KIND_PRIORITY:
        extra = rest * KIND_SHARE[kind] // total_share
        counts[kind] = min(counts[kind] + extra, caps.get(kind, n))
    counts[UnitKind.TOWNSHIP] += n - sum(counts.values())  # townships absorb rounding and capped kinds
    return counts


def synthesize_city(n_units: int, rng: random.Random) -> CitySpec:
    """An invented city of `n_units` units across every kind, towns under counties."""
    counts = kind_counts(n_units)
    stems = list(vocab.PLACE_STEMS)
    rng.shuffle(stems)
    used_names: set[str] = set()

    def place(suffix: str) -> str:
        for _ in range(1000):
            stem = stems[len(used_names) % len(stems)] if len(used_names) < len(stems) else (
                rng.choice(stems) + rng.choice(vocab.PLACE_STEMS)[0])
            name = stem + suffix
            if name not in used_names:
                used_names.add(name)
                return name
        raise RuntimeError("place names exhausted")

    units: list[UnitSpec] = []
    counties = []
    for i in range(counts.get(UnitKind.COUNTY, 0)):
        u = UnitSpec(f"XS{i + 1:02d}", place(rng.choice(["县", "县", "市"])), UnitKind.COUNTY, "ZD")
        units.append(u)
        counties.append(u)
    for i in range(counts.get(UnitKind.DISTRICT, 0)):
        units.append(UnitSpec(f"QU{i + 1:02d}", place("区"), UnitKind.DISTRICT, "SN"))
    industries = list(vocab.INDUSTRIES)
    for i in range(counts.get(UnitKind.RESIDENT_OFFICE, 0)):
        city, stem, regions = vocab.RESIDENT_CITIES[i]
        focus = "、".join(rng.sample(industries, 3))
        units.append(UnitSpec(f"{stem}01", f"驻{city}招商局", UnitKind.RESIDENT_OFFICE, "ZX", regions=regions,
                              focus_industries=focus))
    for i in range(counts.get(UnitKind.DEV_ZONE, 0)):
        units.append(UnitSpec(f"KF{i + 1:02d}", place(vocab.DEV_ZONE_SUFFIXES[i % len(vocab.DEV_ZONE_SUFFIXES)]),
                              UnitKind.DEV_ZONE, "ZD"))
    for i in range(counts.get(UnitKind.TASK_FORCE, 0)):
        industry = industries[i % len(industries)]
        chains = list(vocab.INDUSTRIES[industry][1])
        chain = chains[(i // len(industries)) % len(chains)]
        name = f"{chain}产业专班" if i >= len(industries) else f"{industry}产业专班"
        units.append(UnitSpec(f"ZB{i + 1:02d}", name, UnitKind.TASK_FORCE, "ZB", focus_industries=industry))
    for i in range(counts.get(UnitKind.TOWNSHIP, 0)):
        parent = counties[i % len(counties)] if counties else None
        n_in_parent = i // max(len(counties), 1) + 1
        code = f"{parent.code}{n_in_parent:02d}" if parent else f"ZJ{i + 1:03d}"
        units.append(UnitSpec(code, place(rng.choice(vocab.TOWNSHIP_SUFFIXES)), UnitKind.TOWNSHIP, "ZJ",
                              parent=parent.code if parent else None))
    for i in range(counts.get(UnitKind.PLATFORM, 0)):
        units.append(UnitSpec(f"PT{i + 1:02d}", place(rng.choice(vocab.PLATFORM_SUFFIXES)), UnitKind.PLATFORM, "PT"))
    for i in range(counts.get(UnitKind.DEPARTMENT, 0)):
        units.append(UnitSpec(f"BM{i + 1:02d}", vocab.DEPARTMENTS[i], UnitKind.DEPARTMENT, "BM"))
    used_groups = {u.group for u in units}
    return CitySpec([g for code, g in GROUPS.items() if code in used_groups], units)
