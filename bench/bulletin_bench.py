#!/usr/bin/env python
"""Bulletin .docx writing benchmark (issue 12) — not a test: prints figures against a baseline in the same run.

    .venv/bin/python bench/bulletin_bench.py [--units 3000] [--base-units 150] [--reps 3]
        [--database-url …]   (accepted like every script in bench/; the writer reads no database)

The content of a bulletin (ranking table of --units units with every scheme item's columns, 30 key projects,
the charts' data) is made up in memory, so that only the writing is timed:

* **new**: `write_bulletin` as it is — styles set once, each table written as one XML fragment with its
  widths measured from the text, the two charts drawn with matplotlib;
* **old**: the same ranking table written the way the bulletin did before (python-docx `_Cell` per cell,
  fonts set run by run, `Table.cell()` for the header merges) — the approach issue 12 measured at 28.5 s for
  3,000 units on the province database.

Goals (issue 12): ≤ 5 s for 3,000 units, ≤ 1 s for 150. Results: bench/out/bulletin_bench.json. The machine's
load average is printed with the figures (the two charts take about half a second on a quiet machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
GOALS = {"scaled": 5.0, "base": 1.0}


def setup(database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{OUT / 'bulletin_bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def content(units: int) -> dict:
    """A bulletin's content for `units` units in 10 groups: two indicators with targets (4 columns each),
    two items without (a column each), 总分, 排名, 等次."""
    from zhaoshang.reports.content import wan

    head1 = [{"text": "单位", "rowspan": 2}, {"text": "签约资金完成情况（万元）", "colspan": 4},
             {"text": "到位资金完成情况（万元）", "colspan": 4}, {"text": "签约项目开工率得分", "rowspan": 2},
             {"text": "日常工作考核得分", "rowspan": 2}, {"text": "总分", "rowspan": 2},
             {"text": "排名", "rowspan": 2}, {"text": "等次", "rowspan": 2}]
    head2 = ["目标", "完成", "完成率", "得分"] * 2
    tables = []
    per = max(units // 10, 1)
    for g in range(0, units, per):
        rows = []
        for n in range(g, min(g + per, units)):
            target, value = Decimal(100000 + n * 37), Decimal(42000 + n * 13) + Decimal("0.5")
            rows.append([f"第{n + 1}号招商单位", wan(target), wan(value), f"{value / target * 100:.2f}%", "42.00",
                         wan(target / 3), wan(value / 3), f"{value / target * 100:.2f}%", "25.20", "10.00", "9.50",
                         "86.70", str(n - g + 1), "合格"])
        tables.append({"group": f"第{len(tables) + 1}组", "head1": head1, "head2": head2, "rows": rows, "notes": []})
    ranking = [{"group": t["group"], "units": [
        {"unit": r[0], "code": f"U{i:05d}", "value": r[2].replace(",", ""), "target": r[1].replace(",", ""),
         "rate": r[3][:-1], "behind": False} for i, r in enumerate(t["rows"])]} for t in tables]
    completion = [{"key": k, "label": label, "unit": "万元", "value": "94000.5", "value_text": "94,000.5万元",
                   "target": "330000", "target_text": "330,000万元", "rate": rate, "schedule": "24.86",
                   "behind": Decimal(rate) < Decimal("24.86")}
                  for k, label, rate in (("signed", "签约金额", "28.49"), ("funds", "到位资金", "16.11"))]
    key = [[str(n), f"第{n}号重点产业项目（一期工程）", f"第{n}号招商单位", wan(Decimal(123456 - n * 1000)),
            "2024-03-18", "签约", "新能源"] for n in range(1, 31)]
    return {
        "kind": "quarterly", "run": {"published": True, "period_label": "2024年第一季度"},
        "issuer": "郑州市招商引资工作领导小组办公室", "doc_no": "郑招考〔2025〕3号",
        "title": "关于2024年第一季度全市招商引资工作情况的通报", "main_to": "各县（市、区）、开发区，市直有关单位",
        "copy_to": ["市委、市人大常委会、市政府、市政协领导"], "date": "2025年4月10日",
        "intro": "根据考核方案，现将2024年第一季度全市招商引资工作情况通报如下。", "basis": "",
        "overview": ["2024年第一季度，全市新签约项目5个。"], "tables": tables, "lists": {"red": [], "black": []},
        "facts": None, "honours": None, "problems": [{"heading": "未发现突出问题", "lines": ["无。"]}],
        "requirements": ["（一）对标目标抓进度。各地要对照年度目标任务。"], "key_projects": key,
        "charts": {"completion": completion, "ranking": ranking, "as_of": "2024年3月31日"},
    }


def old_table(doc, head1, head2, rows) -> None:
    """The ranking table as the bulletin wrote it before issue 12 (kept here as the baseline)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.shared import Pt
    from docx.table import _Cell

    from zhaoshang.core import docx_layout as L

    ncols = sum(c.get("colspan", 1) for c in head1)
    t = doc.add_table(rows=2 + len(rows), cols=ncols)
    trs = t._tbl.tr_lst

    def write(cell, text, font):
        p = cell.paragraphs[0]
        if p.runs:
            return
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.first_line_indent = Pt(0)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        L.set_font(p.add_run(str(text)), font, Pt(7))

    col, sub, merges = 0, 0, []
    for h in head1:
        span = h.get("colspan", 1)
        write(_Cell(trs[0].tc_lst[col], t), h["text"], L.HEITI)
        if span > 1:
            for k in range(span):
                write(_Cell(trs[1].tc_lst[col + k], t), head2[sub], L.HEITI)
                sub += 1
            merges.append(((0, col), (0, col + span - 1)))
        else:
            merges.append(((0, col), (1, col)))
        col += span
    for r, row in enumerate(rows, 2):
        tcs = trs[r].tc_lst
        for c, value in enumerate(row):
            write(_Cell(tcs[c], t), value, L.FANGSONG)
    for (r1, c1), (r2, c2) in reversed(merges):
        t.cell(r1, c1).merge(t.cell(r2, c2))
    for tr in trs[:2]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def timed(fn, reps: int) -> float:
    fn()  # warm-up (imports, matplotlib's font cache)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def measure(units: int, reps: int, tmp: Path) -> dict:
    from zhaoshang.core import docx_layout as L
    from zhaoshang.reports.bulletin import write_bulletin

    c = content(units)
    rows = [r for t in c["tables"] for r in t["rows"]]
    t = c["tables"][0]

    def new_table():
        doc = L.new_document(spliced=True)
        L.table(doc, t["head1"], t["head2"], rows)
        L.save(doc, tmp / f"new_table_{units}.docx")

    def old():
        doc = L.new_document()
        old_table(doc, t["head1"], t["head2"], rows)
        doc.save(tmp / f"old_table_{units}.docx")

    return {
        "units": units,
        "bulletin_docx_s": timed(lambda: write_bulletin(c, tmp / f"b_{units}.docx"), reps),
        "table_new_s": timed(new_table, reps),
        "table_old_s": timed(old, 1 if units > 1000 else reps),
        "docx_kb": round((tmp / f"b_{units}.docx").stat().st_size / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--base-units", type=int, default=150)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    setup(args.database_url)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        base = measure(args.base_units, args.reps, tmp)
        big = measure(args.units, args.reps, tmp)
    for r, goal in ((base, GOALS["base"]), (big, GOALS["scaled"])):
        ok = "ok" if r["bulletin_docx_s"] <= goal else "OVER"
        print(f"bulletin .docx, {r['units']} units: {r['bulletin_docx_s']} s (goal ≤ {goal} s: {ok}); ranking table "
              f"alone {r['table_new_s']} s, the old per-cell way {r['table_old_s']} s "
              f"({r['table_old_s'] / max(r['table_new_s'], 0.001):.0f}×); {r['docx_kb']} KB")
    print(f"growth {args.base_units} → {args.units} units: {big['bulletin_docx_s'] / base['bulletin_docx_s']:.1f}×; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    (OUT / "bulletin_bench.json").write_text(json.dumps({"base": base, "scaled": big}, indent=2))


if __name__ == "__main__":
    main()
