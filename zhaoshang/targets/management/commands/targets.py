"""`zhaoshang targets decompose --year Y --indicator NAME --total T --factors FILE.xlsx
[--weights 0.3,0.3,0.4] [--save]`: print the split of a city total over units; save with --save."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.money import to_decimal
from zhaoshang.targets.decompose import FACTORS, decompose, parse_weights, read_factors, save_targets


class Command(BaseCommand):
    help = "目标管理：decompose 按因素分解总目标（先显示结果，加 --save 才保存）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("decompose", help="按领导职数、职能系数、上年完成额加权分解总目标")
        d.add_argument("--year", type=int, required=True)
        d.add_argument("--indicator", required=True, help="指标名称，如 签约金额")
        d.add_argument("--total", required=True, help="全市总目标（万元或个数）")
        d.add_argument("--factors", required=True, help="因素表 .xlsx：单位编码、领导职数、职能系数、上年完成额")
        d.add_argument("--weights", help="三个因素的权重，默认 0.3,0.3,0.4")
        d.add_argument("--save", action="store_true", help="保存为各单位该年度该指标的目标")

    def handle(self, *args, action, year, indicator, total, factors, weights, save, **options):
        try:
            parts = decompose(to_decimal(total), read_factors(factors), parse_weights(weights))
        except (ApplicationError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(f"{year}年 {indicator} 总目标 {to_decimal(total)}，按{'、'.join(FACTORS)}分解：")
        self.stdout.write("单位编码\t单位名称\t" + "\t".join(FACTORS) + "\t占比\t目标")
        for p in parts:
            self.stdout.write(
                f"{p.unit_code}\t{p.unit_name}\t"
                + "\t".join(str(f) for f in p.factors)
                + f"\t{p.share * 100:.4f}%\t{p.value}"
            )
        self.stdout.write(f"合计\t\t\t\t\t100%\t{sum(p.value for p in parts)}")
        if save:
            n = save_targets(year=year, indicator=indicator, parts=parts)
            self.stdout.write(self.style.SUCCESS(f"已保存 {n} 个单位的目标"))
        else:
            self.stdout.write("（未保存：确认无误后加 --save 保存）")
