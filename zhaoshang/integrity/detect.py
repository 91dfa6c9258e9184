"""Pure detection of double-counted and packaged projects: plain records in, findings out (no database),
so the rules are tested directly and the scan (services/flags.py) only loads and stores.

Same investor, two units (不得相互抵顶): two projects credited to different units whose investors are the
same — the same USCC, or names that after removing legal-form and place words have rapidfuzz similarity
≥ 90 — AND whose signed amounts differ by at most 20 % AND whose signing dates are at most 365 days apart
(a repeat investor's second, different investment is not a duplicate). When both investors carry different
USCCs (two registered companies), a similar name is not enough: the normalised names must be equal.

Blocking, so that 100,000 projects scan in seconds: a candidate pair must share a key — the USCC, or the
normalised name or one of its deletion neighbours (SymSpell: a name with one or two characters removed).
Similarity ≥ 90 is an Indel distance d ≤ 0.1·(len₁ + len₂); for normalised names of up to 9 characters that
is an exact match, up to 19 characters one deletion, and names of 11 or more characters get two deletions,
so every pair of names up to 14 characters long that passes the threshold shares a key. Within a key the
projects are sorted by signing date and compared only inside the 365-day window.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from rapidfuzz import fuzz, process

SIMILARITY = 90  # rapidfuzz ratio, 0–100
AMOUNT_TOLERANCE = Decimal("0.2")
DATE_WINDOW = dt.timedelta(days=365)
YEAR_END_DAYS = 30  # "signed in the last 30 days of the year"
AFTER_YEAR_END = dt.timedelta(days=90)  # "no fund arrival and no registration within 90 days after"
REFILED_GAP = dt.timedelta(days=365)  # registered more than a year before signing


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules need of one project."""

    id: int
    code: str = ""
    name: str = ""
    investor: str = ""
    uscc: str = ""
    amount: Decimal = Decimal(0)
    signed_on: dt.date | None = None
    registered_on: dt.date | None = None
    units: frozenset[int] = field(default_factory=frozenset)
    first_fund_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    a: int  # the smaller id
    b: int
    basis: str  # "uscc" | "name"
    similarity: int  # rapidfuzz ratio of the normalised names, 0–100


# ---- names -------------------------------------------------------------------------------------------------

# Legal-form words only (not trade words such as 科技 or 新材料: those tell companies apart).
_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "分公司", "子公司", "总公司", "公司",
    "有限合伙", "普通合伙", "合伙企业", "个人独资企业", "集团", "控股", "股份", "有限",
)
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# Cities often written without 市 at the head of a company name (provincial capitals and large cities).
_CITIES = (
    "郑州", "洛阳", "开封", "新乡", "许昌", "南阳", "商丘", "安阳", "焦作", "周口", "信阳", "驻马店", "平顶山",
    "漯河", "三门峡", "鹤壁", "濮阳", "济源", "石家庄", "太原", "沈阳", "大连", "长春", "哈尔滨", "南京",
    "苏州", "无锡", "常州", "杭州", "宁波", "温州", "绍兴", "合肥", "福州", "厦门", "泉州", "南昌", "济南",
    "青岛", "潍坊", "武汉", "长沙", "广州", "深圳", "东莞", "佛山", "珠海", "海口", "成都", "贵阳", "昆明",
    "西安", "兰州", "西宁", "银川", "乌鲁木齐", "呼和浩特", "南宁", "拉萨", "博乐", "亳州", "淮阴", "淮安",
    "莱芜",
)
_PROVINCE_SUFFIX = "(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?"
_PROVINCE_HEAD = re.compile(rf"^(?:{'|'.join(_PROVINCES)}){_PROVINCE_SUFFIX}")
_CITY_HEAD = re.compile(rf"^(?:{'|'.join(_CITIES)})(?:市|县|区)?")
# Any other city or county, but only right after a province (河南省新郑市…): alone, "XX市" may be a trade
# word (智慧城市科技).
_TOWN_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:市|县|区)")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_NOISE = re.compile(r"[\s·・,，.。、\-—_]")
_LEGAL = re.compile("|".join(_LEGAL_FORMS))


def normalise_name(name: str) -> str:
    """The distinctive part of a company name: full-width folded, bracketed places (（郑州）) and
    punctuation removed, legal-form words (有限公司, 股份, 集团, 控股, 分公司 …) removed, and a leading
    province and city (河南省, 郑州市, 郑州) removed.

    >>> normalise_name("河南宇通客车股份有限公司"), normalise_name("宇通客车有限公司")
    ('宇通客车', '宇通客车')
    """
    s = unicodedata.normalize("NFKC", name or "").upper()
    s = _BRACKETS.sub("", s)
    s = _NOISE.sub("", s)
    s = _LEGAL.sub("", s)
    cut = 0
    province = _PROVINCE_HEAD.match(s)
    if province:
        cut = province.end()
    city = _CITY_HEAD.match(s[cut:])
    if city:
        cut += city.end()
    elif province:
        town = _TOWN_HEAD.match(s[cut:])
        if town:
            cut += town.end()
    return s[cut:] if len(s) - cut >= 2 else s


