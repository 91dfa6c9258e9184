"""`zhaoshang chain list`: the chains with their segments, targets and projects.
`zhaoshang chain guide --chain NAME -o 招商指南.docx`: the chain's 产业招商指南 as a Word document."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from zhaoshang.chains import documents, selectors
from zhaoshang.chains.models import ChainProjectLink, IndustryChain, TargetEnterprise
from zhaoshang.core.db import MoneySum, money
from zhaoshang.core.money import format_auto
from zhaoshang.security.audit import record
from zhaoshang.security.models import AuditAction


class Command(BaseCommand):
    help = "产业链：列出产业链（环节、目标企业、落地项目），或生成产业招商指南（Word）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        sub.add_parser("list", help="列出产业链及其环节、目标企业和落地项目")
        guide = sub.add_parser("guide", help="生成某条产业链的产业招商指南（Word）")
        guide.add_argument("--chain", required=True, help="产业链名称，如：新能源汽车")
        guide.add_argument("-o", "--output", required=True, help="输出文件，如：招商指南.docx")

    def handle(self, *args, action: str, **options):
        if action == "list":
            self._list()
        else:
            self._guide(options["chain"], options["output"])

    def _list(self) -> None:
        chains = list(IndustryChain.objects.annotate(n_segments=Count("segments", distinct=True)).order_by(
            "order", "name"))
        if not chains:
            self.stdout.write("尚未建立产业链")
            return
        targets = dict(TargetEnterprise.objects.order_by().values("segment__chain_id").annotate(n=Count("id"))
                       .values_list("segment__chain_id", "n"))
        projects = {r["segment__chain_id"]: r for r in ChainProjectLink.objects.order_by()
                    .values("segment__chain_id").annotate(n=Count("id"), amount=MoneySum("project__signed_amount"))}
        self.stdout.write(f"共 {len(chains)} 条产业链")
        self.stdout.write(f"{'产业链':<16}{'环节':>6}{'目标企业':>8}{'落地项目':>8}  签约金额")
        for chain in chains:
            p = projects.get(chain.pk, {})
            self.stdout.write(f"{chain.name:<16}{chain.n_segments:>6}个{targets.get(chain.pk, 0):>6}家"
                              f"{p.get('n', 0):>7}个  {format_auto(money(p.get('amount')))}")

    def _guide(self, name: str, output: str) -> None:
        chain = selectors.chain_by_name(name)
        if chain is None:
            known = "、".join(IndustryChain.objects.order_by("order", "name").values_list("name", flat=True))
            raise CommandError(f"没有名为“{name}”的产业链" + (f"，现有：{known}" if known else "（尚未建立产业链）"))
        path = Path(output)
        if path.parent and not path.parent.exists():
            raise CommandError(f"目录不存在：{path.parent}")
        path.write_bytes(documents.guide_docx(chain))
        record(None, AuditAction.EXPORT, f"产业招商指南：{chain.name}", True, detail=f"命令行导出至 {path.name}")
        self.stdout.write(f"已生成《{chain.name}产业招商指南》：{path}")
