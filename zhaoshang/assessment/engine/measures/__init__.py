"""The fixed vocabulary of measures: named aggregates computed per subject by SQL (GROUP BY unit or
person), for a window (period start → the earlier of period end and the as-of date).

Common rules, applied by every measure over projects:
- records count by their own business date (signing, stage, arrival, visit, due dates), never by
  when they were entered; dates after the as-of date are ignored;
- what counts follows the scheme's `basis` (carried by the window): under "verified" a stage counts
  only when its filing is 已认定 with a verification date on or before the as-of date, and a fund
  arrival only when it is 已认定 likewise (a stage condition such as ``started_by_end`` too); under
  "filed" everything filed counts. Visits, submissions, people and adjustments are not verified facts
  and count the same under both;
- projects with status 终止 do not count;
- a unit holds a project whole when it has no shares, otherwise each share unit holds its ratio:
  amounts and counts are multiplied by the ratio (``weighted = false`` counts a held project as 1);
- a size test (``min_amount`` / ``max_amount``, 万元, min inclusive, max exclusive) uses the whole
  signed amount; ``uplift = true`` counts a 四力型 project of 50000–99999 as 100000 and of
  100000–199999 as 200000 (Zhengzhou);
- a person holds the projects they introduced (引资人), whole.

New measures are added in the module of their domain and named in `registry`, with a docstring and a
test; a scheme can only name what the registry holds.

The vocabulary is split by what it counts: `projects`, `funds`, `activities` (submissions, visits,
leaders), `adjustments` (adjustments, veto, unit kind),
`integrity` (spot-check findings); `registry` names them for the schemes and
`base` holds the window and the parameter types. This package is the engine's interface to them.
"""

from .base import GROUP_PARAMS, PARAM_TYPES, VETO_ITEM, MeasureDef, Rider, Window
from .projects import conflicting_projects
from .registry import MEASURES, compute, compute_many, rows

__all__ = [
    "GROUP_PARAMS",
    "MEASURES",
    "PARAM_TYPES",
    "VETO_ITEM",
    "MeasureDef",
    "Rider",
    "Window",
    "compute",
    "compute_many",
    "conflicting_projects",
    "rows",
]
