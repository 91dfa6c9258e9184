"""Import the standard workbook: every row checked with the same rules as the forms and the API,
all errors collected with sheet, row and column, and all or nothing written.

The run is one transaction. Sheets are processed in dependency order (单位 → 人员 → 招商活动 → 项目
→ 项目共享 → 到位资金 → …), in chunks: parse the cells, resolve codes against the file and the database
(bulk lookups, never a query per row), build model instances, validate them with the models' own
rules (`validate.validate_instance`), then write the chunk with `bulk_create_with_history` /
`bulk_update_with_history` so the history names the importing user. Once any error is found nothing
more is written, validation goes on to report every error, and the transaction is rolled back. A dry
run rolls back too. Unchanged rows are not written at all, so importing the same file twice changes
nothing and adds no history.

Closed periods (结账, `periods.closing`) are read once per run and rows tested against them in memory:
a new or changed row dated in a closed period is an error for a unit user; an assessor's import needs
a correction reason and keeps a `Correction` per such row. Unchanged rows are never in question.

Verification (核实认定): the stage filings and fund arrivals an import writes start at 待核实 like any
filing, and a filing whose date the file changes goes back to 待核实. An assessor bringing in a ledger
that was already checked imports it as verified (`verified=True`): what the import writes becomes 已认定
with that user as verifier, dated on the fact's own date (as the facts that existed before verification
was introduced), so last year's checked ledger counts for last year. A unit user cannot.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.core.gcpause import gc_paused
from zhaoshang.core.periods import today
from zhaoshang.core.writebehind import WriteBehind
from zhaoshang.integrity.services.flags import flags_scan_projects
from zhaoshang.ledger.verification import mark_verified, refresh_project_verified_dates
from zhaoshang.orgs.models import Person, Unit
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids
from zhaoshang.periods import closing

from .reader import WorkbookError, open_workbook

Progress = Callable[[int, int, str], None]


@dataclass
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False
    verified: bool = False  # imported as already checked (直接认定)
    verified_facts: int = 0  # stage filings and fund arrivals the import made 已认定
    rows: int = 0
    seconds: float = 0.0
    fatal: str = ""  # a problem with the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and not self.fatal

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    def total(self, what: str) -> int:
        return sum(c.get(what, 0) for c in self.counts.values())

    def summary(self) -> str:
        if self.fatal and not self.errors:
            return self.fatal
        if self.errors:
            head = f"{self.fatal}，" if self.fatal else ""
            return f"{head}发现{len(self.errors)}处错误，未导入任何数据"
        verb = "校验通过（试导入，未写入）" if self.dry_run else "导入成功"
        deleted = f"，删除{self.total('deleted')}行" if self.total("deleted") else ""
        verified = ""
        if self.verified:
            verified = (f"；直接认定{self.verified_facts}条阶段备案和到位资金" if not self.dry_run
                        else "；正式导入时写入的阶段备案和到位资金将直接认定")
        pending = (f"；{self.total('pending')}个项目的共享变更涉及其他单位，待其确认后生效"
                   if self.total("pending") else "")
        return (f"{verb}：共{self.rows}行，新增{self.total('created')}行，更新{self.total('updated')}行，"
                f"未变化{self.total('unchanged')}行{deleted}{verified}{pending}")

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "verified": self.verified, "verified_facts": self.verified_facts,
            "rows": self.rows, "seconds": round(self.seconds, 2),
            "fatal": self.fatal, "summary": self.summary(), "warnings": self.warnings, "counts": self.counts,
            "error_count": len(self.errors), "errors": [e.as_dict() for e in self.errors],
        }


class SystemActor:
    """Who imports from the command line when no --user is given: every right, no history user."""

    pk = id = None
    unit_id = None
    is_authenticated = True
    is_superuser = True
    is_assessor = True
    sees_all_units = True
    is_read_only = False
    username = "命令行"

    def __str__(self) -> str:
        return self.username


class _Rollback(Exception):
    pass


def verify_problem(user) -> str | None:
    """Why `user` may not import a workbook as already verified (None: they may). The operator at the
    command line (no user) and the city's assessors may; a district assessor only where the city
    delegated final verification to its district; a unit user never."""
    if user is None or isinstance(user, SystemActor) or getattr(user, "is_assessor", False):
        return None
    if getattr(user, "is_district_assessor", False):
        unit = getattr(user, "unit", None)
        if unit is not None and unit.verification_delegated:
            return None
        return gettext("区考核办导入的数据须经市考核办认定，不能直接认定；请按普通导入后在核实认定页面初审")
    return gettext("只有考核办可以将导入的数据直接认定；单位导入的数据为“待核实”，由考核办核实认定")


class Context:
    """What the handlers share: the user, code → id maps, the errors, and whether writing goes on."""

    def __init__(self, user, progress: Progress | None, total: int, correction_reason: str = "",
                 verified: bool = False):
        self.user = user
        self.actor = user if getattr(user, "pk", None) else None
        self.today = today()
        self.now = timezone.now()
        self.verified = verified
        self.verified_facts = 0
        # Projects whose stage filings this import wrote (their verified dates are refreshed after the
        # write), and every project any ledger row of the import touched (for the integrity scan).
        self.filed_projects: set[int] = set()
        self.touched_projects: set[int] = set()
        self.correction_reason = (correction_reason or "").strip()
        self.closed = closing.closed_periods()  # one query; rows are tested against it in memory
        self.errors: list[RowError] = []
        self.progress = progress
        self.total = total
        self.done = 0
        self._sentinel = itertools.count(-1, -1)
        self.failed: dict[str, set] = defaultdict(set)
        self.units: dict[str, int] = dict(Unit.objects.values_list("code", "id"))
        self.persons: dict[str, tuple[int, int]] = {
            no: (pk, unit_id) for no, pk, unit_id in Person.objects.values_list("staff_no", "id", "unit_id")
        }
        from zhaoshang.activities.models import PromotionEvent

        self.events: dict[str, tuple[int, int | None]] = {
            code: (pk, host) for code, pk, host in PromotionEvent.objects.values_list("code", "id", "host_unit_id")
        }
        self._projects: dict[str, tuple[int, int]] | None = None
        self.new_projects: set[int] = set()
        self._edit_problems: dict[tuple, str | None] = {}
        self.written = 0  # rows created or changed (by whichever thread writes: one at a time)
        self.writer: WriteBehind | None = None  # set while the sheets are imported (see `write_behind`)
        self._counting = threading.Lock()

    @property
    def writing(self) -> bool:
        return not self.errors

    def write_behind(self, job: Callable[[], None]) -> None:
        """Run a chunk's write on the writer thread (`core.writebehind`), or here when there is none."""
        if self.writer is None:
            job()
        else:
            self.writer.submit(job)

    def drain(self) -> None:
        """Wait for the chunk being written (raising its error, if it failed)."""
        if self.writer is not None:
            self.writer.drain()

    @property
    def projects(self) -> dict[str, tuple[int, int]]:
        if self._projects is None:
            from zhaoshang.ledger.models import Project

            rows = Project.objects.values_list("code", "id", "lead_unit_id").iterator(chunk_size=10000)
            self._projects = {code: (pk, lead) for code, pk, lead in rows}
        return self._projects

    def forget_codes(self) -> None:
        """Let go of the code → id maps once every sheet is read (100,000 projects' codes are ~25 MB)."""
        self._projects, self.persons, self.events = None, {}, {}
        self.failed.clear()

    def sentinel(self) -> int:
        """A stand-in id for a row validated but not written (an earlier error stopped writing)."""
        return next(self._sentinel)

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))

    def closed_hit(self, pairs):
        """The first closed period covering one of `pairs` ((field, date) …), with that pair, or None."""
        for period in self.closed:
            for name, day in pairs:
                if day is not None and period.start <= day <= period.end:
                    return period, name, day
        return None

    def closing_problem(self, period) -> str | None:
        """Why this user may not write into the closed `period` (None: an assessor giving a reason)."""
        if not getattr(self.user, "is_assessor", False):
            return closing.refused_message(period)
        if not self.correction_reason:
            return closing.reason_message(period)
        return None

    @property
    def unit_codes(self) -> dict[int, str]:
        if getattr(self, "_unit_codes", None) is None or len(self._unit_codes) != len(self.units):
            self._unit_codes = {pk: code for code, pk in self.units.items()}
        return self._unit_codes

    @property
    def visible_units(self) -> set[int] | None:
        """The units the user sees (None: all), as the pages' scope."""
        if not hasattr(self, "_visible_units"):
            self._visible_units = visible_unit_ids(self.user) if getattr(self.user, "pk", None) else None
        return self._visible_units

    def can_see_project(self, project_id: int, lead_unit_id: int | None) -> bool:
        """Whether the user sees the project: introduced by or shared with one of their units. A project of
        another unit is, for this import, a code that is taken and nothing more (issue 11)."""
        ids = self.visible_units
        if ids is None or project_id is None or project_id < 0 or lead_unit_id in ids:
            return True
        if not hasattr(self, "_shared_with_me"):
            from zhaoshang.ledger.models import ProjectShare

            self._shared_with_me = set(
                ProjectShare.objects.filter(unit_id__in=ids).values_list("project_id", flat=True))
        return project_id in self._shared_with_me

    def edit_problem(self, unit_id: int | None, what: str) -> str | None:
        # Once per unit and wording: the answer depends on the user alone, whose scope is read once per run
        # (`visible_unit_ids` keeps it on the user).
        key = (unit_id, what)
        if key not in self._edit_problems:
            try:
                check_can_edit_unit(self.user, unit_id, what=what)
                self._edit_problems[key] = None
            except PermissionDeniedError as exc:
                self._edit_problems[key] = exc.message
        return self._edit_problems[key]

    def verify(self, fact) -> None:
        """Make a fact this import writes 已认定 by the importing user (a `verified` import), dated on
        the fact's own date: the ledger was checked before it was brought in."""
        mark_verified(fact, user=self.actor, at=self.now)
        fact.verified_on = fact.date
        with self._counting:  # the writer thread verifies a chunk's new filings while this one checks rows
            self.verified_facts += 1

    def advance(self, rows: int, sheet: str) -> None:
        self.done += rows
        if self.progress:
            self.progress(self.done, self.total, sheet)


