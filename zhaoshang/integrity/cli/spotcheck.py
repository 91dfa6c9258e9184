"""`zhaoshang integrity spotcheck --period 2023 --rate 0.1 --min-per-unit 1 --seed 42 [--json] [--user NAME]`

Draws a spot-check (抽查复核) of the facts district assessors passed or verified in the period, weighted by
amount and open risk flags, stores it with its population, weights, digest and seed, and prints the sample
(per district: project, fact, date, amount in 万元, weight). The same seed over the same facts draws the
same sample. Without --user the operator draws; with it, the user must be of the city assessment office.

`zhaoshang integrity spotcheck --show ID [--json]` prints a stored spot-check again.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import CommandError

from zhaoshang.orgs.models import User

from ..models.spotchecks import SpotCheck
from ..selectors.spotchecks import ordered, spotcheck_as_dict
from ..services.spotchecks import spotcheck_draw

HELP = "抽查复核：按金额和疑点加权抽取区考核办核实的记录（可复现）"


def add_arguments(parser) -> None:
    parser.add_argument("--period", help="期间：2023、2023Q2 或 2023-05")
    parser.add_argument("--rate", default="0.1", help="各区抽查比例，大于0且不超过1（默认 0.1）")
    parser.add_argument("--min-per-unit", type=int, default=1, help="每个有记录的单位至少抽查几条（默认 1）")
    parser.add_argument("--seed", type=int, help="随机种子（不填则随机生成并保存）")
    parser.add_argument("--note", default="", help="说明")
    parser.add_argument("--user", help="以该考核办用户身份抽取；不填则以系统身份")
    parser.add_argument("--show", type=int, metavar="ID", help="显示已保存的抽查（不重新抽取）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def _user(username: str | None):
    if not username:
        return None
    user = User.objects.filter(username=username).select_related("unit").first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return user


def _wan(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,}"


def handle(command, options) -> None:
    if options.get("show"):
        check = SpotCheck.objects.filter(pk=options["show"]).first()
        if check is None:
            raise CommandError(f"抽查 {options['show']} 不存在")
    else:
        if not options.get("period"):
            raise CommandError("请用 --period 指定期间，如 --period 2023")
        check = spotcheck_draw(user=_user(options.get("user")), period=options["period"], rate=options["rate"],
                               min_per_unit=options["min_per_unit"], seed=options.get("seed"),
                               note=options.get("note") or "")
    data = spotcheck_as_dict(check, ordered(check.items.all()))
    if options.get("json"):
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = command.stdout
    out.write(f"{data['label']}抽查复核（编号 {data['id']}）：总体 {data['population_size']} 条，"
              f"抽取 {data['sample_size']} 条；比例 {data['rate']}，每单位至少 {data['min_per_unit']} 条，"
              f"随机种子 {data['seed']}")
    out.write(f"总体摘要 SHA-256：{data['population_digest']}")
    out.write("单位\t项目编号\t项目名称\t记录\t日期\t金额(万元)\t权重\t复核结果")
    for i in data["items"]:
        weight = _wan(Decimal(i["weight"]) / 10_000)
        if i["open_flags"]:
            weight += f"（含疑点{i['open_flags']}个）"
        out.write("\t".join([
            i["unit"]["name"], i["project"]["code"], i["project"]["name"], i["fact"]["label"], i["fact"]["date"],
            _wan(i["amount"]), weight, i["result_display"],
        ]))
    out.write("权重 = 金额（不足1万元按1万元）×（1 + 未处理疑点数）。")
