"""Every preset item says where it comes from: the document and clause, the original sentence verbatim, and
whether its points or thresholds are local rules (本地细则); the scheme page shows this in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from zhaoshang.assessment.engine.scheme import RULES, SchemeError, load_preset, parse_scheme, preset_keys

from .test_scheme import GOOD

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _seed(source: str) -> str:
    number = source.split()[0]
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "key", "message"),
    [
        ('local = "是"', "items[0].local", "应为 true 或 false"),
        ("local = 1", "items[0].local", "应为 true 或 false"),
        ("quote = 3", "items[0].quote", "应为文本"),
        ("source = true", "items[0].source", "应为文本"),
    ],
)
def test_bad_source_keys_are_refused_naming_the_key(line, key, message):
    with pytest.raises(SchemeError) as exc:
        parse_scheme(GOOD + line + "\n")
    assert key in exc.value.field_errors
    assert message in "".join(exc.value.field_errors[key])


def test_source_quote_local_are_read():
    item = parse_scheme(GOOD + 'source = "002 七(一)1"\nquote = "原文"\nlocal = true\n').items[0]
    assert (item.source, item.quote, item.local) == ("002 七(一)1", "原文", True)
    assert parse_scheme(GOOD).items[0].local is False


@pytest.mark.parametrize("key", preset_keys())
def test_every_preset_item_quotes_its_document_verbatim(key):
    for item in load_preset(key).items:
        assert re.match(r"00\d ", item.source), (key, item.key)
        assert item.quote.strip(), (key, item.key)
        assert item.quote in _seed(item.source), (key, item.key)


def test_local_rules_are_marked_where_the_document_gives_no_points():
    zhengzhou = load_preset("zhengzhou-2019")
    assert zhengzhou.item("head_visits").local and zhengzhou.item("zone_project").local
    assert all(i.local for i in load_preset("laiwu-2019").items)
    # 50/30/10/10 and 扣0.5分 are in 002; 日常工作 takes 5 of ⑷'s "视情扣5—10分" per overdue request (issue 15);
    # 四㈡ "北京局以跑办项目计分" gives no points, so the 项目跑办 加分项's 2 points are the scheme's own
    assert [i.key for i in load_preset("bole-2023").items if i.local] == ["daily", "liaison"]


@pytest.mark.django_db
def test_scheme_page_shows_sources_and_local_badge_in_chinese(client, assessor):
    client.force_login(assessor)
    page = client.get(reverse("assessment:scheme_detail", args=["zhengzhou-2019"])).content.decode()
    table = page[page.index('id="scheme-items"') : page.index("</table>")]
    assert "本地细则" in table and "依据原文" in table
    assert "000 加分第7项" in table and "7. 簽約50億元或100億元以上特大製造業項目。" in table
    assert "公式" in table and "逐项加减" in table and "减分项" in table
    assert not any(rule in table for rule in RULES)
    assert "源文件" in page and "rule = &quot;formula&quot;" in page  # the TOML text stays available

    bole = client.get(reverse("assessment:scheme_detail", args=["bole-2023"])).content.decode()
    table = bole[bole.index('id="scheme-items"') : bole.index("</table>")]
    assert "比例得分" in table and "相对最优" in table and "50分" in table
    assert "002 七(一)2" in table
    assert table.count("本地细则") == 2 and table.index("本地细则") > table.index("日常工作考核")
