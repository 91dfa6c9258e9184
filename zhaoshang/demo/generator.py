"""The synthetic data generator: a whole city's ledger and activities from a seed.

Deterministic: every random draw comes from `random.Random` streams seeded from the seed, so the same
arguments give the same rows. The only outside input is today's date in Asia/Shanghai, because no date
may lie in the future: dates in the current year are spread over the part of it that has passed, stage
dates and fund arrivals that would fall after today are left out, and years after today are skipped.

Rows are written inside one transaction, bypassing the services: there are no history rows (this is a bulk
import, like a migration from an old system) and no per-row `full_clean()`. The few hundred rows others refer
to by id (groups, units, people, events) go through `bulk_create`; projects, their filings, funds and the
activities go as tuples through `core.bulkcopy` (COPY on PostgreSQL), projects with ids reserved up front, a
chunk of projects at a time, so 2,000,000 projects never sit in memory at once.
The generator therefore only produces values the services would accept; `tests/demo/test_generator.py`
runs `full_clean()` over a sample to keep it honest.

Every generated stage filing (签约 included) and fund arrival is 已认定 on its own date, as if an old
system's checked ledger had been migrated, and the projects' `*_verified_on` columns are set in the same
insert: a benchmark over generated data counts exactly what it counted before verification existed. The
demo city then puts a realistic mix of states on top (`demo.verificationgen`).

The ledger is consistent as the integrity checks read it, so that their flags on a demo are the planted
ones (`demo.integritygen`), not accidents of the draw: a project registered here (注册落地) carries the USCC
of a company registered in the city (4101…, by where it lands; an outside investor's local company is named
like 华瑞新能源科技（郑州）有限公司); no two investors share a 字号 and trade word; a repeat investor's next
project is of another size; and a signing in the last weeks of a year is mostly registered within the next
quarter.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
import random
import sys
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction

from zhaoshang.activities.choices import EventLevel
from zhaoshang.activities.models import Attendance, PromotionEvent, Visit
from zhaoshang.core import bulkcopy
from zhaoshang.core.periods import today as shanghai_today
from zhaoshang.core.uscc import CHARSET
from zhaoshang.core.uscc import VALUES as USCC_VALUES
from zhaoshang.core.uscc import WEIGHTS as USCC_WEIGHTS
from zhaoshang.ledger.choices import (
    FILED_STAGES,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    STAGE_VERIFIED_FIELD,
    FundKind,
    Section,
    Stage,
    Status,
    Verification,
)
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.models import Person, Unit, UnitGroup, User

from . import vocab
from .activitygen import ActivitiesMixin
from .citygen import CitySpec, person_name, roster, synthesize_city

BATCH = 2000
CHUNK = 5000  # projects built, written and followed up (shares, filings, funds) per round
ID_BLOCK = 100_000  # project ids reserved per query
DEFAULT_YEARS = (2023, 2024, 2025)
IMPORT_NOTE = "批量导入"
# Apps whose rows make up "the city": --flush empties them (history tables included), users excepted.
DOMAIN_APPS = ("assessment", "integrity", "targets", "activities", "ledger", "orgs")
KIND_WEIGHT = {
    UnitKind.COUNTY: 3.0, UnitKind.DISTRICT: 2.0, UnitKind.DEV_ZONE: 4.0, UnitKind.TOWNSHIP: 0.6,
    UnitKind.DEPARTMENT: 0.8, UnitKind.RESIDENT_OFFICE: 2.5, UnitKind.TASK_FORCE: 1.5, UnitKind.PLATFORM: 2.0,
}
KIND_SCALE = {  # multiplies project size: zones land big plants, towns small workshops
    UnitKind.COUNTY: 1.0, UnitKind.DISTRICT: 0.8, UnitKind.DEV_ZONE: 1.6, UnitKind.TOWNSHIP: 0.35,
    UnitKind.DEPARTMENT: 0.7, UnitKind.RESIDENT_OFFICE: 1.0, UnitKind.TASK_FORCE: 1.3, UnitKind.PLATFORM: 1.1,
}
# Signed amount tiers in 万元: (weight, low, high). 1亿元 = 10000万元.
AMOUNT_TIERS = [(38, 500, 10_000), (36, 10_000, 50_000), (16, 50_000, 200_000), (8, 200_000, 500_000),
                (2, 500_000, 2_000_000)]
SHARE_SPLITS = [("0.500000", "0.500000"), ("0.600000", "0.400000"), ("0.700000", "0.300000"),
                ("0.800000", "0.200000"), ("0.550000", "0.450000"), ("0.666667", "0.333333")]
USD_RATE_X100 = 712  # 1 万美元 ≈ 7.12 万元, as an integer ratio so amounts never pass through float
INDICATORS = ("签约金额", "到位资金", "签约项目数", "注册落地项目数", "开工项目数")
OFFICE_INDICATORS = ("推荐考察项目数", "推介活动场次")


@dataclass
class Summary:
    """What was written, for the command's report."""

    counts: dict[str, int] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


