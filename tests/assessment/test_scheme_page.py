"""The scheme page tells an office, item by item and in Chinese, how a quarter or month run scores each item
(期中考核: 按序时进度 / 按实计 / 年度考核时计分), which items do not apply to a subject without a target (the
total rescaled), and how the honours are named and a tie at their boundary broken."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhaoshang.assessment.engine.scheme import INTERIM, RULES, load_preset, preset_keys, preset_text
from zhaoshang.assessment.engine.store import scheme_save

pytestmark = pytest.mark.django_db


def page(client, key: str) -> str:
    return client.get(reverse("assessment:scheme_detail", args=[key])).content.decode()


def item_rows(html: str) -> list[str]:
    table = html[html.index('id="scheme-items"') : html.index("</table>")]
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], flags=re.S)


def by_name(html: str) -> dict[str, str]:
    """Item rows by the item's name (the first cell, without its 本地细则 badge)."""
    return {re.sub(r"<[^>]+>", "", r.split("</td>")[0]).split()[0]: r for r in item_rows(html)}


def cell(row: str, css: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(rf'<td class="[^"]*\b{css}\b[^"]*"[^>]*>(.*?)</td>', row, re.S)[1])


@pytest.mark.parametrize("key", preset_keys())
def test_every_item_shows_its_interim_behaviour_in_chinese(client, assessor, key):
    client.force_login(assessor)
    html = page(client, key)
    scheme = load_preset(key)
    rows = item_rows(html)
    assert len(rows) == len(scheme.items)
    for item, row in zip(scheme.items, rows, strict=True):
        assert item.name in row
        assert cell(row, "interim").strip() == INTERIM[item.interim], (key, item.key)
    table = html[html.index('id="scheme-items"') : html.index("</table>")]
    assert "期中考核" in table
    assert not any(word in table for word in [*INTERIM, *RULES, "missing_target", "skip"])


def test_zhengzhou_interim_column_reads_item_by_item(client, assessor):
    client.force_login(assessor)
    rows = by_name(page(client, "zhengzhou-2019"))
    interim = {name: cell(row, "interim").strip() for name, row in rows.items()}
    assert interim["党政主要负责人走访不足"] == "按序时进度"  # 4 visits a year → 2 by June
    assert interim["领导引资任务未完成"] == "年度考核时计分"
    assert interim["台账未报或迟报"] == "按实计"
    assert "次数向上取整" in rows["党政主要负责人走访不足"]  # the how, as the cell's title


def test_skipped_target_items_say_they_do_not_apply(client, assessor):
    client.force_login(assessor)
    rows = by_name(page(client, "laiwu-2019"))
    skip = "未设目标时不参与考核，按其他指标得分率折算"
    assert skip not in rows["签约金额"]
    assert skip in rows["利用外资"] and skip in rows["过亿元项目"]
    assert skip not in "".join(item_rows(page(client, "bole-2023")))


def test_honours_and_their_tie_breakers(client, assessor):
    client.force_login(assessor)
    html = page(client, "zhengzhou-2019")
    block = html[html.index('id="scheme-honours"') :].split("</div>")[0]
    assert "先进单位：全体考核对象中总分前6名，只在年度考核中评定" in block
    assert "方案未规定并列时的排序办法" in block and "由考核办确定" in block
    # a copy that names its tie-breakers lists them by item name, in order
    text = (
        preset_text("zhengzhou-2019")
        .replace('key = "zhengzhou-2019"', 'key = "zz-ties"')
        .replace(
            'within = "all"\n\n[veto]', 'within = "all"\ntie_breakers = ["big_bonus", "four_power_bonus"]\n\n[veto]'
        )
    )
    scheme_save(text=text, user=assessor)
    block = page(client, "zz-ties").split('id="scheme-honours"')[1].split("</div>")[0]
    assert "名额边界总分并列时，依次比较签约重大项目、四力型项目的得分" in block
    assert "big_bonus" not in block
    # a scheme without honours says so
    assert "本方案不评先进单位" in page(client, "bole-2023").split('id="scheme-honours"')[1]
