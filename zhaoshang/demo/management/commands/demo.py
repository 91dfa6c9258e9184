"""`zhaoshang demo [--port N] [--host H] [--no-serve] [--reset]`

`--reset` deletes the SQLite database file first (and its -wal/-shm/-journal companions), so the demo city
is loaded afresh with today's years; on another database it refuses and says what to do instead. Then it
migrates the database, loads the demo city if there are no units yet, prints the address and the demo
accounts (password `demo`), then serves with Django's development server (threaded, no autoreload)
and runs the background-task worker (`db_worker`) beside it for large imports.
Nothing is collected: in demo mode WhiteNoise serves static files straight from the finders.
The `zhaoshang` command sets ZHAOSHANG_DEMO=1 for this command (settings.DEMO_MODE).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from zhaoshang.demo.accounts import DEMO_PASSWORD, demo_accounts
from zhaoshang.orgs.models import Unit


class Command(BaseCommand):
    help = "一键演示：迁移数据库、载入演示城市并启动本地服务（账号密码均为 demo）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="端口（默认8000）")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认127.0.0.1）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--reset", action="store_true",
                            help="先删除现有的 SQLite 数据库文件，重新载入演示城市（演示中录入的数据会丢失）")

    def handle(self, *args, **opts) -> None:
        verbosity = opts["verbosity"]
        if opts["reset"]:
            removed = reset_sqlite(connections["default"])
            self.stdout.write(f"已删除演示数据库：{removed}，将重新载入演示城市。")
        self.stdout.write("正在迁移数据库…")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        if not Unit.objects.exists():
            from zhaoshang.demo.city import load_demo_city

            self.stdout.write("数据库为空，正在载入演示城市…")
            summary = load_demo_city(progress=verbosity > 0)
            parts = "，".join(f"{label} {n:,}" for label, n in summary.counts.items())
            self.stdout.write(self.style.SUCCESS(f"演示城市已载入：{parts}"))
        else:
            self.stdout.write("数据库中已有单位，沿用现有数据。")
        host, port = opts["host"], opts["port"]
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{shown_host}:{port}/"
        self._print_accounts()
        if not settings.DEMO_MODE:
            self.stdout.write(self.style.WARNING("注意：ZHAOSHANG_DEMO 未开启，登录页不会列出演示账号。"))
        if opts["no_serve"]:
            self.stdout.write(f"已准备就绪（未启动服务）。启动后访问：{url}")
            return
        if host not in ("127.0.0.1", "localhost", "::1") and "*" not in settings.ALLOWED_HOSTS:
            self.stdout.write(self.style.WARNING(
                f"监听 {host}：从其他机器访问需在环境变量 ALLOWED_HOSTS 中加入本机地址。"))
        self.stdout.write(self.style.SUCCESS(f"演示地址：{url}  （Ctrl+C 停止）"))
        addrport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # WhiteNoise serves from the finders in demo mode, but warns at every start if STATIC_ROOT is absent.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        # Large workbook imports run as background tasks; the demo runs their worker beside the server
        # so a new user needs no second terminal. Production runs `zhaoshang db_worker` as a service.
        worker = subprocess.Popen([sys.executable, "-m", "zhaoshang.cli", "db_worker"])
        try:
            with signals_exit():
                call_command("runserver", addrport, use_threading=True, use_reloader=False)
        finally:
            stop(worker)

    def _print_accounts(self) -> None:
        rows = demo_accounts()
        if not rows:
            return
        table = [("用户名", "角色", "单位")] + [(r["username"], r["role"], r["unit"] or "—") for r in rows]
        widths = [max(display_width(row[i]) for row in table) for i in range(2)]
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for row in table:
            cells = [row[i] + " " * (widths[i] - display_width(row[i])) for i in range(2)]
            self.stdout.write(f"  {cells[0]}  {cells[1]}  {row[2]}")
        self.stdout.write("")


@contextmanager
def signals_exit():
    """SIGTERM and SIGHUP (a service manager, `kill`, a closed terminal) end the demo the way Ctrl+C does:
    by an exception, so the `finally` that stops the worker runs. By default they end the process at once
    and leave the worker running on its own."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop(worker: subprocess.Popen) -> None:
    """Ask the worker to stop; kill it if it has not stopped within ten seconds."""
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def reset_sqlite(connection) -> str:
    """Close the connection and delete its SQLite file and companions; returns the path. Refused for any
    other database (it may hold real data, and the security audit log cannot be emptied by design)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite":
        raise CommandError("--reset 只用于 SQLite 演示数据库。其他数据库请由数据库管理员删除并重建该库后，"
                           "再运行 zhaoshang demo。")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise CommandError("--reset：当前是内存数据库，无需重置。")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)
    return name


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
