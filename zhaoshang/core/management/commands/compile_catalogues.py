"""Compile the gettext catalogues (.po → .mo) with polib.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a Windows or minimal Linux office
PC may not have; polib is pure Python and installed with the package. The .mo files are build
output and git-ignored. Chinese is the source language (msgids are Chinese), so the default UI
never depends on this step; English does.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "编译界面翻译目录（.po → .mo）"

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
                self.stdout.write(f"{po_path.relative_to(locale_dir)}: {catalogue.percent_translated()}% translated")
        self.stdout.write(self.style.SUCCESS(f"compiled {count} catalogue(s)"))
