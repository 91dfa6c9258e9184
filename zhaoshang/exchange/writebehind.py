"""The import writes a chunk of rows while it reads and checks the next one.

A sheet is imported chunk by chunk: parse and check 5,000 rows in Python, then write them (rows, history,
stage filings). The writing is the database's own work — on SQLite, C code that runs with Python's
interpreter lock released; on PostgreSQL, the server — and the machine has a second core. `WriteBehind` runs
each chunk's write on a thread of its own, on the same database connection and inside the same transaction,
while the main thread goes on with the next chunk.

Only one thing touches the connection at a time: at most one write is in flight (`submit` waits for the one
before), and any statement the main thread runs while a write is in flight first waits for it (an
`execute_wrapper` on the connection), so a read always sees every chunk written before it. A failed write
is raised in the main thread at the next `submit` or `drain`, or when the block ends, and the import's
transaction rolls back as if it had failed there. Rows of one sheet that name rows of the same sheet are
not written behind (`Handler.pipelined`): their codes are known only once written.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable

from django.db import connections

SWITCH_INTERVAL = 0.0005  # seconds (see `WriteBehind.__enter__`)

# The interval is the process's: two imports on two threads of one server shorten it once and the last one to
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
    """`with WriteBehind(connection) as writer: writer.submit(job) …`: jobs run one after another on a
    writer thread sharing `connection` (a Django connection wrapper, inside the caller's transaction)."""

    def __init__(self, connection) -> None:
        # The wrapper itself, not `django.db.connection` (a proxy that each thread resolves to its own).
        self.connection = connections[connection.alias]
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._idle = threading.Event()
        self._idle.set()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="zs-import-writer", daemon=True)
        self._wrapping = None

    def __enter__(self) -> WriteBehind:
        # PostgreSQL: the writer mostly waits on the server with the interpreter lock released; after each
        # statement it needs the lock back, which the busy main thread gives up only at the switch interval
        # (5 ms by default): ten statements a chunk, 80 chunks, seconds of waiting (reserving ids alone
        # 2.0 → 0.56 s at 100k + 300k). Not on SQLite, where the writer's own Python work then interrupts the
        # main thread more often: its CPU time rose from 23 to 25 s.
        self._shortened = self.connection.vendor == "postgresql"
        if self._shortened:
            _shorten_switch_interval()
        self.connection.inc_thread_sharing()
        self._wrapping = self.connection.execute_wrapper(self._wait_for_writer)
        self._wrapping.__enter__()
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # Never leave (and roll back) with a statement still running on the connection.
        self._idle.wait()
        self._jobs.put(None)
        self._thread.join()
        self._wrapping.__exit__(None, None, None)
        self.connection.dec_thread_sharing()
        if self._shortened:
            _restore_switch_interval()
        if exc_type is None:
            self._raise_failure()

    def submit(self, job: Callable[[], None]) -> None:
        """Run `job` on the writer thread once the write before it is done (or raise that write's error)."""
        self.drain()
        self._idle.clear()
        self._jobs.put(job)

    def drain(self) -> None:
        """Wait until nothing is being written; raise the error of a write that failed."""
        self._idle.wait()
        self._raise_failure()

    def _raise_failure(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def _work(self) -> None:
        # This thread's `connections[alias]` is the importing thread's wrapper: the jobs' ORM and cursor calls
        # reach the same connection and transaction.
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
            job = self._jobs.get()
            if job is None:
                return
            try:
                if self._failure is None:
                    job()
            except BaseException as exc:  # noqa: BLE001 — handed to the importing thread, which raises it
                self._failure = exc
            finally:
                # A done job lets go of its chunk and its sheet's handler before the thread waits for the next.
                job = None
                self._idle.set()

    def _wait_for_writer(self, execute, sql, params, many, context):
        if threading.current_thread() is not self._thread:
            self._idle.wait()
        return execute(sql, params, many, context)
