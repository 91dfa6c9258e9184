"""The rows behind a subject's numbers, named as an official reads them: projects by code and name,
fund arrivals by date, project and amount, visits by date and enterprise (待归类 where the enterprise
has no 行业门类 yet), the month of a missing or late report, people by name and post, adjustments by
item, points and reason. Never a database id in the words; the page lists ten and folds the rest.

Built from `engine.run.rows_behind` (the ids found with the run's own filters and window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from zhaoshang.activities.models import Submission, Visit
from zhaoshang.ledger.models import FundArrival, Project
from zhaoshang.orgs.models import Person

from .engine import run as engine
from .engine import wording
from .engine.explain import fmt, num
from .engine.scheme import Item, Scheme
from .models import Adjustment

SHOWN = 10  # rows listed before "共N项，展开"
KIND_ORDER = ("projects", "funds", "visits", "submissions", "people", "adjustments")


@dataclass
class Row:
    kind: str  # project | fund | visit | submission | person | adjustment
    text: str
    id: int
    code: str = ""  # the project's code, where the row is a project's
    url: str = ""  # the project page
    sign: int = 0  # an adjustment: +1 加分, −1 减分

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "code": self.code, "text": self.text}


@dataclass
class Behind:
    """One named value of an item: its label, its number as read, and the rows that make it."""

    name: str
    label: str
    value: str
    rows: list[Row] = field(default_factory=list)
    listed: bool = True  # False for a value with no rows behind it (是否开发区: a property of the unit)

    @property
    def shown(self) -> list[Row]:
        return self.rows[:SHOWN]

    @property
    def more(self) -> list[Row]:
        return self.rows[SHOWN:]

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "value": self.value,
            "count": len(self.rows),
            "rows": [r.as_json() for r in self.rows],
        }


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def name_rows(ids: dict[str, list[int]]) -> list[Row]:
    """The rows of one value, each said in words, in a stable order (by kind, then date or code)."""
    out: list[Row] = []
    if ids.get("funds"):
        for f in (
            FundArrival.objects.filter(id__in=ids["funds"])
            .select_related("project")
            .order_by("date", "project__code", "id")
        ):
            text = f"{f.date:%Y-%m-%d} {f.project.code} {f.project.name} {fmt(f.amount, 'money', '万元')}"
            out.append(Row("fund", text, f.id, f.project.code, reverse("ledger:project_detail", args=[f.project_id])))
    elif ids.get("projects"):  # arrivals name their projects already
        for p in Project.objects.filter(id__in=ids["projects"]).only("id", "code", "name").order_by("code"):
            url = reverse("ledger:project_detail", args=[p.id])
            out.append(Row("project", f"{p.code} {p.name}", p.id, p.code, url))
    if ids.get("visits"):
        unclassified = set(ids.get("visits_unclassified") or ())
        for v in Visit.objects.filter(id__in=ids["visits"]).select_related("leader").order_by("date", "id"):
            mark = "（待归类）" if v.id in unclassified else ""
            out.append(Row("visit", f"{v.date:%Y-%m-%d} {v.leader.name}带队走访{v.enterprise}{mark}", v.id))
    if ids.get("submissions"):
        for s in Submission.objects.filter(id__in=ids["submissions"]).order_by("period"):
            how = (
                f"迟报（{s.submitted_at:%Y-%m-%d}报送，截止{s.due_date:%Y-%m-%d}）"
                if s.submitted_at
                else f"未报（截止{s.due_date:%Y-%m-%d}）"
            )
            out.append(Row("submission", f"{_month(s.period)}台账{how}", s.id))
    if ids.get("people"):
        for p in Person.objects.filter(id__in=ids["people"]).order_by("staff_no"):
            post = p.title or wording.choice_words("role", p.role)
            out.append(Row("person", f"{p.name}（{post}）", p.id))
    if ids.get("adjustments"):
        for a in Adjustment.objects.filter(id__in=ids["adjustments"]).order_by("-points", "id"):
            sign = 1 if a.points > 0 else -1 if a.points < 0 else 0
            how = f"加{num(a.points)}分" if sign > 0 else f"扣{num(-a.points)}分" if sign < 0 else "0分"
            out.append(Row("adjustment", f"{a.item}{how}（{a.reason}）", a.id, sign=sign))
    known = {"funds", "projects", "visits", "visits_unclassified", "submissions", "people", "adjustments"}
    for kind, rows in ids.items():
        if kind not in known and rows:
            out.append(Row("other", f"其他记录{len(rows)}条", 0))
    return out


def value_names(item: Item) -> list[str]:
    """The named values an item reads, in the order its rule or formula uses them."""
    names = wording.formula_names_in_order(item.formula) if item.formula is not None else []
    names += [n for n in (item.value, item.add) if n]
    # and those its sentence mentions (党政主要负责人2人 … lists the two by name)
    return list(dict.fromkeys(names + wording.template_names(item.explain)))


def subject_behind(run, scheme: Scheme, result: dict, subject_id: int) -> dict[str, list[Behind]]:
    """Item key → the values behind its points, each with its rows named."""
    ids = engine.rows_behind(run, subject_id)
    group_params = scheme.group_params.get(result.get("group", ""), {})
    inputs = next((d for d in run.results.get("inputs", []) if d["id"] == subject_id), {})
    out: dict[str, list[Behind]] = {}
    cache: dict[str, list[Row]] = {}
    for item in scheme.items:
        entries = []
        for name in value_names(item):
            spec = scheme.values.get(name)
            if spec is None:
                continue
            if name not in cache:
                cache[name] = name_rows(ids.get(name, {}))
            raw = inputs.get("values", {}).get(name)
            value = wording.value_text(Decimal(raw), spec.display(), spec.measure) if raw is not None else "—"
            listed = spec.measure not in wording.FLAG_MEASURES
            entries.append(Behind(name, spec.label_for(group_params), value, cache[name], listed))
        out[item.key] = entries
    return out


def split_signs(item: Item, behind: list[Behind]) -> tuple[list[Row], list[Row]] | None:
    """For a 逐项加减 item on a base score (base ± per counted row ± adjustments): its rows as (减分项,
    加分项); None for other items."""
    if item.rule != "per_item" or not item.opts["base"]:
        return None
    minus: list[Row] = []
    plus: list[Row] = []
    for b in behind:
        for r in b.rows:
            if r.kind == "adjustment":
                (plus if r.sign > 0 else minus).append(r)
            else:
                (minus if item.opts["per"] < 0 else plus).append(r)
    return minus, plus
