"""The activities behind the ledger, for the generator: leaders' visits, recommendations, monthly
submissions, resident-office attendance and annual targets. A mixin of `generator.Generator`, split out to keep
files small; it reads the units, people and per-unit tallies the generator has built by then."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from zhaoshang.activities.choices import RecommendTarget
from zhaoshang.activities.models import Attendance, Recommendation, Submission, Visit
from zhaoshang.core.periods import SHANGHAI, month_end
from zhaoshang.ledger.choices import Section
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.targets.models import Target

VISIT_MATTERS = ["项目对接洽谈", "走访了解投资意向", "协调解决项目落地问题", "对接产业链配套需求", "回访已签约项目进展"]


def aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _visit_section(key: tuple, section: str) -> str:
    """The visited enterprise's 行业门类 as the ledger has it: about one visit in eight still 待归类 (recorded
    before visits had a section), chosen by a checksum so the random stream is untouched."""
    day, unit_id, leader_id, enterprise = key
    return "" if zlib.crc32(f"{day}{unit_id}{leader_id}{enterprise}".encode()) % 8 == 0 else section


class ActivitiesMixin:
    # -- visits, recommendations, submissions, attendance --
    def _write_activities(self) -> None:
        self.bar.step("走访与报送")
        rng = self.rng("activities")
        enterprises = self.enterprises or ["某某科技有限公司"]
        sections = getattr(self, "enterprise_section", {})
        # Leaders visit manufacturing enterprises mostly (Zhengzhou's 一把手工程 counts those): each is four
        # times as likely as another, with the same one draw per visit.
        mfg = [e for e in enterprises if sections.get(e) == Section.C]
        visited = mfg * 4 + [e for e in enterprises if sections.get(e) != Section.C] if mfg else enterprises
        visits, recs, subs = [], [], []
        seen: set[tuple] = set()
        for unit in self.units:
            leaders = self._leaders(unit)
            for year in self.years:
                # Leaders' visits: Zhengzhou asks 一把手 ≥4 and 分管领导 ≥8 a year; some fall short.
                for leader in leaders:
                    quota = 4 if leader.role == PersonRole.PARTY_GOV_HEAD else 8
                    n = max(0, quota + rng.randint(-3, 4))
                    for _ in range(n):
                        day = self.clock.in_year(year, rng.random())
                        ent = visited[int(rng.random() * len(visited))]
                        key = (day, unit.pk, leader.pk, ent)
                        if key in seen:
                            continue
                        seen.add(key)
                        visits.append((day, unit.pk, leader.pk, ent, _visit_section(key, sections.get(ent, "")),
                                       rng.choice(VISIT_MATTERS)))
                # Recommendations to city leaders: Bole asks each office for 30 a year (10 main, 20 division).
                n_recs = rng.randint(22, 36) if unit.kind == UnitKind.RESIDENT_OFFICE else rng.randint(0, 6)
                own = self.project_index.get((unit.pk, year), [])
                for _ in range(n_recs):
                    project_id = own[int(rng.random() * len(own))] if own and rng.random() < 0.5 else None
                    recs.append((
                        self.clock.in_year(year, rng.random()), unit.pk, project_id,
                        enterprises[int(rng.random() * len(enterprises))],
                        RecommendTarget.MAIN if rng.random() < 0.35 else RecommendTarget.DIVISION))
                # Monthly ledger submissions, due on the 5th of the next month: most on time, some late, a few missing.
                for month in range(1, 13):
                    due = month_end(year, month) + dt.timedelta(days=5)
                    if month_end(year, month) >= self.today:
                        break
                    x = rng.random()
                    if x < 0.86:
                        sent = due - dt.timedelta(days=rng.randint(0, 4))
                    elif x < 0.96:
                        sent = due + dt.timedelta(days=rng.randint(1, 15))
                    else:
                        sent = None
                    if sent is not None and sent > self.today:
                        sent = None
                    subs.append((unit.pk, f"{year}-{month:02d}", due,
                                 aware(sent, 9 + rng.randint(0, 8), rng.randint(0, 59)) if sent else None))
        self._copy(Visit, ("date", "unit_id", "leader_id", "enterprise", "industry", "matter"), visits, "走访对接")
        self._copy(Recommendation, ("date", "unit_id", "project_id", "enterprise", "target"), recs, "推荐考察")
        self._copy(Submission, ("unit_id", "period", "due_date", "submitted_at"), subs, "台账报送")
        self._write_attendance(rng)

    def _write_attendance(self, rng: random.Random) -> None:
        """Resident-office staff: on station ≥26 days a month, with a 12-day rotation each quarter (Bole)."""
        rows: list[tuple] = []
        for office in self.offices:
            for person in self.people_by_unit[office.pk]:
                if person.role == PersonRole.DIVISION_LEADER:
                    continue  # the lead leader stays at home
                for year in self.years:
                    for month in range(1, 13):
                        first = dt.date(year, month, 1)
                        if first > self.today:
                            break
                        last = min(month_end(year, month), self.today)
                        days = (last - first).days + 1
                        off = set()
                        if month % 3 == 0:  # rotation at the end of each quarter
                            begin = rng.randint(0, max(0, days - 12))
                            off.update(range(begin, min(days, begin + 12)))
                        else:
                            off.update(rng.sample(range(days), min(days, rng.choice([0, 1, 2, 2, 3, 4, 6]))))
                        rows.extend((person.pk, first + dt.timedelta(days=i), i not in off) for i in range(days))
        self._copy(Attendance, ("person_id", "date", "on_station"), rows, "出勤")

    # -- targets --
    def _write_targets(self) -> None:
        """Targets near what each unit achieves (×0.8–1.3 of a full year), so some units complete and some
        do not. Resident offices get the Bole targets: 10亿元 signed, 10 landed, 3亿元 in place (Beijing 1亿)."""
        self.bar.step("目标")
        rng = self.rng("targets")
        rows: list[tuple] = []
        for unit in self.units:
            for year in self.years:
                if unit.kind == UnitKind.RESIDENT_OFFICE:
                    funds = 10_000 if "北京" in unit.name else 30_000
                    values = {"签约金额": 100_000, "到位资金": funds, "签约项目数": 12, "注册落地项目数": 10,
                              "开工项目数": 6, "推荐考察项目数": 30, "推介活动场次": 2}
                else:
                    weight = self.clock.year_weight(year) or 1.0
                    signed = self.unit_year_signed.get((unit.pk, year), 0) / 100 / weight
                    funds = self.unit_year_funds.get((unit.pk, year), 0) / 100 / weight
                    values = {
                        "签约金额": signed, "到位资金": funds,
                        "签约项目数": self.unit_year_counts.get((unit.pk, year, "签约项目数"), 0) / weight,
                        "注册落地项目数": self.unit_year_counts.get((unit.pk, year, "注册落地项目数"), 0) / weight,
                        "开工项目数": self.unit_year_counts.get((unit.pk, year, "开工项目数"), 0) / weight,
                    }
                for indicator, achieved in values.items():
                    factor = rng.randint(80, 130) / 100
                    if indicator in ("签约金额", "到位资金"):
                        value = max(1000, round(achieved * factor / 1000) * 1000)  # whole 千万元
                    else:
                        value = max(1, round(achieved * factor))
                    if unit.kind == UnitKind.RESIDENT_OFFICE:
                        value = achieved
                    rows.append((unit.pk, year, indicator, Decimal(int(value))))
        self._copy(Target, ("unit_id", "year", "indicator", "value"), rows, "目标")
