"""What the preset schemes need from the demo city beyond the ledger: the named groupings (分组口径) that
put a unit in different groups under different assessments, and targets for the indicators the generator
does not set (Huaiyin's 新招引 … 投产, Laiwu's 外资 and 过亿元项目).

Targets are set near what each subject achieves in the year (×0.8–1.3, as the generator does for its own
indicators), measured by the scheme's own measure for the item, so some units complete and some do not;
the year under way is scaled up to a whole year. Rows are bulk-written like the rest of the demo (no
history rows): a city's data brought in from an old system.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from zhaoshang.assessment.engine.measures import MEASURES
from zhaoshang.assessment.engine.run import measure_inputs
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.core.periods import parse_period
from zhaoshang.core.periods import today as shanghai_today
from zhaoshang.orgs.models import Grouping, GroupMembership, Unit, UnitGroup
from zhaoshang.targets.models import Target

from .citygen import CitySpec

# Presets whose targets the demo sets here (the others use the generator's indicators only).
TARGETED_PRESETS = ("huaiyin-2020", "laiwu-2019")
# Targets a document does not give a group: Laiwu assigns 过亿元项目 to the districts and zones only, so
# a 市直部门 has none and the item does not apply to it (missing_target = "skip").
NO_TARGET = {("laiwu-2019", "过亿元项目"): {"市直部门"}}


def write_groupings(city: CitySpec) -> int:
    """The city's named groupings and their memberships; returns the number of memberships."""
    if not city.groupings:
        return 0
    groups = dict(UnitGroup.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    groupings = Grouping.objects.bulk_create([Grouping(name=name) for name in city.groupings])
    rows = [
        GroupMembership(grouping=grouping, unit_id=units[code], group_id=groups[group])
        for grouping in groupings
        for code, group in city.groupings[grouping.name].items()
    ]
    GroupMembership.objects.bulk_create(rows)
    return len(rows)


def _year_share(year: int, today: dt.date) -> Decimal:
    """The share of `year` that has passed (1 for a past year), to turn a year-to-date figure into a year's."""
    if year < today.year:
        return Decimal(1)
    return Decimal(today.timetuple().tm_yday) / Decimal(365)


def _round(value: Decimal, display: str) -> Decimal:
    """A target as an office sets it: counts whole and at least 1; amounts in whole 千万元 (1000万元), or
    whole 百万美元 for foreign capital, and at least one step."""
    if display == "count":
        return max(Decimal(1), value.to_integral_value(ROUND_CEILING))
    step = Decimal(100) if display == "usd" else Decimal(1000)
    return max(step, (value / step).to_integral_value(ROUND_HALF_UP) * step)


def write_preset_targets(*, seed: int, years, today: dt.date | None = None) -> int:
    """Targets for the targeted presets' indicators that no unit has yet; returns how many were written."""
    today = today or shanghai_today()
    rng = random.Random(f"zhaoshang:{seed}:preset-targets")
    have = set(Target.objects.values_list("unit_id", "year", "indicator"))
    rows: list[Target] = []
    for key in TARGETED_PRESETS:
        scheme = load_preset(key)
        items = [i for i in scheme.items if i.target and i.value]
        for year in sorted(y for y in years if y <= today.year):
            period = parse_period(str(year))
            subjects, _conflicts, _excluded = measure_inputs(scheme, period, period.end)
            share = _year_share(year, today)
            for s in subjects:
                for item in items:
                    if (s.id, year, item.target) in have or s.group in NO_TARGET.get((key, item.target), ()):
                        continue
                    spec = scheme.values[item.value]
                    achieved = s.values.get(item.value, Decimal(0)) / share
                    factor = Decimal(rng.randint(80, 130)) / 100
                    value = _round(achieved * factor, MEASURES[spec.measure].display_for(spec.params))
                    rows.append(Target(unit_id=s.id, year=year, indicator=item.target, value=value))
                    have.add((s.id, year, item.target))
    Target.objects.bulk_create(rows)
    return len(rows)