class _Progress:
    """A tqdm bar on stderr, or nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = None
        self.label = ""
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="行", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def step(self, label: str, n: int = 0) -> None:
        if self.bar is not None:
            if label != self.label:
                self.label = label
                self.bar.set_description(label, refresh=False)
            if n:
                self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ---- database state ---------------------------------------------------------------------------------------------


def existing_counts() -> tuple[int, int]:
    return Unit.objects.count(), Project.objects.count()


def flush_city() -> None:
    """Empty every table of the domain apps (history included) and the users tied to a unit.

    Plain DELETE statements: ORM deletion would send a signal and write a history row per project. Foreign
    keys are deferred until commit on SQLite and PostgreSQL, so the order of the tables does not matter.
    """
    with transaction.atomic():
        User.objects.filter(unit__isnull=False, is_superuser=False).delete()
        User.objects.filter(unit__isnull=False).update(unit=None)
        with connection.cursor() as cursor:
            for label in DOMAIN_APPS:
                for model in apps.get_app_config(label).get_models():
                    if model is User or model._meta.proxy or not model._meta.managed:
                        continue
                    if label == "orgs" and model._meta.model_name == "apitoken":
                        continue
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


# ---- small helpers -----------------------------------------------------------------------------------------------


def _below(getrandbits, n: int) -> int:
    """`Random._randbelow(n)` spelled out (what `rng.choice` draws with), for the hot loop of `_uscc`: the
    same bits in the same order, so the same codes, at a third of the calls."""
    k = n.bit_length()
    r = getrandbits(k)
    while r >= n:
        r = getrandbits(k)
    return r


DIGITS = "0123456789"


def _uscc(rng: random.Random, region: str) -> str:
    bits = rng.getrandbits
    body = "91" + region + "".join([DIGITS[_below(bits, 10)] for _ in range(8)]) + CHARSET[_below(bits, len(CHARSET))]
    # check_character(body), with the products summed in C (a tenth of the drawing time at 2M projects)
    total = sum(map(operator.mul, map(USCC_VALUES.__getitem__, body), USCC_WEIGHTS))
    return body + CHARSET[(31 - total % 31) % 31]


def _wan(cents: int) -> Decimal:
    """An amount held as an integer number of hundredths of 万元 → Decimal 万元 with 4 places."""
    return Decimal(cents * 100).scaleb(-4)  # = Decimal(cents).scaleb(-2).quantize(Decimal("0.0001")), faster


class _Clock:
    """Maps a uniform draw to a date inside a year, never after today."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def in_year(self, year: int, u: float) -> dt.date:
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), self.today)
        return start + dt.timedelta(days=int(u * ((end - start).days + 1)))

    def year_weight(self, year: int) -> float:
        """The share of the year that has passed: the current year gets fewer projects, not crammed ones."""
        if year > self.today.year:
            return 0.0
        if year < self.today.year:
            return 1.0
        return (self.today.timetuple().tm_yday) / 365.0


def _demo_section(code: str, section: str) -> str:
    """The project's 行业门类, or "" (待归类) for a few: as a ledger migrated from the four old words looks,
    where 服务业 and 其他 projects wait for the office to classify them (and a few manufacturing ones were
    filed as 其他). Decided by the code's checksum, not the random stream, so every other draw is unchanged."""
    share = 2 if section == Section.C else 30  # per cent left 待归类
    return "" if zlib.crc32(code.encode()) % 100 < share else section


