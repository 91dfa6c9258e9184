"""Which results of a run earn which award of the catalogue: top N per group, a grade, a threshold on the
total or on one item (its points or its measured value). Pure functions over a run's result rows (the
stored JSON, or a rescore's `result_json`), so that the clawback can ask the same question of a re-run."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.core.money import format_number

from .choices import AwardKind, AwardRule, ThresholdOn


@dataclass
class Earned:
    item: object  # AwardItem
    row: dict  # the result row (result_json shape)
    basis: str  # why, in Chinese


def subject_type_of(item) -> str:
    return "person" if item.kind == AwardKind.INDIVIDUAL else "unit"


def applies_to_run(item, run) -> bool:
    """The award draws on this run: its scheme is named and its subjects are of the right kind."""
    if item.rule == AwardRule.MANUAL or run.scheme_key not in item.schemes:
        return False
    rows = run.results.get("results", [])
    return not rows or rows[0]["subject"]["type"] == subject_type_of(item)


def _d(v) -> Decimal | None:
    return None if v in (None, "") else Decimal(str(v))


def _item_row(row: dict, key: str) -> dict | None:
    return next((i for i in row.get("items", []) if i["key"] == key), None)


def threshold_value(item, row: dict) -> Decimal | None:
    if item.threshold_on == ThresholdOn.TOTAL:
        return _d(row["total"])
    found = _item_row(row, item.threshold_item)
    if found is None:
        return None
    return _d(found["points"] if item.threshold_on == ThresholdOn.ITEM_POINTS else found["value"])


def why(item, row: dict) -> str | None:
    """The Chinese reason this row earns the award, or None when it does not."""
    if row.get("vetoed"):
        return None
    group = row.get("group") or "全部"
    if item.rule == AwardRule.TOP_N:
        rank = row.get("rank")
        if rank and item.count and rank <= item.count:
            return f"{group}组第{rank}名（总得分{_d(row['total'])}分，前{item.count}名获奖）"
        return None
    if item.rule == AwardRule.GRADE:
        if item.grade and row.get("grade") == item.grade:
            return f"考核等次为“{item.grade}”（总得分{_d(row['total'])}分）"
        return None
    if item.rule == AwardRule.HONOUR:
        # the scheme's own [honours] (e.g. 先进个人 top 10 with its tie-breakers); `grade` names one, or any
        honours, pending = row.get("honours") or [], row.get("honours_pending") or []
        name = item.grade or (honours + pending or [""])[0]
        if name and name in honours:
            return f"方案评定为“{name}”（总得分{_d(row['total'])}分，第{row.get('rank')}名）"
        if name and name in pending:  # tied at the boundary: the three offices' review decides
            return (f"方案评定“{name}”名额并列待定（总得分{_d(row['total'])}分，第{row.get('rank')}名；"
                    f"{row.get('honours_note') or '并列'}），由三方审核确定")
        return None
    if item.rule == AwardRule.THRESHOLD:
        value = threshold_value(item, row)
        if value is None or item.threshold is None or value < item.threshold:
            return None
        what = "总得分" if item.threshold_on == ThresholdOn.TOTAL else (
            f"“{(_item_row(row, item.threshold_item) or {}).get('name', item.threshold_item)}”"
            + ("得分" if item.threshold_on == ThresholdOn.ITEM_POINTS else "完成值"))
        return f"{what}{format_number(value)}，达到门槛{format_number(item.threshold)}"
    return None


def earned(items, run, rows: list[dict] | None = None) -> list[Earned]:
    """Every (award, result row) the run earns, in catalogue order then rank."""
    rows = run.results.get("results", []) if rows is None else rows
    out = []
    for item in items:
        if not applies_to_run(item, run):
            continue
        for row in sorted(rows, key=lambda r: (r.get("group") or "", r.get("rank") or 10**9)):
            text = why(item, row)
            if text:
                out.append(Earned(item, row, text))
    return out


def subject_key(row_or_type, subject_id: int | None = None) -> str:
    if isinstance(row_or_type, dict):
        return f"{row_or_type['subject']['type']}:{row_or_type['subject']['id']}"
    return f"{row_or_type}:{subject_id}"
