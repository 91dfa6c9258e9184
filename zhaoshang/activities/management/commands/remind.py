"""`zhaoshang remind [--date D] [--email] [--no-open]`: the daily list of what is overdue.

First it records 未报 for every past-due month a unit has not submitted (so the schemes' late and
missing measures count it without anyone entering it; `--no-open` skips this), then prints the
reminders by unit: overdue submissions, projects without progress, quotas behind schedule. With
`--email`, each unit's users with an e-mail address receive their unit's list and the assessment
office receives the whole list, through Django's mail settings.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.activities import reminders, services
from zhaoshang.core.periods import today
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import User


class Command(BaseCommand):
    help = "列出逾期未报送的台账、长期无进展的项目和落后于时序进度的任务；可选发送邮件。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--email", action="store_true", help="按单位发送邮件提醒")
        parser.add_argument("--no-open", action="store_true", help="不为逾期未报的月份生成“未报”记录")

    def handle(self, *args, date=None, email=False, no_open=False, **options):
        try:
            as_of = dt.date.fromisoformat(date) if date else today()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        if not no_open:
            created = services.submissions_open(as_of=as_of)
            if created:
                self.stdout.write(f"已为逾期未报送的月份记录“未报” {created} 条")
        found = reminders.collect(user=None, as_of=as_of)
        grouped = found.by_unit()
        self.stdout.write(f"截至 {as_of:%Y-%m-%d} 共 {found.total} 条提醒，涉及 {len(grouped)} 个单位")
        for unit, items in grouped.items():
            self.stdout.write(f"\n{unit.code} {unit.name}")
            for item in items:
                self.stdout.write(f"  - {item.text}")
        if email:
            sent = self._send(found, grouped, as_of)
            self.stdout.write(f"\n已发送邮件 {sent} 封")

    def _send(self, found, grouped, as_of) -> int:
        sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
        subject = f"招商台账催办提醒（{as_of:%Y-%m-%d}）"
        sent = 0
        for unit, items in grouped.items():
            to = list(User.objects.filter(unit=unit, is_active=True).exclude(email="").values_list("email", flat=True))
            if to:
                body = "\n".join(f"- {i.text}" for i in items)
                sent += send_mail(subject, f"{unit.name}：\n{body}\n", sender, to)
        office = list(User.objects.filter(role=UserRole.ASSESSOR, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
        if office and found.items:
            body = "\n".join(f"{u.name}\n" + "\n".join(f"  - {i.text}" for i in items) for u, items in grouped.items())
            sent += send_mail(subject, body, sender, office)
        return sent