def _tune_connection(cache_kib: int = 65536) -> None:
    """A bigger page cache for this connection while the sheets are written (64 MiB: the import's peak memory
    stays under 500 MB); a small one (8 MiB) for the checks after the write, which hold the projects they check
    in Python instead — they are the import's peak."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{int(cache_kib)}")  # KiB, this connection only


ANALYZE_AFTER = 10_000  # projects or arrivals written (PostgreSQL's autovacuum waits for 10 % of a table)
LEDGER_TABLES = ("ledger_project", "ledger_fundarrival", "ledger_stagerecord", "ledger_projectshare")


def _analyze_if_grown(ctx: Context) -> None:
    """PostgreSQL: fresh statistics of the ledger's tables after a large import, before the checks that follow
    it read them. The planner otherwise sees the tables as they were before the import (an empty ledger: a few
    rows) and joins a hundred thousand rows by nested loops — the re-check after 100k + 300k rows took 8.5 s in
    the import against 4.9 s once analysed. ANALYZE samples the rows this transaction wrote too."""
    if connection.vendor != "postgresql" or ctx.written < ANALYZE_AFTER:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(LEDGER_TABLES)}")


def _after_write(ctx: Context) -> None:
    """What follows a successful write, inside its transaction: the projects' verified dates follow
    their filings, and the integrity flags of the touched projects are re-checked."""
    # A project this import created has only the filings it wrote; unless the import is verified they are all
    # 待核实, so its verified dates stay empty, as written: only the others are recomputed.
    ids = sorted(i for i in ctx.filed_projects if i > 0 and (ctx.verified or i not in ctx.new_projects))
    for i in range(0, len(ids), 900):  # SQLite's limit on a statement's parameters
        refresh_project_verified_dates(ids[i:i + 900])
    # Integrity (issue 9 §3): re-check the flags of every project this import wrote or filed against — their
    # pairs with the projects near them, not the whole of their years (issue 12: at 2,000,000 projects a year's
    # scan loads three years of the ledger).
    if ctx.touched_projects:
        flags_scan_projects(project_ids=ctx.touched_projects)


def import_workbook(path: str | Path, *, user=None, dry_run: bool = False, progress: Progress | None = None,
                    reader=None, correction_reason: str = "", verified: bool = False) -> ImportResult:
    """Validate and (unless `dry_run` or anything is wrong) write the workbook at `path` as `user`.
    `correction_reason` lets an assessor change rows dated in a closed period (结账); `verified` makes
    the stage filings and fund arrivals it writes 已认定 (assessors only, see `verify_problem`)."""
    from .handlers import HANDLERS

    started = time.perf_counter()
    result = ImportResult(dry_run=dry_run, verified=verified)
    user = user or SystemActor()
    if getattr(user, "is_read_only", False):
        result.fatal = "只读账号（领导）不能导入数据"
        return result
    if verified and (problem := verify_problem(user)):
        result.fatal = problem
        return result
    try:
        reader = reader or open_workbook(path)
    except WorkbookError as exc:
        result.fatal = exc.message
        result.errors = [RowError(s, r, c, m) for s, r, c, m in exc.problems]
        return result
    result.warnings = list(reader.warnings)
    try:
        total = sum(r.estimated_rows for r in reader.sheets)
        ctx = Context(user, progress, total, correction_reason, verified=verified)
        for sheet_reader in reader.sheets:
            for row, column in sheet_reader.formula_problems():
                ctx.error(sheet_reader.spec.name, row, column.header,
                          "公式没有计算结果（文件不是由Excel保存的）：请在Excel中打开并保存后再导入，或直接填写数值")
        _tune_connection()
        try:
            with gc_paused(), transaction.atomic(), WriteBehind(connection) as ctx.writer:
                by_name = {r.spec.name: r for r in reader.sheets}
                for name, handler_cls in HANDLERS:
                    if name in by_name:
                        handler = handler_cls(ctx, by_name[name])
                        handler.run()
                        result.counts[name] = handler.counts
                        # What the sheet needed and no later step does (its cells, the handler's keys of every
                        # row) goes before the next sheet: the import's peak memory is not the sum of them all.
                        by_name[name].release()
                        del handler
                ctx.drain()
                if ctx.errors or dry_run:
                    raise _Rollback
                ctx.forget_codes()  # what the sheets needed, before the re-check loads the projects it checks
                _analyze_if_grown(ctx)
                _tune_connection(8192)
                _after_write(ctx)
        except _Rollback:
            pass
        except (IntegrityError, DatabaseError) as exc:
            result.fatal = f"保存失败，数据违反数据库约束，未导入任何数据：{exc}"
        result.errors = ctx.errors
        result.rows = ctx.done
        result.verified_facts = ctx.verified_facts if result.committed else 0
    finally:
        reader.close()
    if result.errors and not dry_run:
        for counts in result.counts.values():
            for k in ("created", "updated", "deleted"):
                counts[k] = 0
    result.seconds = time.perf_counter() - started
    return result
