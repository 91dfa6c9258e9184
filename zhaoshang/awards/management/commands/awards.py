"""`zhaoshang awards nominate --run ID [--json] [--save]`: the nominations a published run earns under
its year's catalogue (printed; written with --save). `zhaoshang awards clawbacks [--run ID]`: re-run the
published schemes without the facts rejected since, and propose the clawbacks."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core.errors import ApplicationError

from ... import clawback, services
from ...documents import yuan


def _run(run_id: int) -> AssessmentRun:
    run = AssessmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise CommandError(f"找不到编号为 {run_id} 的考核结果")
    return run


class Command(BaseCommand):
    help = "奖励：nominate 列出已发布考核结果产生的提名（--save 写入）；clawbacks 核查被否定事实并提出追回建议"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        n = sub.add_parser("nominate", help="列出已发布考核结果在该年度奖项目录下产生的提名")
        n.add_argument("--run", type=int, required=True, help="考核结果编号")
        n.add_argument("--json", action="store_true", help="以 JSON 输出")
        n.add_argument("--save", action="store_true", help="写入提名（已有的保持不变）")
        c = sub.add_parser("clawbacks", help="不计考核结果发布后被否定的事实重新计算，提出追回建议")
        c.add_argument("--run", type=int, help="只核查该考核结果的奖励")

    def handle(self, *args, action, **options):
        try:
            if action == "nominate":
                self._nominate(options)
            else:
                self._clawbacks(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _nominate(self, options):
        run = _run(options["run"])
        found = services.proposals(run)
        if options["json"]:
            self.stdout.write(json.dumps([{
                "award": e.item.name, "kind": e.item.get_kind_display(), "amount_yuan": str(e.item.amount),
                "subject": e.row["subject"], "group": e.row.get("group"), "rank": e.row.get("rank"),
                "total": e.row["total"], "grade": e.row.get("grade"), "basis": e.basis,
            } for e in found], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{run}：{len(found)}个提名")
            for e in found:
                self.stdout.write(f"{e.item.get_kind_display()}·{e.item.name}\t{e.row['subject']['name']}\t"
                                  f"{e.basis}\t{yuan(e.item.amount)}")
        if options["save"]:
            created = services.nominate_from_run(user=None, run=run, command_line=True)
            self.stdout.write(self.style.SUCCESS(f"已写入{len(created)}个新提名"))

    def _clawbacks(self, options):
        run = _run(options["run"]) if options.get("run") else None
        found = clawback.propose_all(run)
        for c in found:
            self.stdout.write(f"{c.nomination}\t{c.explanation}\t应追回{yuan(c.amount)}")
        self.stdout.write(f"共提出{len(found)}项追回建议")
