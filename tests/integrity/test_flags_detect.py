"""The pure rules of the flag scan (integrity/detect.py): name normalisation, the blocking that makes the
same-investor check fast (it must find every pair a comparison of all pairs finds), and the packaged-project
and registration rules."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from zhaoshang.integrity import detect
from zhaoshang.integrity.detect import Facts

D = Decimal


@pytest.mark.parametrize(("name", "normalised"), [
    ("河南宇通客车股份有限公司", "宇通客车"),
    ("宇通客车有限公司", "宇通客车"),
    ("河南省郑州市宇通客车有限公司", "宇通客车"),
    ("比亚迪汽车（郑州）有限公司", "比亚迪汽车"),
    ("郑州 宇通集团有限公司", "宇通"),
    ("上海市瑞鑫新材料有限责任公司", "瑞鑫新材料"),
    ("河南省新郑市好想你枣业股份有限公司", "好想你枣业"),
    ("智慧城市科技有限公司", "智慧城市科技"),  # 科技 is a trade word, and 智慧城市 no place
    ("ＡＢＣ电子有限公司", "ABC电子"),  # full width folded
])
def test_normalise_name_removes_legal_form_and_place_words_only(name, normalised):
    assert detect.normalise_name(name) == normalised


def facts(pid, investor, uscc="", amount="1000", signed="2023-03-01", units=(1,), **kw):
    return Facts(id=pid, investor=investor, uscc=uscc, amount=D(amount), signed_on=dt.date.fromisoformat(signed),
                 units=frozenset(units), **kw)


def test_same_investor_needs_other_units_close_amounts_and_dates():
    items = [
        facts(1, "宇通客车有限公司", units=(1,)),
        facts(2, "河南宇通客车股份有限公司", amount="1190", signed="2023-12-01", units=(2,)),  # pair with 1
        facts(3, "宇通客车有限公司", amount="1300", units=(3,)),  # amount 30 % off 1, 9 % off 2
        facts(4, "宇通客车有限公司", signed="2024-03-05", units=(4,)),  # 370 days after 1
        facts(5, "宇通客车有限公司", units=(1,)),  # same unit as 1
    ]
    pairs = {(p.a, p.b): p.basis for p in detect.same_investor_pairs(items)}
    assert pairs == {(1, 2): "name", (2, 3): "name", (2, 4): "name", (2, 5): "name"}
    assert {(p.a, p.b) for p in detect.same_investor_pairs(items, only={4})} == {(2, 4)}


def test_different_registered_companies_need_equal_names():
    a = facts(1, "鑫神德新能源汽车动力系统工程有限公司", uscc="91410100MA44C12345", units=(1,))
    b = facts(2, "鑫神创新能源汽车动力系统工程有限公司", uscc="91310115MA1K412345", units=(2,))
    c = facts(3, "鑫神创新能源汽车动力系统工程有限公司", uscc="", units=(3,))
    assert detect.similarity("鑫神德新能源汽车动力系统工程", "鑫神创新能源汽车动力系统工程") >= detect.SIMILARITY
    assert {(p.a, p.b) for p in detect.same_investor_pairs([a, b, c])} == {(1, 3), (2, 3)}


def _brute(items):
    out = set()
    norms = {p.id: detect.normalise_name(p.investor) for p in items}
    for i, p in enumerate(items):
        for q in items[i + 1:]:
            if p.units == q.units or not detect.amounts_close(p.amount, q.amount):
                continue
            if not detect.dates_close(p.signed_on, q.signed_on):
                continue
            if p.uscc and p.uscc == q.uscc:
                out.add((p.id, q.id))
            elif detect.similarity(norms[p.id], norms[q.id]) >= detect.SIMILARITY and (
                    norms[p.id] == norms[q.id] or not detect._two_companies(p, q)):
                out.add((p.id, q.id))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_blocking_finds_every_pair_a_full_comparison_finds(seed):
    """Names of 4–14 characters over a small alphabet, so that near names are common."""
    rng = random.Random(seed)
    alphabet = "宇通客车华瑞新材料"
    items = []
    for i in range(400):
        base = "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 14)))
        items.append(Facts(
            id=i, investor=base + rng.choice(["有限公司", "股份有限公司"]),
            uscc=rng.choice(["", "", "91410100MA44C12345", "91310115MA1K412345"]),
            amount=D(rng.choice([1000, 1100, 1250, 2000])), units=frozenset({rng.randint(1, 3)}),
            signed_on=dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 500)),
        ))
    found = {(p.a, p.b) for p in detect.same_investor_pairs(items)}
    assert found == _brute(items)
    one = {(p.a, p.b) for p in detect.same_investor_pairs(items, only={7})}
    assert one == {pair for pair in found if 7 in pair}


def test_packaged_at_year_end():
    signed = facts(1, "某公司", signed="2023-12-05")
    assert detect.packaged_at_year_end(signed, 2023)
    assert not detect.packaged_at_year_end(facts(1, "某公司", signed="2023-12-01"), 2023)  # 31 days before
    assert not detect.packaged_at_year_end(facts(1, "某公司", signed="2023-12-05",
                                                 first_fund_on=dt.date(2024, 3, 30)), 2023)
    assert detect.packaged_at_year_end(facts(1, "某公司", signed="2023-12-05",
                                             first_fund_on=dt.date(2024, 3, 31)), 2023)  # 91 days after
    assert not detect.packaged_at_year_end(facts(1, "某公司", signed="2023-12-05",
                                                 registered_on=dt.date(2024, 1, 10)), 2023)


def test_refiled_and_registered_elsewhere():
    assert detect.refiled_existing(facts(1, "某公司", signed="2023-06-01", registered_on=dt.date(2022, 5, 31)))
    assert not detect.refiled_existing(facts(1, "某公司", signed="2023-06-01", registered_on=dt.date(2022, 6, 1)))
    local = facts(1, "某公司", uscc="91410105MA44C12345", registered_on=dt.date(2023, 4, 1))
    away = facts(2, "某公司", uscc="91310115MA1K412345", registered_on=dt.date(2023, 4, 1))
    assert detect.registered_elsewhere(local, ["4101"]) is None
    assert detect.registered_elsewhere(away, ["4101"]) == "310115"
    assert detect.registered_elsewhere(away, []) is None  # not configured: not run
    assert detect.registered_elsewhere(facts(3, "某公司", uscc="91310115MA1K412345"), ["4101"]) is None  # 未注册


def test_names_too_short_to_be_similar_are_not_compared():
    """Two different 9-character names score at most 88 (one character replaced), 10-character ones 90: the
    search pairs different names only where their lengths allow the score the test asks."""
    assert detect.similarity("某某科技12345", "某某科技12346") == 88 and not detect._may_reach(9, 9)
    assert detect.similarity("某某科技123456", "某某科技123457") == 90 and detect._may_reach(10, 10)
    assert detect.similarity("某某科技1234", "某某科技12345") == 94 and detect._may_reach(8, 9)
    assert not detect._may_reach(5, 9)


@pytest.mark.parametrize("seed", [4, 5])
def test_blocking_by_length_finds_every_pair_among_one_letter_edits(seed):
    """Names of 6–12 characters, each a one-character edit of a few bases: the lengths around the bound."""
    rng = random.Random(seed)
    alphabet = "宇通客车华瑞新材料"
    bases = ["".join(rng.choice(alphabet) for _ in range(rng.randint(6, 12))) for _ in range(12)]
    items = []
    for i in range(500):
        name = rng.choice(bases)
        at = rng.randrange(len(name))
        name = rng.choice([name, name[:at] + rng.choice(alphabet) + name[at + 1:], name[:at] + name[at + 1:],
                           name[:at] + rng.choice(alphabet) + name[at:]])
        items.append(Facts(
            id=i, investor=name + "有限公司", uscc=rng.choice(["", "", "", "91410100MA44C12345"]),
            amount=D(rng.choice([1000, 1100, 1250])), units=frozenset({rng.randint(1, 4)}),
            signed_on=dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 400)),
        ))
    found = {(p.a, p.b) for p in detect.same_investor_pairs(items)}
    assert found == _brute(items) and found
