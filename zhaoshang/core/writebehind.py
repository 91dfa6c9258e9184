"""Bulk writers store one batch of rows while the caller prepares the next.

The import checks 5,000 rows in Python, then writes them; the demo generator draws 2,000,000 projects and
stores them. The storing is the database's own work — on SQLite, C code that runs with Python's interpreter
lock released; on PostgreSQL, the server — and the machine has a second core. `WriteBehind` runs each batch's
write on a thread of its own, on the caller's database connection and inside its transaction, while the
caller goes on with the next batch.

Only one thing touches the connection at a time. At most `depth` jobs are waiting or running (`submit`
blocks until there is room, which also bounds the rows held in memory); any statement the caller's thread
runs while a job is pending first waits for every pending job (an `execute_wrapper` on the connection), so a
read always sees every row written before it. A failed job is raised in the caller's thread at the next
`submit` or `drain`, or when the block ends; the jobs after it are dropped, and the caller's transaction
rolls back as if it had failed there.

    with transaction.atomic(), WriteBehind(connection) as writer:
        writer.submit(lambda: write(chunk))
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable

from django.db import connections

SWITCH_INTERVAL = 0.0005  # seconds (see `WriteBehind.__enter__`)

# The interval is the process's: two writers on two threads of one server shorten it once and the last one to
# finish puts it back as it was.
_interval_lock = threading.Lock()
_interval_users = 0
_interval_before = sys.getswitchinterval()


def _shorten_switch_interval() -> None:
    global _interval_users, _interval_before
    with _interval_lock:
        if _interval_users == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval_before, SWITCH_INTERVAL))
        _interval_users += 1


def _restore_switch_interval() -> None:
    global _interval_users
    with _interval_lock:
        _interval_users -= 1
        if _interval_users == 0:
            sys.setswitchinterval(_interval_before)


class WriteBehind:
    """`with WriteBehind(connection) as writer: writer.submit(job) …`: jobs (callables) run one after another
    on a writer thread sharing `connection` (a Django connection wrapper, inside the caller's transaction).

    `depth`: how many jobs may be waiting or running at once; 1 means `submit` first waits for the job before.
    `threaded=False` runs each job at once in the caller's thread (same outcome, no overlap)."""

    def __init__(self, connection, *, depth: int = 1, threaded: bool = True, name: str = "zs-writer") -> None:
        # The wrapper itself, not `django.db.connection` (a proxy that each thread resolves to its own).
        self.connection = connections[connection.alias]
        self.depth = max(1, depth)
        self.threaded = threaded
        self._jobs: deque = deque()
        self._pending = 0  # jobs submitted and not yet done (waiting or running)
        self._changed = threading.Condition()
        self._failure: BaseException | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._wrapping = None
        self._shortened = False

    # -- the block --
    def __enter__(self) -> WriteBehind:
        if not self.threaded:
            return self
        # PostgreSQL: the writer mostly waits on the server with the interpreter lock released; after each
        # statement it needs the lock back, which the busy caller gives up only at the switch interval (5 ms by
        # default): ten statements a chunk, 80 chunks, seconds of waiting (reserving ids alone 2.0 → 0.56 s
        # at an import of 100k + 300k rows). Not on SQLite, where the writer's own Python work then interrupts
        # the caller more often: the import's CPU time rose from 23 to 25 s.
        self._shortened = self.connection.vendor == "postgresql"
        if self._shortened:
            _shorten_switch_interval()
        self.connection.ensure_connection()
        self.connection.inc_thread_sharing()
        self._wrapping = self.connection.execute_wrapper(self._wait_for_writer)
        self._wrapping.__enter__()
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.threaded:
            return
        with self._changed:
            if exc_type is not None:
                self._jobs.clear()  # the transaction is rolled back anyway: write no more
                self._pending = 1 if self._running else 0
            self._stopping = True
            self._changed.notify_all()
        # Never leave (and roll back) with a statement still running on the connection.
        self._thread.join()
        self._wrapping.__exit__(None, None, None)
        self.connection.dec_thread_sharing()
        if self._shortened:
            _restore_switch_interval()
        if exc_type is None:
            self._raise_failure()

    # -- the caller's side --
    def submit(self, job: Callable[[], object]) -> None:
        """Run `job` on the writer thread once there is room (or raise the error of a job that failed)."""
        if not self.threaded:
            job()
            return
        with self._changed:
            while self._pending >= self.depth and self._failure is None:
                self._changed.wait()
            self._raise_failure()
            self._jobs.append(job)
            self._pending += 1
            self._changed.notify_all()

    def drain(self) -> None:
        """Wait until nothing is being written (the connection is then the caller's); raise the error of a
        job that failed."""
        if not self.threaded:
            return
        with self._changed:
            while self._pending:
                self._changed.wait()
            self._raise_failure()

    def _raise_failure(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    # -- the writer's side --
    _running = False

    def _work(self) -> None:
        # This thread's `connections[alias]` is the caller's wrapper: the jobs' ORM and cursor calls reach the
        # same connection and transaction.
        connections[self.connection.alias] = self.connection
        try:
            self._run_jobs()
        finally:
            # A connection a job opened to another database (a read routed to a replica) is this thread's own.
            for other in connections.all(initialized_only=True):
                if other is not self.connection:
                    other.close()

    def _run_jobs(self) -> None:
        while True:
            with self._changed:
                while not self._jobs and not self._stopping:
                    self._changed.wait()
                if not self._jobs:
                    return
                job = self._jobs.popleft()
                self._running = True
            try:
                if self._failure is None:
                    job()
            except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread, which raises it
                self._failure = exc
            finally:
                # A done job lets go of its rows (and whatever it closed over) before the thread waits again.
                job = None
                with self._changed:
                    self._running = False
                    self._pending -= 1
                    if self._failure is not None:  # the jobs after a failure are dropped
                        self._pending -= len(self._jobs)
                        self._jobs.clear()
                    self._changed.notify_all()

    def _wait_for_writer(self, execute, sql, params, many, context):
        if threading.current_thread() is not self._thread and self._pending:
            with self._changed:
                while self._pending:
                    self._changed.wait()
        return execute(sql, params, many, context)
