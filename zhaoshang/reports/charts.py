"""The bulletin's charts as PNG pictures, drawn with matplotlib (the Agg canvas: no display, no global
pyplot state, safe in a web worker): the completion of the year's indicators against the time schedule and
the units' ranking by signed amount — the cockpit's charts, from the same data (`cockpit.completion` and
`cockpit.ranking`, copied into the bulletin's content so that a published bulletin keeps its charts).

Chinese labels need a CJK font: the first one installed of `CJK_FONTS` (Noto Sans CJK is what .ci/run
installs). Without any, the charts are still drawn (labels in the default font, a warning in the log), and
the document is written all the same."""

from __future__ import annotations

import io
import logging
import warnings
from decimal import Decimal
from functools import cache

logger = logging.getLogger(__name__)
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC",
             "Droid Sans Fallback", "AR PL UMing CN")
RANKING_SHOWN = 20  # units in the ranking chart; the table lists them all
CAP = Decimal(150)  # a completion far above 100 % is drawn to 150 % with its figure, not flattening the others
BLUE, RED, GREY = "#1F4E79", "#C00000", "#7F7F7F"


@cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in CJK_FONTS if n in names), None)
    if found is None:
        found = next((n for n in sorted(names) if "CJK" in n or "Hei" in n or "Song" in n), None)
    if found is None:
        logger.warning("no CJK font found for the bulletin's charts (install fonts-noto-cjk)")
    return found


def _figure(width_in: float, height_in: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=130)
    FigureCanvasAgg(fig)
    return fig


def _png(fig, labels: list[str], size: float) -> bytes:
    """Margins from the longest label (drawn once: no "tight" box, which draws the figure twice)."""
    width_in = fig.get_figwidth()
    longest = max((sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in t) for t in labels), default=4)
    fig.subplots_adjust(left=min(0.45, (longest * size / 72 + 0.25) / width_in), right=0.97, top=0.9,
                        bottom=0.55 / fig.get_figheight() + 0.05)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph … missing from font" when no CJK font is installed
        fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()


def _rc():
    from matplotlib import rc_context

    font = cjk_font()
    rc = {"axes.unicode_minus": False, "font.size": 9}
    if font:
        rc["font.family"] = [font]  # one family (it has the Latin glyphs): no per-text fallback search
    return rc_context(rc)


def completion_png(items: list[dict]) -> bytes | None:
    """Each indicator with a target: its completion rate as a bar (capped at 150 %, the figure written on it),
    the time schedule as a dashed line; behind schedule in red. None when no indicator has a target."""
    shown = [i for i in items if i.get("rate") is not None]
    if not shown:
        return None
    with _rc():
        fig = _figure(6.2, 0.55 * len(shown) + 1.2)
        ax = fig.add_subplot()
        rates = [Decimal(i["rate"]) for i in shown]
        ys = list(range(len(shown)))[::-1]
        bars = [float(min(r, CAP)) for r in rates]
        colors = [RED if i["behind"] else BLUE for i in shown]
        ax.barh(ys, bars, color=colors, height=0.55)
        schedule = float(Decimal(shown[0]["schedule"]))
        ax.axvline(schedule, color=GREY, linestyle="--", linewidth=1)
        ax.text(schedule, len(shown) - 0.45, f"时序进度{schedule:.2f}%", ha="center", va="bottom", color=GREY,
                fontsize=8)
        for y, r, b, i in zip(ys, rates, bars, shown, strict=True):
            ax.text(b + 1.5, y, f"{r:.2f}%" + ("（超出坐标）" if r > CAP else "") + f"  {i['value_text']}",
                    va="center", fontsize=8)
        ax.set_yticks(ys, [i["label"] for i in shown])
        ax.set_xlim(0, float(CAP) + 45)
        ax.set_xticks([0, 25, 50, 75, 100, 125, 150], ["0%", "25%", "50%", "75%", "100%", "125%", "150%"])
        ax.set_xlabel("完成率（%）")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig, [i["label"] for i in shown], 9)


def ranking_png(groups: list[dict]) -> bytes | None:
    """The units ranked by completion of their 签约金额 target, then amount (the cockpit's order): each bar the
    signed amount in 万元, its rate at the end; the first `RANKING_SHOWN` across the run's groups."""
    rows = [{**u, "group": g["group"]} for g in groups for u in g["units"]]
    if not rows:
        return None
    rows.sort(key=lambda r: (-(Decimal(r["rate"]) if r["rate"] else Decimal(-1)), -Decimal(r["value"]), r["code"]))
    rows = rows[:RANKING_SHOWN]
    with _rc():
        fig = _figure(6.2, 0.32 * len(rows) + 1.2)
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        values = [float(Decimal(r["value"])) for r in rows]
        ax.barh(ys, values, color=[RED if r["behind"] else BLUE for r in rows], height=0.6)
        top = max(values + [1.0])
        for y, v, r in zip(ys, values, rows, strict=True):
            rate = f"（{Decimal(r['rate']):.2f}%）" if r["rate"] else ""
            ax.text(v + top * 0.01, y, f"{Decimal(r['value']):,.2f}{rate}", va="center", fontsize=7)
        ax.set_yticks(ys, [r["unit"] for r in rows], fontsize=8)
        ax.set_xlim(0, top * 1.45)
        ax.set_xlabel("签约金额（万元），括号内为签约目标完成率")
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:,.0f}")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig, [r["unit"] for r in rows], 8)