def similarity(a: str, b: str) -> int:
    """rapidfuzz ratio of two normalised names, 0–100 (rounded down)."""
    return int(fuzz.ratio(a, b))


def _deletions(s: str, depth: int) -> set[str]:
    """Every string made by removing one character of `s` (and, with depth 2, two)."""
    ones = {s[:i] + s[i + 1:] for i in range(len(s))}
    if depth < 2:
        return ones
    return ones | {t[:i] + t[i + 1:] for t in ones for i in range(len(t))}


def name_keys(norm: str) -> set[str]:
    """The blocking keys of a normalised name: itself and its deletion neighbours (see the module doc)."""
    if len(norm) < 2:
        return set()
    depth = 2 if len(norm) >= 11 else 1 if len(norm) >= 6 else 0
    return {norm} | _deletions(norm, depth) if depth else {norm}


# ---- same investor ------------------------------------------------------------------------------------------


def amounts_close(a: Decimal, b: Decimal) -> bool:
    """Signed amounts within 20 % of the larger one (both positive)."""
    if a <= 0 or b <= 0:
        return False
    return abs(a - b) <= AMOUNT_TOLERANCE * max(a, b)


def dates_close(a: dt.date, b: dt.date) -> bool:
    return abs(a - b) <= DATE_WINDOW


def _two_companies(p: Facts, q: Facts) -> bool:
    """Both investors carry a USCC and they differ: two registered companies. Their names then count as
    the same investor only when equal after normalising (宇通客车 = 宇通客车), not when merely similar
    (鑫神德新能源汽车动力系统 ≈ 鑫神创新能源汽车动力系统 are two companies with long trade words in common)."""
    return bool(p.uscc and q.uscc and p.uscc != q.uscc)


