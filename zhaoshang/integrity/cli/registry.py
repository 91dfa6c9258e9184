"""`zhaoshang integrity registry import FILE [--user NAME]` and `zhaoshang integrity registry status`

Imports a 工商登记 extract (.xlsx or .csv with 企业名称, 统一社会信用代码, 成立日期, 登记机关, 注册资本, 登记状态),
all or nothing: bad rows are listed with their row and column. The registry check of the scan compares
every project's investor with it; without an extract the check says it was not run.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from zhaoshang.orgs.models import User

from ..models.registry import RegistryEntry, RegistryImport
from ..services.flags import NO_REGISTRY
from ..services.registry import RegistryFileError, registry_import_path

HELP = "工商登记数据：import 导入（Excel 或 CSV），status 查看最近一次导入"


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=["import", "status"], help="import：导入文件；status：查看导入情况")
    parser.add_argument("file", nargs="?", help="工商登记文件（.xlsx 或 .csv）")
    parser.add_argument("--user", help="以该考核办用户身份导入；不填则以系统身份")


def handle(command, options) -> None:
    if options["action"] == "status":
        last = RegistryImport.objects.select_related("imported_by").first()
        if last is None:
            command.stdout.write(NO_REGISTRY)
            return
        command.stdout.write(
            f"共{RegistryEntry.objects.count()}家企业；最近一次导入：{last.file_name}（{last.row_count}行），"
            f"{last.imported_at:%Y-%m-%d %H:%M}"
        )
        return
    if not options.get("file"):
        raise CommandError("请指定要导入的文件：zhaoshang integrity registry import FILE")
    user = None
    if options.get("user"):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在")
    try:
        batch = registry_import_path(path=options["file"], user=user)
    except RegistryFileError as exc:
        raise CommandError("\n".join([exc.message, *(str(e) for e in exc.errors)])) from exc
    command.stdout.write(f"已导入工商登记数据 {batch.row_count} 行（{batch.file_name}）")
