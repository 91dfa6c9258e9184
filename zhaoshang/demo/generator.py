"""The synthetic data generator: a whole city's ledger and activities from a seed.

Deterministic: every random draw comes from `random.Random` streams seeded from the seed, so the same
arguments give the same rows. The only outside input is today's date in Asia/Shanghai, because no date
may lie in the future: dates in the current year are spread over the part of it that has passed, stage
dates and fund arrivals that would fall after today are left out, and years after today are skipped.

Rows are written inside one transaction, bypassing the services: there are no history rows (this is a bulk
import, like a migration from an old system) and no per-row `full_clean()`. The few hundred rows others refer
to by id (groups, units, people, events) go through `bulk_create`; projects, their filings, funds and the
activities go as tuples through `core.bulkcopy` (COPY on PostgreSQL), projects with ids reserved up front, a
chunk of projects at a time, so 2,000,000 projects never sit in memory at once. On PostgreSQL the indexes and
foreign keys of the tables filled that way are set aside while they are empty and built once at the end, in
the same transaction (`core.bulkindexes`): the schema after a run is the migrated one.
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
from django.utils import timezone

from zhaoshang.activities.choices import EventLevel
from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.core import bulkcopy, bulkindexes
from zhaoshang.core.gcpause import gc_paused
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
from zhaoshang.ledger.figures_pause import counted_at_end
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.models import Person, Unit, UnitGroup, User
from zhaoshang.targets.models import Target

from . import vocab
from .activitygen import ActivitiesMixin
from .citygen import CitySpec, person_name, roster, synthesize_city

BATCH = 2000
CHUNK = 5000  # projects built, written and followed up (shares, filings, funds) per round
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
SHARE_RATIOS = [(Decimal(mine), Decimal(theirs)) for mine, theirs in SHARE_SPLITS]
USD_RATE_X100 = 712  # 1 万美元 ≈ 7.12 万元, as an integer ratio so amounts never pass through float
INDICATORS = ("签约金额", "到位资金", "签约项目数", "注册落地项目数", "开工项目数")
OFFICE_INDICATORS = ("推荐考察项目数", "推介活动场次")
# The tables filled by COPY, whose indexes are set aside while they are filled (when empty at the start).
BULK_MODELS = (Project, StageRecord, FundArrival, ProjectShare, Visit, Attendance, Recommendation, Submission, Target)


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
# A 32-bit word's top byte → the digit its top 4 bits give (`_below(bits, 10)` draws `getrandbits(4)`, the top 4
# bits of one word, again while ≥ 10); the bytes of rejected words are deleted.
_TOP_BYTE_DIGIT = bytes(ord(DIGITS[b >> 4]) if b >> 4 < 10 else 0 for b in range(256))
_TOP_BYTE_REJECTED = bytes(b for b in range(256) if b >> 4 >= 10)


def _digits8(bits) -> str:
    """Eight digits exactly as eight `DIGITS[_below(bits, 10)]` would draw them, without a call per word:
    `getrandbits(32·n)` is the next n words, the first in the lowest bits, and their top bytes are mapped in C.
    Only as many words as digits still wanted are drawn each time (each of them would be drawn anyway), so the
    stream goes on from the same place."""
    digits = b""
    need = 8
    while need:
        digits += bits(32 * need).to_bytes(4 * need, "little")[3::4].translate(_TOP_BYTE_DIGIT, _TOP_BYTE_REJECTED)
        need = 8 - len(digits)
    return digits.decode()


# The same for the draws of a 字号 character, `_below(bits, N_BRAND)`: the top 6 bits of a word, again while ≥ N_BRAND.
_TOP_BYTE_BRAND = bytes(b >> 2 if b >> 2 < len(vocab.BRAND_CHARS) else 0 for b in range(256))
_TOP_BYTE_BRAND_REJECTED = bytes(b for b in range(256) if b >> 2 >= len(vocab.BRAND_CHARS))


def _brand_draws(bits, n: int) -> bytes:
    """`n` draws of `_below(bits, len(BRAND_CHARS))`, as bytes, drawn as `_digits8` draws its digits."""
    drawn = b""
    while len(drawn) < n:
        need = n - len(drawn)
        drawn += bits(32 * need).to_bytes(4 * need, "little")[3::4].translate(_TOP_BYTE_BRAND, _TOP_BYTE_BRAND_REJECTED)
    return drawn


def _uscc(rng: random.Random, region: str) -> str:
    bits = rng.getrandbits
    body = "91" + region + _digits8(bits) + CHARSET[_below(bits, len(CHARSET))]
    # check_character(body), with the products summed in C (a tenth of the drawing time at 2M projects)
    total = sum(map(operator.mul, map(USCC_VALUES.__getitem__, body), USCC_WEIGHTS))
    return body + CHARSET[(31 - total % 31) % 31]


DAYS = [dt.timedelta(days=n) for n in range(1100)]  # the gaps drawn (≤ 540 days, a year ≤ 366): made once


def _reserve_ids(model, n: int) -> Sequence[int]:
    """`n` new primary keys of `model`, all at once, before the writer starts (the writer shares the connection).

    On PostgreSQL the sequence is moved past the whole block by one `setval`, instead of a `nextval` per id
    (0.75 s per 100,000 ids, with the writer stalled meanwhile). A row inserted by another session between
    the two calls would take one id of the block: the COPY then fails on the primary key and the whole
    generation rolls back; nothing is half written. Elsewhere `bulkcopy.reserve_ids`."""
    if n <= 0 or connection.vendor != "postgresql":
        return bulkcopy.reserve_ids(model, n)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)",
                       [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s::regclass, nextval(%s::regclass) + %s - 1)", [sequence, sequence, n])
        last = cursor.fetchone()[0]
    return range(last - n + 1, last + 1)


def _whole_rows(model, columns: Sequence[str], now: dt.datetime) -> tuple[tuple[str, ...], tuple]:
    """`columns` followed by the model's other columns (the primary key aside), and those columns' values as
    `bulkcopy` would fill them in (defaults, `now` for the timestamps): rows built whole here go to the COPY as
    they are, instead of being rebuilt one by one to add the same values (a fifth of the writer's time). A
    default made per row leaves the filling to `bulkcopy`."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in columns or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values.append(now)
        elif f.has_default() and callable(f.default):
            return tuple(columns), ()
        else:
            values.append(f.get_default())
        names.append(f.attname)
    return (*columns, *names), tuple(values)


def _wan(cents: int) -> Decimal:
    """An amount held as an integer number of hundredths of 万元 → Decimal 万元 with 4 places."""
    return Decimal(cents * 100).scaleb(-4)  # = Decimal(cents).scaleb(-2).quantize(Decimal("0.0001")), faster


class _Clock:
    """Maps a uniform draw to a date inside a year, never after today."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.spans: dict[int, tuple[dt.date, int]] = {}

    def in_year(self, year: int, u: float) -> dt.date:
        span = self.spans.get(year)
        if span is None:
            start = dt.date(year, 1, 1)
            end = min(dt.date(year, 12, 31), self.today)
            span = self.spans[year] = (start, (end - start).days + 1)
        return span[0] + DAYS[int(u * span[1])]

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
    STAGES_LAST_FIRST = STAGE_FIELDS[::-1]

    def __init__(self, **values) -> None:
        if not _Draft.defaults:
            _Draft.defaults = {f.attname: f.get_default() for f in Project._meta.concrete_fields}
        self.__dict__.update(_Draft.defaults)
        self.__dict__.update(values)

    @classmethod
    def blank(cls) -> _Draft:
        """A draft of defaults only, without the keyword arguments' cost."""
        if not cls.defaults:
            cls()
        draft = cls.__new__(cls)
        draft.__dict__.update(cls.defaults)
        return draft

    def refresh_stage(self) -> None:  # Project.refresh_stage: the last stage with a date
        values = self.__dict__
        for stage, fld in self.STAGES_LAST_FIRST:
            if values[fld] is not None:
                self.stage = stage
                return
        self.stage = Stage.NONE


# Project columns written: all but the auto_now timestamps, which bulkcopy sets.
PROJECT_COLUMNS = [f.attname for f in Project._meta.concrete_fields
                   if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
RECORD_COLUMNS = ("project_id", "stage", "date", "note", "verification", "verified_on")
FUND_COLUMNS = ("project_id", "date", "amount", "kind", "note", "verification", "verified_on")
SHARE_COLUMNS = ("project_id", "unit_id", "ratio")
FILED_DATES = [(stage, STAGE_DATE_FIELD[stage]) for stage in (Stage.SIGNED, *FILED_STAGES)]
# What the drawing of a project looks up, made once: per industry (its section, its chains, their names in order)
INDUSTRY_TABLE = {industry: (section, chains, list(chains)) for industry, (section, chains) in vocab.INDUSTRIES.items()}
PRODUCT_SECTIONS = vocab.PRODUCT_SECTIONS
BRAND_CHARS, N_BRAND = vocab.BRAND_CHARS, len(vocab.BRAND_CHARS)
N_BRANDS = len({a + b for a in BRAND_CHARS for b in BRAND_CHARS})  # different 字号 (a character appears twice)
SUFFIXES, N_SUFFIXES = vocab.COMPANY_SUFFIXES, len(vocab.COMPANY_SUFFIXES)
TEMPLATES, N_TEMPLATES = vocab.PROJECT_TEMPLATES, len(vocab.PROJECT_TEMPLATES)
QTYS = (1, 2, 3, 5, 10, 20, 50)
N_QTYS = len(QTYS)
# Stages after signing: (date field, chance it is reached, shortest gap in days, spread of the gap)
STEPS = (("registered_on", 0.85, 5, 115), ("started_on", 0.75, 10, 190), ("completed_on", 0.55, 150, 390),
         ("producing_on", 0.8, 15, 105))
STEPS_YEAR_END = (("registered_on", 0.95, 5, 75), *STEPS[1:])  # signed in the year's last weeks
VERIFIED_DATES = [(STAGE_VERIFIED_FIELD[stage], fld) for stage, fld in STAGE_DATE_FIELD.items()]
LATE_STAGES = (Stage.COMPLETED, Stage.PRODUCING)
WITH_REASON = (Status.STALLED, Status.TERMINATED, Status.LOST)


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
        # The cyclic garbage collector paused: the registry of investors holds millions of containers, which
        # every full collection walked again (40 % of the drawing time at 300,000 projects, more above), and the
        # drawing makes no reference cycles for it to find (core.gcpause).
        try:
            with gc_paused(), transaction.atomic():
                bulkcopy.tune_transaction()
                self._write_city(city)
                self._write_events()
                # Indexes and foreign keys of the empty tables built once at the end (PostgreSQL): keeping them
                # up to date row by row was half the run at 2,000,000 projects. The ledger's kept figures are
                # likewise counted once from the finished tables, not appended batch by batch and folded.
                with counted_at_end(), bulkindexes.set_aside(BULK_MODELS), bulkcopy.Writer() as self.writer:
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
        self.people_ids = {uid: [p.id for p in mine] for uid, mine in self.people_by_unit.items()}
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
        # Per trade word, the 字号 (brands) of the investors using it: no two companies share both.
        self.marks: dict[str, set[str]] = defaultdict(set)
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
        now = timezone.now()
        project_columns, project_tail = _whole_rows(Project, PROJECT_COLUMNS, now)
        self.record_columns, self.record_tail = _whole_rows(StageRecord, RECORD_COLUMNS, now)
        self.share_columns, self.share_tail = _whole_rows(ProjectShare, SHARE_COLUMNS, now)
        self.writer.idle()
        ids: Iterator[int] = iter(_reserve_ids(Project, total))
        for start in range(0, total, CHUNK):
            batch: list[tuple[_Draft, dict]] = []
            for _ in range(min(CHUNK, total - start)):
                batch.append(self._project(rng, units, cum_unit, year_cum, industries, cum_ind, cum_tier, investors,
                                           uscc_of, seq_by_year, other_units))
            for (p, _), pk in zip(batch, ids, strict=False):  # batch first: no id is taken past its end
                p.id = pk
            self._copy(Project, project_columns, [get(p.__dict__) + project_tail for p, _ in batch], "项目")
            self._follow_up(rng, batch)
            self.bar.step("项目", len(batch))

    def _project(self, rng, units, cum_unit, year_cum, industries, cum_ind, cum_tier, investors, uscc_of,
                 seq_by_year, other_units) -> tuple[_Draft, dict]:
        # `rng.choice(seq)` is `seq[_below(bits, len(seq))]` and `rng.randint(a, b)` is `a + _below(bits, b - a + 1)`:
        # spelled so here (the same draws, a third of the calls); the order of the draws is the ledger's identity.
        r = rng.random
        bits = rng.getrandbits
        unit = units[bisect.bisect_right(cum_unit, r() * cum_unit[-1])]
        uid = unit.id
        year = self.years[min(bisect.bisect_right(year_cum, r() * year_cum[-1]), len(self.years) - 1)]
        focus = self.focus.get(uid)
        if focus and r() < 0.6:  # units hunt mostly in their focus industries (resident offices, task forces)
            industry = focus[int(r() * len(focus))]
        else:
            industry = industries[bisect.bisect_right(cum_ind, r() * cum_ind[-1])]
        industry_section, chains, chain_names = INDUSTRY_TABLE[industry]
        chain = chain_names[_below(bits, len(chain_names))]
        items = chains[chain]
        product, measure = items[_below(bits, len(items))]
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
            brand = BRAND_CHARS[_below(bits, N_BRAND)] + BRAND_CHARS[_below(bits, N_BRAND)]
            words = vocab.INDUSTRY_WORDS[industry]
            word = words[_below(bits, len(words))]
            # Two different companies with the same 字号 and trade word would read as one investor (and be
            # flagged as filed twice): draw another 字号, a few times at most.
            taken = self.marks[word]
            if brand in taken:
                if len(taken) == N_BRANDS:
                    # Every 字号 is taken with this word (past ~100,000 investors, most words): the eight draws
                    # below would all fail, so they are drawn at once, and the last one kept.
                    last = _brand_draws(bits, 16)[-2:]
                    brand = BRAND_CHARS[last[0]] + BRAND_CHARS[last[1]]
                else:
                    for _ in range(8):
                        brand = BRAND_CHARS[_below(bits, N_BRAND)] + BRAND_CHARS[_below(bits, N_BRAND)]
                        if brand not in taken:
                            break
            taken.add(brand)
            if is_foreign:
                inv_name = f"{brand}{word}（{origin}）投资有限公司"
            else:
                prefix = "" if origin == "本地" else origin + ("市" if len(origin) == 2 else "")
                inv_name = f"{prefix}{brand}{word}{SUFFIXES[_below(bits, N_SUFFIXES)]}"
            uscc = uscc_of.get(inv_name)
            if uscc is None:
                uscc = _uscc(rng, region) if r() > 0.03 else ""
                uscc_of[inv_name] = uscc
            known.append((inv_name, uscc, origin, brand, is_foreign, word))
        template = TEMPLATES[_below(bits, N_TEMPLATES)]
        name = template.format(brand=brand, product=product, measure=measure, qty=QTYS[_below(bits, N_QTYS)])

        tier = AMOUNT_TIERS[bisect.bisect_right(cum_tier, r() * cum_tier[-1])]
        wan = int((tier[1] + (tier[2] - tier[1]) * r() ** 1.6) * KIND_SCALE[unit.kind])
        wan = max(100, round(wan, -2) if wan >= 10_000 else round(wan, -1))
        wan = self._another_investment(inv_name, wan)
        signed_c = wan * 100 + (50 if r() < 0.1 else 0)
        planned_c = signed_c * (100 + _below(bits, 51)) // 100

        unsigned = r() < 0.05
        seq_by_year[year] += 1
        code = f"XM{year}{seq_by_year[year]:06d}"
        product_section = PRODUCT_SECTIONS.get(product, industry_section)  # vocab.section_of(industry, product)
        section = _demo_section(code, product_section)
        # The draw for 四力型 is made whenever the industry is manufacturing, as before the sections, so the
        # rest of the ledger is the same; a power station is never a 四力型 manufacturing project.
        four_power = (industry_section == Section.C and signed_c >= 50_000 * 100 and r() < 0.15
                      and product_section == Section.C)
        p = _Draft.blank()
        v = p.__dict__
        v.update(code=code, name=name, investor=inv_name, investor_uscc=uscc,
                 investor_origin="本地" if origin == "本地" else origin, industry=industry, industry_chain=chain,
                 category=section, is_four_power=four_power,
                 is_foreign=is_foreign, planned_investment=_wan(planned_c), lead_unit_id=uid)
        people = self.people_ids[uid]
        v["introducer_id"] = people[int(r() * len(people))]
        if r() < 0.2:
            helper = other_units[int(r() * len(other_units))] if other_units else unit
            if helper.id != uid:
                v["assisting_unit_id"] = helper.id
                hp = self.people_ids[helper.id]
                v["assisting_secretary_id"] = hp[int(r() * len(hp))]
        if is_foreign:
            v["foreign_amount"] = _wan(signed_c * 100 // USD_RATE_X100)
        extra = {"year": year, "unit": unit, "signed_c": signed_c, "share": None, "funds": []}
        if unsigned:
            v["signed_amount"] = Decimal("0.0000")
            v["status"] = status = Status.LOST if r() < 0.2 else Status.NEGOTIATING
            if status == Status.LOST:
                v["status_reason"] = rng.choice(vocab.REASONS["lost"])
            p.refresh_stage()
            return p, extra
        v["signed_amount"] = _wan(signed_c)
        events = self.events_by_year.get(year)
        if events and r() < 0.25:
            event = events[int(r() * len(events))]
            v["signed_at_event_id"], v["signed_on"] = event.id, event.date
        else:
            v["signed_on"] = self.clock.in_year(year, r())
        # Stage dates in order from signing; each later stage is reached with some probability.
        d = signed_on = v["signed_on"]
        today = self.today
        # Signed in the last weeks of the year: the company is registered within the first quarter (a
        # year-end signing with nothing after it is the packaged project the flags look for).
        for fld, prob, lo, width in STEPS_YEAR_END if signed_on.month == 12 and signed_on.day >= 2 else STEPS:
            go, gap = r() < prob, lo + int(width * r())
            if not go:
                break
            d = d + DAYS[gap]
            if d > today:
                break
            v[fld] = d
        registered_on = v["registered_on"]
        if registered_on and uscc and not uscc.startswith(vocab.LOCAL_PREFIX, 2):  # vocab.is_local(uscc[2:8])
            # 注册落地: the project company registered here has its own, local USCC.
            v["investor"], v["investor_uscc"] = self._local_company(inv_name, brand, word, unit)
        for vfld, fld in VERIFIED_DATES:  # every filing is 已认定 on its own date
            v[vfld] = v[fld]
        p.refresh_stage()
        # Status: most advance; stalled, terminated or lost ones carry a reason.
        x = r()
        if p.stage in LATE_STAGES or x < 0.82:
            status = Status.ADVANCING
        elif x < 0.93:
            status = Status.STALLED
        elif x < 0.975:
            status = Status.TERMINATED
        else:
            status = Status.LOST
        v["status"] = status
        if status in WITH_REASON:
            v["status_reason"] = rng.choice(vocab.REASONS[status])
        # Sharing (共享): about one in ten, between the introducing unit and one other.
        if r() < 0.1 and len(self.units) > 1:
            partner = self.units[int(r() * len(self.units))]
            if partner.id == uid:
                partner = self.units[(self.units.index(unit) + 1) % len(self.units)]
            extra["share"] = (partner, SHARE_RATIOS[int(r() * len(SHARE_RATIOS))])
        # Funds in place: after registration (capital) and after starting (fixed assets), never after today.
        if registered_on and (r() < 0.25 or is_foreign):
            cap_c = max(100, signed_c * (5 + _below(bits, 16)) // 100)
            kind = FundKind.FOREIGN if is_foreign else FundKind.REGISTERED_CAPITAL
            extra["funds"].append((registered_on, cap_c, kind))
        started_on = v["started_on"]
        if started_on:
            n = 1 + _below(bits, 4)
            total_c = max(n * 100, signed_c * (15 + _below(bits, 81)) // 100)
            horizon = ((v["completed_on"] or started_on + DAYS[540]) - started_on).days
            days = sorted(int(horizon * r()) for _ in range(n))
            part = total_c // n
            funds = extra["funds"]
            for k, off in enumerate(days):
                day = started_on + DAYS[off]
                amount = part if k < n - 1 else total_c - part * (n - 1)
                if day <= today:
                    funds.append((day, amount, FundKind.FIXED_ASSET if r() < 0.9 else FundKind.OTHER))
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
        record_tail, share_tail = self.record_tail, self.share_tail
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
                records.append((pk, stage, day, IMPORT_NOTE, verified, day, *record_tail))
                if stage == Stage.REGISTERED:
                    counts[(unit.id, day.year, "注册落地项目数")] += 1
                elif stage == Stage.STARTED:
                    counts[(unit.id, day.year, "开工项目数")] += 1
            if extra["share"]:
                partner, (mine, theirs) = extra["share"]
                shares.append((pk, unit.id, mine, *share_tail))
                shares.append((pk, partner.id, theirs, *share_tail))
            for day, cents, kind in extra["funds"]:
                funds.append((pk, day, _wan(cents), kind, IMPORT_NOTE, verified, day))
                self.unit_year_funds[(unit.id, day.year)] += cents
        self._copy(ProjectShare, self.share_columns, shares, "项目共享")
        self._copy(StageRecord, self.record_columns, records, "阶段备案")
        self._copy(FundArrival, FUND_COLUMNS, funds, "到位资金")


def generate(*, seed: int, units: int = 20, projects: int = 600, years: Iterable[int] = DEFAULT_YEARS,
             city: CitySpec | None = None, today: dt.date | None = None, progress: bool = False) -> Summary:
    """Write a synthetic city into an empty database and return what was written."""
    gen = Generator(seed=seed, years=list(years), today=today, progress=progress)
    return gen.run(city=city, units=units, projects=projects)
