"""Compile the gettext catalogues (.po → .mo) with polib.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a Windows or minimal Linux office
PC may not have; polib is pure Python and installed with the package. The .mo files are build
output and git-ignored. Chinese is the source language (msgids are Chinese), so the default UI
never depends on this step; English does.
"""

import os
import tempfile
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
                _save_atomically(catalogue, po_path.with_suffix(".mo"))
                count += 1
                self.stdout.write(f"{po_path.relative_to(locale_dir)}: {catalogue.percent_translated()}% translated")
        self.stdout.write(self.style.SUCCESS(f"compiled {count} catalogue(s)"))


def _save_atomically(catalogue: polib.POFile, mo_path: Path) -> None:
    """Write beside the target and rename over it: a server (or a parallel test worker) loading the
    catalogue meanwhile reads the old file or the new one, never a half-written one."""
    fd, tmp = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo")
    os.close(fd)
    try:
        catalogue.save_as_mofile(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