def same_investor_pairs(items: Iterable[Facts], *, only: set[int] | None = None) -> list[Pair]:
    """Pairs of projects of different units that look like one investment (see the module doc). With
    `only`, just the pairs that involve one of those projects (the incremental re-check)."""
    usable = [p for p in items if p.signed_on is not None and p.amount > 0 and p.units]
    if only is not None and len(only) >= len(usable) and all(p.id in only for p in usable):
        only = None  # every project is asked about (an import into a young ledger): no pair to leave out
    norms = {p.id: normalise_name(p.investor) for p in usable}
    if only is not None and len(only) <= 20:
        return _pairs_of(usable, norms, only)
    # Key → its one project, or the list of them once there are two: a name has ten or more keys and most keys
    # belong to one name only, so a list per key would hold most of the scan's memory. A key is "u" + USCC or
    # "n" + a name key.
    buckets: dict[str, Facts | list[Facts]] = {}
    for p in usable:
        keys = [f"n{key}" for key in name_keys(norms[p.id])]
        if p.uscc:
            keys.insert(0, f"u{p.uscc}")
        for key in keys:
            held = buckets.get(key)
            if held is None:
                buckets[key] = p
            elif type(held) is list:
                held.append(p)
            else:
                buckets[key] = [held, p]
    found: dict[tuple[int, int], Pair] = {}
    # Per project, what the pair test reads: the signing day as a number, the amount in exact integer
    # ten-thousandths of a 万元 (every amount has four places): integers compare as fast as floats, exactly.
    # q is more than 20 % above p when (q − p)·DEN > q·NUM, i.e. q·(DEN − NUM) > p·DEN: the left side is kept
    # with each project ("scaled"), the right computed once per p.
    tolerance_den, keep = _TOLERANCE_DEN, _TOLERANCE_DEN - _TOLERANCE_NUM
    facts = {p.id: (p.signed_on.toordinal(), p.id, p.units, amount, p, amount * keep)
             for p in usable for amount in (int(p.amount.scaleb(4)),)}
    window = DATE_WINDOW.days
    # USCC buckets first, so that a pair found both ways is reported as the stronger "same USCC".
    shared = [(k[0], m) for k, m in buckets.items() if type(m) is list]
    del buckets

    def consider(kind: str, p_row: tuple, q_row: tuple) -> None:
        """The pair test for two projects of a bucket whose amounts are within 20 % of each other."""
        p_day, p_id, p_units, _pa, p, _ps = p_row
        q_day, q_id, q_units, _qa, q, _qs = q_row
        if abs(q_day - p_day) > window or p_id == q_id or p_units == q_units:
            return
        pair_key = (p_id, q_id) if p_id < q_id else (q_id, p_id)
        if pair_key in found or (only is not None and p_id not in only and q_id not in only):
            return
        score = similarity(norms[p_id], norms[q_id])
        if kind == "u":
            found[pair_key] = Pair(*pair_key, "uscc", score)
        elif score >= SIMILARITY and (norms[p_id] == norms[q_id] or not _two_companies(p, q)):
            found[pair_key] = Pair(*pair_key, "name", score)

    def sweep(kind: str, rows: list[tuple]) -> None:
        """Every pair of `rows` (sorted by amount) within 20 % of each other: once a member is more than 20 %
        above p, so is every later one (each pair is looked at once, in any order: the order does not change
        what is found)."""
        # consider(), written out: the call cost 12–18 % of a scan of long names (a province's year runs this
        # loop millions of times).
        for i, (p_day, p_id, p_units, p_amount, p, _p_scaled) in enumerate(rows):
            p_top, p_first, p_last = p_amount * tolerance_den, p_day - window, p_day + window
            for q_day, q_id, q_units, _q_amount, q, q_scaled in rows[i + 1:]:
                if q_scaled > p_top:
                    break  # more than 20 % apart (amounts_close, in integers), and so is every later one
                if not p_first <= q_day <= p_last or p_id == q_id or p_units == q_units:
                    continue
                pair_key = (p_id, q_id) if p_id < q_id else (q_id, p_id)
                if pair_key in found or (only is not None and p_id not in only and q_id not in only):
                    continue
                score = similarity(norms[p_id], norms[q_id])
                if kind == "u":
                    found[pair_key] = Pair(*pair_key, "uscc", score)
                elif score >= SIMILARITY and (norms[p_id] == norms[q_id] or not _two_companies(p, q)):
                    found[pair_key] = Pair(*pair_key, "name", score)

    def across(shorter: list[tuple], longer: list[tuple]) -> None:
        """Every pair of one project of each list (both sorted by amount) within 20 % of each other."""
        amounts = [r[3] for r in longer]
        for p_row in shorter:
            p_amount = p_row[3]
            # from the first amount not more than 20 % below p's (b ≥ p·(DEN − NUM)/DEN, rounded up) …
            p_top, p_first, p_last = p_amount * tolerance_den, p_row[0] - window, p_row[0] + window
            for q_row in longer[bisect_left(amounts, -(-p_amount * keep // tolerance_den)):]:
                if q_row[5] > p_top:
                    break  # … to the last not more than 20 % above it
                if p_first <= q_row[0] <= p_last and p_row[2] != q_row[2]:
                    consider("n", p_row, q_row)

    for kind, members in [*(b for b in shared if b[0] == "u"), *(b for b in shared if b[0] != "u")]:
        if only is not None and not any(m.id in only for m in members):
            continue
        rows = sorted((facts[m.id] for m in members), key=itemgetter(3))
        if kind == "u":
            sweep(kind, rows)
            continue
        # A name key's bucket: two different names can only be as similar as the pair test asks when their
        # lengths allow it (`_may_reach`), so the bucket is swept by length — in the common case of names
        # of one short length, only the members with the very same name are paired at all.
        sizes = [len(norms[m.id]) for m in members]
        shortest, longest = min(sizes), max(sizes)
        if _may_reach(shortest, longest) and _may_reach(shortest, shortest):
            sweep(kind, rows)  # every two lengths may (the bound falls with the shorter length and the gap)
            continue
        by_length: dict[int, list[tuple]] = {}
        for row in rows:
            by_length.setdefault(len(norms[row[1]]), []).append(row)
        lengths = sorted(by_length)
        for n, length in enumerate(lengths):
            group = by_length[length]
            if _may_reach(length, length):
                sweep(kind, group)
            elif len(group) > 1:
                same_name: dict[str, list[tuple]] = {}
                for row in group:
                    same_name.setdefault(norms[row[1]], []).append(row)
                for twins in same_name.values():
                    if len(twins) > 1:
                        sweep(kind, twins)
            for other in lengths[n + 1:]:
                if _may_reach(length, other):
                    small, large = sorted((group, by_length[other]), key=len)
                    across(small, large)
    return sorted(found.values(), key=lambda x: (x.a, x.b))


# AMOUNT_TOLERANCE as a fraction, for the exact integer form of `amounts_close` above.
_TOLERANCE_NUM, _TOLERANCE_DEN = AMOUNT_TOLERANCE.as_integer_ratio()


def _may_reach(a: int, b: int) -> bool:
    """Whether two different names of `a` and `b` characters can score SIMILARITY: rapidfuzz's ratio is
    100·(1 − d/(a + b)) for d insertions and deletions turning one into the other, and d is at least the
    difference of the lengths — at least 2 for two different names of one length (one character replaced).
    E.g. two different 9-character names score at most 88."""
    least = abs(a - b) or 2
    return 100 * (a + b - least) >= SIMILARITY * (a + b)


def _pairs_of(usable: list[Facts], norms: dict[int, str], only: set[int]) -> list[Pair]:
    """The same pairs for a few projects (the re-check after a save): each against every other project,
    without blocking (rapidfuzz compares one name with thousands in C)."""
    found: dict[tuple[int, int], Pair] = {}
    by_id = {p.id: p for p in usable}
    others = list(usable)
    choices = [norms[p.id] for p in others]
    for pid in sorted(only):
        p = by_id.get(pid)
        if p is None:
            continue
        similar = {} if len(norms[pid]) < 2 else {
            others[i].id: int(score)
            for _, score, i in process.extract(norms[pid], choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY,
                                               limit=None)
        }
        for q in others:
            if q.id == pid or q.units == p.units:
                continue
            same_uscc = bool(p.uscc) and p.uscc == q.uscc
            if not same_uscc and q.id not in similar:
                continue
            if not (dates_close(p.signed_on, q.signed_on) and amounts_close(p.amount, q.amount)):
                continue
            key = (p.id, q.id) if p.id < q.id else (q.id, p.id)
            if key in found:
                continue
            score = similar.get(q.id, similarity(norms[pid], norms[q.id]))
            if same_uscc:
                found[key] = Pair(*key, "uscc", score)
            elif norms[pid] == norms[q.id] or not _two_companies(p, q):
                found[key] = Pair(*key, "name", score)
    return sorted(found.values(), key=lambda x: (x.a, x.b))


# ---- packaged projects --------------------------------------------------------------------------------------


def year_end_window(year: int) -> tuple[dt.date, dt.date, dt.date]:
    """(first day of the last 30 days, 31 December, the day 90 days after it)."""
    end = dt.date(year, 12, 31)
    return end - dt.timedelta(days=YEAR_END_DAYS - 1), end, end + AFTER_YEAR_END


def packaged_at_year_end(p: Facts, year: int) -> bool:
    """Signed in the last 30 days of `year`, with no fund arrival and no registration by 90 days after
    the year end (年末突击签约)."""
    first, end, deadline = year_end_window(year)
    if p.signed_on is None or not first <= p.signed_on <= end:
        return False
    funded = p.first_fund_on is not None and p.first_fund_on <= deadline
    registered = p.registered_on is not None and p.registered_on <= deadline
    return not funded and not registered


def refiled_existing(p: Facts) -> bool:
    """Registered more than a year before it was signed: an existing company filed as a new project."""
    return p.signed_on is not None and p.registered_on is not None and p.signed_on - p.registered_on > REFILED_GAP


# ---- registration -------------------------------------------------------------------------------------------


def division_code(uscc: str) -> str | None:
    """Characters 3–8 of a USCC: the registration authority's division code (GB/T 2260)."""
    code = (uscc or "")[2:8]
    return code if len(uscc or "") == 18 and code.isdigit() else None


def registered_elsewhere(p: Facts, prefixes: Sequence[str]) -> str | None:
    """The division code when the project claims local registration but its investor's USCC was issued
    outside the city's divisions; else None."""
    if p.registered_on is None or not prefixes:
        return None
    code = division_code(p.uscc)
    if code is None or any(code.startswith(prefix) for prefix in prefixes):
        return None
    return code


@dataclass(frozen=True, slots=True)
class RegistryRow:
    uscc: str
    name: str
    founded_on: dt.date | None
    status: str


def same_company_name(a: str, b: str) -> bool:
    """Registry names are compared as written, ignoring width, spaces and bracket style."""

    def fold(s: str) -> str:
        return _NOISE.sub("", unicodedata.normalize("NFKC", s or "")).replace("(", "（").replace(")", "）").upper()

    return fold(a) == fold(b)


def registry_findings(p: Facts, row: RegistryRow | None) -> list[str]:
    """The registry mismatches of one project's investor: "unknown", "name", "founded_after", "cancelled"."""
    if row is None:
        return ["unknown"]
    out = []
    if not same_company_name(p.investor, row.name):
        out.append("name")
    if row.founded_on is not None and p.signed_on is not None and row.founded_on > p.signed_on:
        out.append("founded_after")
    if "注销" in row.status or "吊销" in row.status:
        out.append("cancelled")
    return out