def focus_industries(text: str) -> list[str]:
    """The generator's industries named in a unit's focus text, by industry or chain name (钙基新材料 → 新材料)."""
    found = []
    for industry, (_, chains) in vocab.INDUSTRIES.items():
        names = [industry, *chains, *(product for items in chains.values() for product, _ in items)]
        if any(name in text for name in names):
            found.append(industry)
    return found


class _Draft:
    """A project as it is drawn: the attributes of a `Project`, without `Model.__init__` and its descriptors
    (a third of the drawing time). Foreign keys are held as ids. Starts from every field's default, as a new
    Project does."""

    defaults: dict = {}
    STAGE_FIELDS = [(stage, STAGE_DATE_FIELD[stage]) for stage in STAGE_ORDER[1:]]

    def __init__(self, **values) -> None:
        if not _Draft.defaults:
            _Draft.defaults = {f.attname: f.get_default() for f in Project._meta.concrete_fields}
        self.__dict__.update(_Draft.defaults)
        self.__dict__.update(values)

    def refresh_stage(self) -> None:  # Project.refresh_stage
        reached = Stage.NONE
        for stage, fld in self.STAGE_FIELDS:
            if self.__dict__[fld] is not None:
                reached = stage
        self.stage = reached


# Project columns written: all but the auto_now timestamps, which bulkcopy sets.
PROJECT_COLUMNS = [f.attname for f in Project._meta.concrete_fields
                   if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
RECORD_COLUMNS = ("project_id", "stage", "date", "note", "verification", "verified_on")
FUND_COLUMNS = ("project_id", "date", "amount", "kind", "note", "verification", "verified_on")
SHARE_COLUMNS = ("project_id", "unit_id", "ratio")
FILED_DATES = [(stage, STAGE_DATE_FIELD[stage]) for stage in (Stage.SIGNED, *FILED_STAGES)]


# ---- the generator ------------------------------------------------------------------------------------------------


class Generator(ActivitiesMixin):
    def __init__(self, *, seed: int, years: Sequence[int], today: dt.date | None = None, progress: bool = False):
        self.seed = seed
        self.today = today or shanghai_today()
        self.clock = _Clock(self.today)
        self.years = sorted({y for y in years if y <= self.today.year})
        if not self.years:
            raise ValueError("没有可生成的年度：所给年度都晚于今天")
        self.progress_enabled = progress
        self.summary = Summary(years=list(self.years))

    def rng(self, stream: str) -> random.Random:
        # One stream per section: adding visits does not change the projects drawn for the same seed.
        return random.Random(f"zhaoshang:{self.seed}:{stream}")

    # -- entry point --
    def run(self, *, city: CitySpec | None = None, units: int = 20, projects: int = 600) -> Summary:
        city = city or synthesize_city(units, self.rng("city"))
        n_units = len(city.units)
        self.bar = _Progress(self.progress_enabled, total=n_units + projects)
        try:
            with transaction.atomic():
                bulkcopy.tune_transaction()
                self._write_city(city)
                self._write_events()
                with bulkcopy.Writer() as self.writer:
                    self._write_projects(projects)
                    self._write_activities()
                    self._write_targets()
                self.writer = None
                bulkcopy.end_tuning()
            # Statistics for the tables just filled, so the first queries are planned for their real size.
            bulkcopy.analyze([Project, StageRecord, FundArrival, ProjectShare, Visit, Attendance])
        finally:
            self.bar.close()
        return self.summary

    def _bulk(self, model, rows: list, label: str) -> list:
        """Rows others refer to by id: bulk_create gives the instances their ids."""
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)
            self.summary.add(label, len(rows))
        return rows

    writer: bulkcopy.Writer | None = None

    def _copy(self, model, columns: Sequence[str], rows: list[tuple], label: str) -> None:
        """Rows nothing refers to: tuples straight to the table."""
        if rows:
            self.writer.insert_rows(model, columns, rows)
            self.summary.add(label, len(rows))

    # -- units and people --
    def _write_city(self, city: CitySpec) -> None:
        self.bar.step("单位与人员")
        rng = self.rng("people")
        groups = {g.code: UnitGroup(code=g.code, name=g.name, description=g.description) for g in city.groups}
        self._bulk(UnitGroup, list(groups.values()), "考核组别")
        self.units: list[Unit] = []
        by_code: dict[str, Unit] = {}
        for spec in city.units:  # parents come before their children in every CitySpec
            unit = Unit(code=spec.code, name=spec.name, kind=spec.kind, group=groups.get(spec.group),
                        parent=by_code.get(spec.parent) if spec.parent else None, regions=spec.regions,
                        focus_industries=spec.focus_industries, lead_leader=spec.lead_leader)
            by_code[spec.code] = unit
            self.units.append(unit)
        # Parents first, one level at a time, so children get their parent's id.
        for depth_units in self._by_depth(city):
            self._bulk(Unit, [by_code[c] for c in depth_units], "单位")
        people: list[Person] = []
        self.people_by_unit: dict[int, list[Person]] = {}
        for spec, unit in zip(city.units, self.units, strict=True):
            mine: list[Person] = []
            named = list(spec.people)
            for role, (lo, hi), titles in roster(spec.kind):
                count = rng.randint(lo, hi)
                from_spec = [p for p in named if p.role == role]
                for i in range(max(count, len(from_spec))):
                    if i < len(from_spec):
                        name, title = from_spec[i].name, from_spec[i].title
                    else:
                        name, title = person_name(rng), titles[i % len(titles)]
                    mine.append(Person(staff_no=f"{unit.code}-{len(mine) + 1:02d}", name=name, unit=unit,
                                       title=title, role=role))
            self.people_by_unit[unit.pk] = mine
            people.extend(mine)
            self.bar.step("单位与人员", 1)
        self._bulk(Person, people, "人员")
        self.unit_kind = {u.pk: u.kind for u in self.units}
        self.focus = {u.pk: focus_industries(u.focus_industries) for u in self.units if u.focus_industries}
        self.offices = [u for u in self.units if u.kind == UnitKind.RESIDENT_OFFICE]

    @staticmethod
    def _by_depth(city: CitySpec) -> list[list[str]]:
        parent = {u.code: u.parent for u in city.units}

        def depth(code: str) -> int:
            d = 0
            while parent.get(code):
                code, d = parent[code], d + 1
            return d

        levels: dict[int, list[str]] = defaultdict(list)
        for u in city.units:
            levels[depth(u.code)].append(u.code)
        return [levels[d] for d in sorted(levels)]

    def _leaders(self, unit: Unit) -> list[Person]:
        return [p for p in self.people_by_unit[unit.pk]
                if p.role in (PersonRole.PARTY_GOV_HEAD, PersonRole.DIVISION_LEADER)]

    # -- promotion events --
    def _write_events(self) -> None:
        self.bar.step("招商活动")
        rng = self.rng("events")
        levels = [EventLevel.NATIONAL, EventLevel.PROVINCIAL, EventLevel.PREFECTURE, EventLevel.COUNTY]
        level_weights = [1, 2, 4, 3]
        hosts = [u for u in self.units if u.kind in (UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.DEV_ZONE)]
        industries = list(vocab.INDUSTRIES)
        events: list[PromotionEvent] = []
        for year in self.years:
            n = max(6, len(self.units) // 3)
            seq = 0
            for _ in range(n):
                level = rng.choices(levels, level_weights)[0]
                host = None
                if level == EventLevel.COUNTY and hosts:
                    host = rng.choice(hosts)
                elif level == EventLevel.PREFECTURE and self.offices and rng.random() < 0.4:
                    host = rng.choice(self.offices)
                template = rng.choice(vocab.EVENT_TEMPLATES[level])
                region = host.regions.split("、")[0] if host is not None and host.regions else rng.choice(
                    [c for c, _, _ in vocab.RESIDENT_CITIES])
                name = template.format(year=year, n=year - 2017, industry=rng.choice(industries), region=region,
                                       host=host.name if host else "")
                leaders = "、".join(rng.sample(vocab.CITY_LEADERS, rng.randint(1, 2))) if rng.random() < 0.6 else ""
                date = self.clock.in_year(year, rng.random())
                seq += 1
                events.append(PromotionEvent(code=f"HD{year}{seq:03d}", date=date, name=name, level=level,
                                             host_unit=host, city_leaders_present=leaders))
            # Each resident office holds its own pitch events (Bole: ≥2 a year, ≥1 with a city leader).
            for office in self.offices:
                for k in range(rng.randint(1, 3)):
                    seq += 1
                    region = (office.regions.split("、") or [office.name])[0]
                    events.append(PromotionEvent(
                        code=f"HD{year}{seq:03d}", date=self.clock.in_year(year, rng.random()),
                        name=f"{year}年{region}专场招商推介会" if k == 0
                        else f"{year}年{office.name}精准招商对接会（{k}）",
                        level=EventLevel.PREFECTURE, host_unit=office,
                        city_leaders_present=rng.choice(vocab.CITY_LEADERS) if k == 0 or rng.random() < 0.3 else ""))
        self._bulk(PromotionEvent, events, "招商活动")
        self.events_by_year: dict[int, list[PromotionEvent]] = defaultdict(list)
        for e in events:
            self.events_by_year[e.date.year].append(e)

    # -- projects --
    def _write_projects(self, total: int) -> None:
        rng = self.rng("projects")
        units = self.units
        cum_unit = list(itertools.accumulate(KIND_WEIGHT[u.kind] for u in units))
        year_cum = list(itertools.accumulate(self.clock.year_weight(y) for y in self.years))
        industries = list(vocab.INDUSTRY_WEIGHTS)
        cum_ind = list(itertools.accumulate(vocab.INDUSTRY_WEIGHTS[i] for i in industries))
        cum_tier = list(itertools.accumulate(t[0] for t in AMOUNT_TIERS))
        # Per industry: (name, uscc, origin, brand, foreign, trade word), so a repeat investor stays in its trade.
        investors: dict[str, list[tuple[str, str, str, str, bool, str]]] = defaultdict(list)
        uscc_of: dict[str, str] = {}
        self.marks: set[tuple[str, str]] = set()  # (brand, trade word) of every investor: no two companies share one
        # An investor's signed amounts (万元): one int for most (a list each would be 130 MB at 2M projects).
        self.amounts_of: dict[str, int | list[int]] = {}
        # Project companies registered here (注册落地), one per investor; their own random stream, so that the
        # projects' other draws are those of a ledger without them.
        self.local_company: dict[str, tuple[str, str]] = {}
        self.registration_rng = self.rng("registration")
        self.unit_division = {u.pk: vocab.local_division(u.name, u.parent.name if u.parent else "", i)
                              for i, u in enumerate(units)}
        # (unit, year) → project ids, as 8-byte machine integers (a list of int objects holds 2M ids in 72 MB).
        self.project_index: dict[tuple[int, int], array] = defaultdict(lambda: array("q"))
        self.enterprises: list[str] = []
        self.enterprise_section: dict[str, str] = {}
        self.unit_year_signed: dict[tuple[int, int], int] = defaultdict(int)  # cents of 万元
        self.unit_year_counts: dict[tuple[int, int, str], int] = defaultdict(int)
        self.unit_year_funds: dict[tuple[int, int], int] = defaultdict(int)
        seq_by_year: dict[int, int] = defaultdict(int)
        other_units = [u for u in units if u.kind != UnitKind.RESIDENT_OFFICE]
        get = operator.itemgetter(*PROJECT_COLUMNS)
        ids: Iterator[int] = iter(())
        for start in range(0, total, CHUNK):
            batch: list[tuple[_Draft, dict]] = []
            for _ in range(min(CHUNK, total - start)):
                batch.append(self._project(rng, units, cum_unit, year_cum, industries, cum_ind, cum_tier, investors,
                                           uscc_of, seq_by_year, other_units))
            for i, (p, _) in enumerate(batch):
                pk = next(ids, None)
                if pk is None:  # ids a block at a time: the query waits for the writer to be idle
                    self.writer.idle()
                    ids = iter(bulkcopy.reserve_ids(Project, min(ID_BLOCK, total - start - i)))
                    pk = next(ids)
                p.id = pk
            self._copy(Project, PROJECT_COLUMNS, [get(p.__dict__) for p, _ in batch], "项目")
            self._follow_up(rng, batch)
            self.bar.step("项目", len(batch))

    def _project(self, rng, units, cum_unit, year_cum, industries, cum_ind, cum_tier, investors, uscc_of,
                 seq_by_year, other_units) -> tuple[_Draft, dict]:
        r = rng.random
        unit = units[bisect.bisect_right(cum_unit, r() * cum_unit[-1])]
        year = self.years[min(bisect.bisect_right(year_cum, r() * year_cum[-1]), len(self.years) - 1)]
        focus = self.focus.get(unit.id)
        if focus and r() < 0.6:  # units hunt mostly in their focus industries (resident offices, task forces)
            industry = focus[int(r() * len(focus))]
        else:
            industry = industries[bisect.bisect_right(cum_ind, r() * cum_ind[-1])]
        _, chains = vocab.INDUSTRIES[industry]
        chain = rng.choice(list(chains))
        product, measure = rng.choice(chains[chain])
        # Investor: a quarter are repeat investors; the rest are new companies.
        known = investors[industry]
        if known and r() < 0.25:
            inv_name, uscc, origin, brand, is_foreign, word = known[int(r() * len(known))]
        else:
            is_foreign = r() < 0.06
            if is_foreign:
                origin, region = rng.choice(vocab.FOREIGN_ORIGINS)
            elif unit.kind == UnitKind.RESIDENT_OFFICE and unit.regions and r() < 0.8:
                provinces = [p for p in unit.regions.split("、") if p in vocab.PROVINCE_ORIGINS]
                origin = rng.choice(vocab.PROVINCE_ORIGINS[rng.choice(provinces)]) if provinces else "北京"
                region = vocab.ORIGIN_CODE[origin]
            else:
                origin, region = vocab.ORIGINS[int(r() * len(vocab.ORIGINS))]
            brand = rng.choice(vocab.BRAND_CHARS) + rng.choice(vocab.BRAND_CHARS)
            word = rng.choice(vocab.INDUSTRY_WORDS[industry])
            # Two different companies with the same 字号 and trade word would read as one investor (and be
            # flagged as filed twice): draw another 字号, a few times at most.
            for _ in range(8):
                if (brand, word) not in self.marks:
                    break
                brand = rng.choice(vocab.BRAND_CHARS) + rng.choice(vocab.BRAND_CHARS)
            self.marks.add((brand, word))
            if is_foreign:
                inv_name = f"{brand}{word}（{origin}）投资有限公司"
            else:
                prefix = "" if origin == "本地" else origin + ("市" if len(origin) == 2 else "")
                inv_name = f"{prefix}{brand}{word}{rng.choice(vocab.COMPANY_SUFFIXES)}"
            uscc = uscc_of.get(inv_name)
            if uscc is None:
                uscc = _uscc(rng, region) if r() > 0.03 else ""
                uscc_of[inv_name] = uscc
            known.append((inv_name, uscc, origin, brand, is_foreign, word))
        template = rng.choice(vocab.PROJECT_TEMPLATES)
        name = template.format(brand=brand, product=product, measure=measure, qty=rng.choice([1, 2, 3, 5, 10, 20, 50]))

        tier = AMOUNT_TIERS[bisect.bisect_right(cum_tier, r() * cum_tier[-1])]
        wan = int((tier[1] + (tier[2] - tier[1]) * r() ** 1.6) * KIND_SCALE[unit.kind])
        wan = max(100, round(wan, -2) if wan >= 10_000 else round(wan, -1))
        wan = self._another_investment(inv_name, wan)
        signed_c = wan * 100 + (50 if r() < 0.1 else 0)
        planned_c = signed_c * rng.randint(100, 150) // 100

        unsigned = r() < 0.05
        seq_by_year[year] += 1
        code = f"XM{year}{seq_by_year[year]:06d}"
        section = _demo_section(code, vocab.section_of(industry, product))
        # The draw for 四力型 is made whenever the industry is manufacturing, as before the sections, so the
        # rest of the ledger is the same; a power station is never a 四力型 manufacturing project.
        four_power = (vocab.INDUSTRIES[industry][0] == Section.C and signed_c >= 50_000 * 100 and r() < 0.15
                      and vocab.section_of(industry, product) == Section.C)
        p = _Draft(
            code=code, name=name, investor=inv_name, investor_uscc=uscc,
            investor_origin="本地" if origin == "本地" else origin, industry=industry, industry_chain=chain,
            category=section, is_four_power=four_power,
            is_foreign=is_foreign, planned_investment=_wan(planned_c), lead_unit_id=unit.id,
        )
        people = self.people_by_unit[unit.id]
        p.introducer_id = people[int(r() * len(people))].id
        if r() < 0.2:
            helper = other_units[int(r() * len(other_units))] if other_units else unit
            if helper.id != unit.id:
                p.assisting_unit_id = helper.id
                hp = self.people_by_unit[helper.id]
                p.assisting_secretary_id = hp[int(r() * len(hp))].id
        if is_foreign:
            p.foreign_amount = _wan(signed_c * 100 // USD_RATE_X100)
        extra = {"year": year, "unit": unit, "signed_c": signed_c, "share": None, "funds": []}
        if unsigned:
            p.signed_amount = Decimal("0.0000")
            p.status = Status.LOST if r() < 0.2 else Status.NEGOTIATING
            if p.status == Status.LOST:
                p.status_reason = rng.choice(vocab.REASONS["lost"])
            p.refresh_stage()
            return p, extra
        p.signed_amount = _wan(signed_c)
        events = self.events_by_year.get(year, [])
        if events and r() < 0.25:
            event = events[int(r() * len(events))]
            p.signed_at_event_id, p.signed_on = event.id, event.date
        else:
            p.signed_on = self.clock.in_year(year, r())
        # Stage dates in order from signing; each later stage is reached with some probability.
        d = p.signed_on
        steps = [("registered_on", 0.85, 5, 120), ("started_on", 0.75, 10, 200), ("completed_on", 0.55, 150, 540),
                 ("producing_on", 0.8, 15, 120)]
        if p.signed_on.month == 12 and p.signed_on.day >= 2:
            # Signed in the last weeks of the year: the company is registered within the first quarter (a
            # year-end signing with nothing after it is the packaged project the flags look for).
            steps[0] = ("registered_on", 0.95, 5, 80)
        for fld, prob, lo, hi in steps:
            go, gap = r() < prob, lo + int((hi - lo) * r())
            if not go:
                break
            d = d + dt.timedelta(days=gap)
            if d > self.today:
                break
            setattr(p, fld, d)
        if p.registered_on and p.investor_uscc and not vocab.is_local(p.investor_uscc[2:8]):
            # 注册落地: the project company registered here has its own, local USCC.
            p.investor, p.investor_uscc = self._local_company(inv_name, brand, word, unit)
        for stage, fld in STAGE_DATE_FIELD.items():  # every filing is 已认定 on its own date
            setattr(p, STAGE_VERIFIED_FIELD[stage], getattr(p, fld))
        p.refresh_stage()
        # Status: most advance; stalled, terminated or lost ones carry a reason.
        x = r()
        if p.stage in (Stage.COMPLETED, Stage.PRODUCING) or x < 0.82:
            p.status = Status.ADVANCING
        elif x < 0.93:
            p.status = Status.STALLED
        elif x < 0.975:
            p.status = Status.TERMINATED
        else:
            p.status = Status.LOST
        if p.status in (Status.STALLED, Status.TERMINATED, Status.LOST):
            p.status_reason = rng.choice(vocab.REASONS[p.status])
        # Sharing (共享): about one in ten, between the introducing unit and one other.
        if r() < 0.1 and len(self.units) > 1:
            partner = self.units[int(r() * len(self.units))]
            if partner.id == unit.id:
                partner = self.units[(self.units.index(unit) + 1) % len(self.units)]
            extra["share"] = (partner, SHARE_SPLITS[int(r() * len(SHARE_SPLITS))])
        # Funds in place: after registration (capital) and after starting (fixed assets), never after today.
        if p.registered_on and (r() < 0.25 or is_foreign):
            cap_c = max(100, signed_c * rng.randint(5, 20) // 100)
            kind = FundKind.FOREIGN if is_foreign else FundKind.REGISTERED_CAPITAL
            extra["funds"].append((p.registered_on, cap_c, kind))
        if p.started_on:
            n = rng.randint(1, 4)
            total_c = max(n * 100, signed_c * rng.randint(15, 95) // 100)
            horizon = (p.completed_on or p.started_on + dt.timedelta(days=540)) - p.started_on
            days = sorted(int(horizon.days * r()) for _ in range(n))
            part = total_c // n
            for k, off in enumerate(days):
                day = p.started_on + dt.timedelta(days=off)
                amount = part if k < n - 1 else total_c - part * (n - 1)
                if day <= self.today:
                    extra["funds"].append((day, amount, FundKind.FIXED_ASSET if r() < 0.9 else FundKind.OTHER))
        return p, extra

    def _another_investment(self, investor: str, wan: int) -> int:
        """A repeat investor's next project is another investment, of another size: an amount within a
        fifth of one of its earlier ones is scaled up by half (an expansion) until it is not. Without this
        a repeat investor in two units reads as one investment filed twice (不得相互抵顶)."""
        earlier = self.amounts_of.get(investor)
        if earlier is None:
            self.amounts_of[investor] = wan
            return wan
        if type(earlier) is int:
            earlier = self.amounts_of[investor] = [earlier]
        for _ in range(6):
            if not any(abs(wan - a) * 5 <= max(wan, a) for a in earlier):
                break
            wan = round(wan * 3 // 2, -2 if wan >= 10_000 else -1)
        earlier.append(wan)
        return wan

    def _local_company(self, investor: str, brand: str, word: str, unit: Unit) -> tuple[str, str]:
        """The company an outside investor registers here for its projects (one per investor, e.g.
        华瑞新能源科技（郑州）有限公司), with a USCC of the division where the project lands."""
        company = self.local_company.get(investor)
        if company is None:
            name = f"{brand}{word}（{vocab.LOCAL_CITY}）有限公司"
            company = (name, _uscc(self.registration_rng, self.unit_division[unit.id]))
            self.local_company[investor] = company
        return company

    def _follow_up(self, rng: random.Random, batch: list[tuple[_Draft, dict]]) -> None:
        shares, records, funds = [], [], []
        verified = Verification.VERIFIED
        counts = self.unit_year_counts
        for p, extra in batch:
            unit, year = extra["unit"], extra["year"]
            pk = p.id
            self.project_index[(unit.id, year)].append(pk)
            if len(self.enterprises) < 5000:
                self.enterprises.append(p.investor)
                # The visited enterprise's 行业门类: its project's (the industry's, where the project is 待归类).
                self.enterprise_section.setdefault(p.investor, p.category or vocab.INDUSTRIES[p.industry][0])
            if p.signed_on is None:
                continue
            sy = p.signed_on.year
            self.unit_year_signed[(unit.id, sy)] += extra["signed_c"]
            counts[(unit.id, sy, "签约项目数")] += 1
            values = p.__dict__
            for stage, fld in FILED_DATES:
                day = values[fld]
                if day is None:
                    break
                records.append((pk, stage, day, IMPORT_NOTE, verified, day))
                if stage == Stage.REGISTERED:
                    counts[(unit.id, day.year, "注册落地项目数")] += 1
                elif stage == Stage.STARTED:
                    counts[(unit.id, day.year, "开工项目数")] += 1
            if extra["share"]:
                partner, (mine, theirs) = extra["share"]
                shares.append((pk, unit.id, Decimal(mine)))
                shares.append((pk, partner.id, Decimal(theirs)))
            for day, cents, kind in extra["funds"]:
                funds.append((pk, day, _wan(cents), kind, IMPORT_NOTE, verified, day))
                self.unit_year_funds[(unit.id, day.year)] += cents
        self._copy(ProjectShare, SHARE_COLUMNS, shares, "项目共享")
        self._copy(StageRecord, RECORD_COLUMNS, records, "阶段备案")
        self._copy(FundArrival, FUND_COLUMNS, funds, "到位资金")


def generate(*, seed: int, units: int = 20, projects: int = 600, years: Iterable[int] = DEFAULT_YEARS,
             city: CitySpec | None = None, today: dt.date | None = None, progress: bool = False) -> Summary:
    """Write a synthetic city into an empty database and return what was written."""
    gen = Generator(seed=seed, years=list(years), today=today, progress=progress)
    return gen.run(city=city, units=units, projects=projects)
