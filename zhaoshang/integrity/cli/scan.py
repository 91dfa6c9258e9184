"""`zhaoshang integrity scan --year 2023 [--json] [--user NAME]`

Scans the projects signed in the year for double counting (同一投资方在两个单位重复计入), packaged projects
(年末突击签约, 老企业新报), registration elsewhere (异地注册, when ZHAOSHANG_CITY_DIVISIONS is set) and registry
mismatches (when a 工商登记 extract was imported), stores the flags and prints what it found. A rescan
neither duplicates a flag nor reopens one an assessor resolved; an open flag the data no longer shows is
closed. Checks that could not run say so.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from zhaoshang.orgs.models import User

from ..services.flags import flags_scan

HELP = "疑点扫描：同一投资方重复计入、年末突击签约、老企业新报、异地注册、工商登记不符"


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help="考核年度，如 2023")
    parser.add_argument("--user", help="以该考核办用户身份扫描；不填则以系统身份")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def handle(command, options) -> None:
    user = None
    if options.get("user"):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在")
    year = options["year"]
    if not 1990 <= year <= 2100:
        raise CommandError(f"年度“{year}”无效")
    report = flags_scan(year=year, user=user)
    if options.get("json"):
        command.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        command.stdout.write(report.summary())
