"""What every measure shares: the window, the parameter types a scheme may set, the measure
definition, and two small query helpers."""

from __future__ import annotations

import array
import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Aggregate, BooleanField, DecimalField, Expression, F, IntegerField, Q

from zhaoshang.activities.choices import EventLevel
from zhaoshang.ledger.choices import INDUSTRY_SETS, BuildKind, FundKind, InvestorTag, Section, Stage, section_names
from zhaoshang.orgs.choices import PersonRole, UnitKind

VETO_ITEM = "一票否决"
ZERO = Decimal(0)
DEC = DecimalField(max_digits=30, decimal_places=6)


@dataclass(frozen=True)
class Window:
    """What a run looks at: business dates from `start` to `end` (period end capped by as-of), and
    which facts count (`basis`): "verified" counts a stage or a fund arrival only once it is 已认定
    with a verification date on or before the as-of date; "filed" counts everything filed. A scheme
    names its basis (default "verified"); a bare window (measure tests, ledger views) counts filed."""

    start: dt.date
    period_end: dt.date
    as_of: dt.date
    basis: str = "filed"

    @property
    def end(self) -> dt.date:
        return min(self.period_end, self.as_of)

    @property
    def year(self) -> int:
        return self.period_end.year

    @property
    def verified(self) -> bool:
        return self.basis == "verified"


# ---------------------------------------------------------------------------------------------
# Parameter types: each parser takes the TOML value and returns the normalised value or raises
# ValueError with a Chinese message. Choice parameters accept the code or the Chinese label.


def _choice(choices, *, many: bool = False):
    by_any = {c.value: c.value for c in choices} | {str(c.label): c.value for c in choices}

    def parse(v):
        items = v if isinstance(v, list) else [v]
        if not many and isinstance(v, list):
            raise ValueError("应为单个取值")
        out = []
        for x in items:
            if not isinstance(x, str) or x not in by_any:
                raise ValueError(f"“{x}”不是有效取值，可选：{'、'.join(str(c.label) for c in choices)}")
            out.append(by_any[x])
        return tuple(out) if many else out[0]

    parse.doc = "、".join(str(c.label) for c in choices)  # type: ignore[attr-defined]
    return parse


def _number(v):
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError(f"应为数字，而不是{type(v).__name__}")
    if isinstance(v, str):
        raise ValueError(f"应为数字，而不是文本“{v}”")
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("应为 true 或 false")
    return v


def _text_list(v):
    items = v if isinstance(v, list) else [v]
    if not all(isinstance(x, str) and x for x in items):
        raise ValueError("应为文本或文本列表")
    return tuple(items)


# The old ledger words a stored scheme may still name under `category` (制造业 is also section C's name).
_OLD_WORDS = {"manufacturing": "C", "agriculture": "A", "农业": "A"}
_NO_SECTION = ("services", "other", "服务业", "其他")


def _industry(v):
    """行业门类: a GB/T 4754-2017 section code ("C") or name ("制造业"), a list of those, or a named set
    ("工业" = B、C、D); normalised to a tuple of letters in the standard's order."""
    by_any = {name: letter for letter, name in section_names().items()} | _OLD_WORDS
    items = v if isinstance(v, list) else [v]
    if not items:
        raise ValueError("应至少列出一个行业门类")
    letters: set[str] = set()
    for x in items:
        if isinstance(x, str) and x.strip() in INDUSTRY_SETS:
            letters.update(INDUSTRY_SETS[x.strip()])
        elif isinstance(x, str) and x.strip().upper() in Section.values:
            letters.add(x.strip().upper())
        elif isinstance(x, str) and x.strip() in by_any:  # a name, or an old word
            letters.add(by_any[x.strip()])
        elif isinstance(x, str) and x.strip() in _NO_SECTION:
            raise ValueError(f"“{x}”不对应某一行业门类，请改写为门类代码或名称，"
                             "如 F 批发和零售业、G 交通运输、仓储和邮政业")
        else:
            raise ValueError(f"“{x}”不是有效的行业门类，应为GB/T 4754-2017门类代码A–T或名称（如 C 或 制造业），"
                             f"或{'、'.join(INDUSTRY_SETS)}")
    return tuple(sorted(letters))


_industry.doc = ("GB/T 4754-2017行业门类：代码（如 C）或名称（如 制造业），可写成列表；"  # type: ignore[attr-defined]
                 "“工业”即采矿业、制造业、电力、热力、燃气及水生产和供应业（B、C、D）")


def industry_of(params: dict) -> tuple[str, ...]:
    """The sections a measure is limited to (`industry`, or its older name `category`); () for any."""
    return params.get("industry") or params.get("category") or ()


