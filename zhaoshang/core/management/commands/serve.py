"""`zhaoshang serve [--bind 0.0.0.0:8000] [--workers N]` — production.

Runs `collectstatic --noinput`, then replaces this process with gunicorn serving zhaoshang.wsgi:application
(os.execvp of the gunicorn installed next to this Python, so a supervisor or container sees gunicorn itself
and its signals reach it).

Before serving in production: set SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL for PostgreSQL, and
CSRF_TRUSTED_ORIGINS / SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE behind HTTPS); `zhaoshang check --deploy`
should pass; run `zhaoshang migrate` after each upgrade. The `zhaoshang` command refuses the development
key for `serve`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def default_workers() -> int:
    env = os.environ.get("WEB_CONCURRENCY")
    if env:
        return int(env)
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def gunicorn_path() -> str:
    local = Path(sys.executable).with_name("gunicorn")
    if local.exists():
        return str(local)
    found = shutil.which("gunicorn")
    if not found:
        raise CommandError("找不到 gunicorn：请在本项目的虚拟环境中安装（pip install gunicorn）")
    return found


class Command(BaseCommand):
    help = "生产环境启动：收集静态文件后以 gunicorn 运行（需设置 SECRET_KEY 与 ALLOWED_HOSTS）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0:8000"),
                            help="监听地址（默认0.0.0.0:8000，或环境变量 BIND）")
        parser.add_argument("--workers", type=int, default=None, help="工作进程数（默认 WEB_CONCURRENCY 或 2×CPU+1）")
        parser.add_argument("--timeout", type=int, default=120, help="请求超时秒数（默认120，导入与报表较慢）")

    def handle(self, *args, **opts) -> None:
        workers = opts["workers"] or default_workers()
        if workers < 1:
            raise CommandError("--workers 至少为1")
        self._warn_unapplied_migrations()
        call_command("collectstatic", interactive=False, verbosity=opts["verbosity"])
        gunicorn = gunicorn_path()
        argv = [gunicorn, "zhaoshang.wsgi:application", "--bind", opts["bind"], "--workers", str(workers),
                "--timeout", str(opts["timeout"]), "--access-logfile", "-"]
        self.stdout.write(f"启动 gunicorn：{opts['bind']}，{workers} 个工作进程")
        self.stdout.flush()
        sys.stderr.flush()
        connections.close_all()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
        os.execvp(gunicorn, argv)

    def _warn_unapplied_migrations(self) -> None:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stderr.write(self.style.WARNING(f"有 {len(plan)} 个数据库迁移尚未执行，请先运行 zhaoshang migrate"))