STAGES = [s for s in Stage if s != Stage.NONE]
BASES = {
    "signed": "签约金额",
    "planned": "计划总投资",
    "planned_or_signed": "计划总投资（无则签约金额）",
    "foreign": "外资金额（万美元）",
}


def _basis(v):
    if v not in BASES:
        raise ValueError(f"“{v}”不是有效取值，可选：{'、'.join(BASES)}")
    return v


PARAM_TYPES: dict[str, Callable] = {
    "stage": _choice(STAGES, many=True),
    "basis": _basis,
    "min_amount": _number,
    "max_amount": _number,
    "industry": _industry,
    "category": _industry,  # the older name of `industry` (stored schemes say category = "制造业")
    "four_power": _bool,
    "uplift": _bool,
    "weighted": _bool,
    "level": _choice(EventLevel),
    "started_by_end": _bool,
    "active_at_start": _bool,
    "kind": _choice(FundKind),
    "role": _choice(PersonRole, many=True),
    "min_visits": _number,
    "item_min": _number,
    "item_max": _number,
    "items": _text_list,
    "unit_kind": _choice(UnitKind, many=True),
    # 投资方标签 and 建设性质 (issue 14): tags = ["世界500强"] counts a project whose investor has any of them.
    "tags": _choice(InvestorTag, many=True),
    "build_kind": _choice(BuildKind, many=True),
}
# Parameters that a scheme may set per unit group with "$name".
GROUP_PARAMS = {"min_amount", "max_amount", "min_visits", "item_min", "item_max"}

PROJECT_FILTERS = {
    "stage", "min_amount", "max_amount", "industry", "category", "four_power", "uplift", "level", "started_by_end",
    "tags", "build_kind",
}


@dataclass(frozen=True)
class MeasureDef:
    name: str
    label: str
    doc: str
    params: frozenset[str]
    required: frozenset[str]
    display: str  # money | usd | count | points
    subjects: frozenset[str]
    compute: Callable
    rows: Callable

    def display_for(self, params: dict) -> str:
        if self.display == "money" and params.get("basis") == "foreign":
            return "usd"
        return self.display


# ---------------------------------------------------------------------------------------------
# Query helpers


@dataclass
class Rider:
    """Aggregates another reader wants over the rows a measure pass reads anyway, so that they cost no
    pass of their own: 申报与认定 (`engine.facts`) rides on a unit run's pass over the projects and on its
    pass over the fund arrivals. `where` is the rows the aggregates read (the pass reads the union of
    its measures' rows and these); each aggregate carries `where` in its own FILTER. The pass groups by
    holder and puts `(holder, *values)` rows in `rows`; None when no pass took the rider."""

    where: Q
    aggs: dict[str, Aggregate]
    rows: list[tuple] | None = None



def sum_pairs(*pairs: Iterable) -> dict[int, Decimal]:
    """Add up (subject id, value) rows from several queries (a unit's own projects and its shares)."""
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for qs in pairs:
        for key, v in qs:
            if key is not None and v is not None:
                out[key] += Decimal(v)
    return dict(out)


# Above this many ids, PostgreSQL reads them from a temporary table (see NotAmong). Measured at 2,000,000
# projects (bench/NOTES.md, tenth session): below it an array costs a query 0.03 s (61,000 ids) to 0.11 s
# (200,000) to send and plan, where a temporary table keeps the whole run from parallel plans.
MANY_EXCLUDED = 200_000
_KEPT_TABLES = 3  # excluded-id tables a connection keeps (the newest); a run needs one or two


@functools.lru_cache(maxsize=2)
def _sorted_ids(ids: frozenset[int]) -> tuple[int, ...]:
    # A run hands the same frozenset of excluded ids to every measure: sorted once, not per query. Two kept:
    # after a province's scan each holds a million ids, for as long as the server process lives.
    return tuple(sorted(int(i) for i in ids))


def _array_text(ids: tuple[int, ...]) -> str:
    """The ids as PostgreSQL's text form of an array ("{1,2,3}"), bound as one string and cast to bigint[].
    psycopg adapts a list of ints element by element for every query: 0.17 s per query for 61,000 ids, where
    the text, built once per run, costs 0.03 s to send and parse."""
    return "{" + ",".join(map(str, ids)) + "}"


_kept_array_text = functools.lru_cache(maxsize=2)(_array_text)


def _pg_array(ids: tuple[int, ...]) -> str:
    # A run's excluded ids are one tuple shared by all its queries (`_sorted_ids`), so the cache keeps its text;
    # smaller sets (a scheme's units) are written afresh.
    return _kept_array_text(ids) if len(ids) > 1000 else _array_text(ids)


class NotAmong(Expression):
    """`column NOT IN (1, 2, …)` with the ids written into the SQL rather than bound one by one.

    The excluded ids are the projects in conflict (不得相互抵顶) and those the integrity flags keep out,
    integers the engine found itself, so inlining them is safe; and there can be thousands: as bound
    parameters they cost more to send and to plan than the aggregate itself on PostgreSQL (0.1 s per query at
    3,000 ids). PostgreSQL takes them as one array instead (`<> ALL(array)`, hashed as NOT IN is): parsing a
    written list of 61,000 ids took 70–130 ms of planning per query at province scale, the array 20 ms.

    The array is bound as its text (`_pg_array`), built once per run: psycopg's adaptation of a list of ints
    was most of the cost of sending it.

    After a province's year scan there can be a million (half a million open same-investor flags): the array
    then cost 1.2 s to send (as a list) and 0.46 s to plan in every query (the planner estimates each
    element). Above `MANY_EXCLUDED` ids the primary database gets them once, in a temporary table named by their
    digest, and each query reads it as an anti-join (`NOT EXISTS`, planned from the table's statistics). The
    price: PostgreSQL plans no query that reads a temporary table in parallel, so the run's passes use one
    core (laiwu-2019 with 61,532 conflicts: 11.0 s so, 7.7 s with the array). A replica cannot
    create tables: there the array stays."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: Iterable[int]):
        super().__init__()
        self.column = F(column)
        self.ids = _sorted_ids(ids) if isinstance(ids, frozenset) else tuple(sorted(int(i) for i in ids))
        self._table: str | None = None

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 1", []
        if connection.vendor == "postgresql":
            # Inside a transaction only: behind a transaction-pooling proxy the next statement outside one may
            # reach another server session, without the table.
            if len(self.ids) > MANY_EXCLUDED and connection.alias == DEFAULT_DB_ALIAS and connection.in_atomic_block:
                table = self._ids_table(connection)
                return f"NOT EXISTS (SELECT 1 FROM {table} AS excluded WHERE excluded.id = {sql})", params
            return f"{sql} <> ALL(%s::bigint[])", [*params, _pg_array(self.ids)]
        return f"{sql} NOT IN ({', '.join(map(str, self.ids))})", params

    def _ids_table(self, connection) -> str:
        """The temporary table of `self.ids` on this connection, made when it is not there (a new session, or
        the transaction that made it rolled back). Its name is the ids' digest, so a table found holds them."""
        if self._table is None:
            digest = hashlib.blake2b(array.array("q", self.ids).tobytes(), digest_size=8).hexdigest()
            self._table = f"zs_excluded_{digest}"
        table = self._table
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{table}"])
            if cursor.fetchone()[0] is not None:
                return table
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'"
                " AND relname LIKE 'zs\\_excluded\\_%%' ORDER BY oid DESC OFFSET %s", [_KEPT_TABLES - 1])
            for (old,) in cursor.fetchall():
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{old}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} (id bigint PRIMARY KEY)")
            with cursor.cursor.copy(f"COPY {table} (id) FROM STDIN") as copy:
                for pid in self.ids:
                    copy.write_row((pid,))
            cursor.execute(f"ANALYZE {table}")
        return table


class Among(NotAmong):
    """`column IN (1, 2, …)`, the ids written into the SQL (see `NotAmong`): the units of a scheme's
    groups, thousands at province scale."""

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s::bigint[])", [*params, _pg_array(self.ids)]
        return f"{sql} IN ({', '.join(map(str, self.ids))})", params


class KeyOf(Expression):
    """`CASE WHEN column IN (…) THEN 0 WHEN column IN (…) THEN 1 … END`: a small integer for the set of
    ids a column's value falls in (NULL in none), the ids written into the SQL as in `NotAmong`. Lets
    the database group by a unit's group under a grouping without joining the grouping per row."""

    output_field = IntegerField()

    def __init__(self, column: str, sets: Iterable[Iterable[int]]):
        super().__init__()
        self.column = F(column)
        self.sets = [tuple(sorted(int(i) for i in ids)) for ids in sets]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        sets = [(k, ids) for k, ids in enumerate(self.sets) if ids]
        if not sets:
            return "NULL", []
        if connection.vendor == "postgresql":  # one array each, as in `NotAmong`
            whens = " ".join(f"WHEN {sql} = ANY(%s::bigint[]) THEN {k}" for k, _ in sets)
            return f"CASE {whens} END", [p for _, ids in sets for p in (*params, _pg_array(ids))]
        whens = " ".join(f"WHEN {sql} IN ({', '.join(map(str, ids))}) THEN {k}" for k, ids in sets)
        return f"CASE {whens} END", params * len(sets)
