"""The `zhaoshang` command: Django's management commands with the project's settings preselected.

`zhaoshang migrate`, `zhaoshang createsuperuser`, `zhaoshang demo`, `zhaoshang serve`,
`zhaoshang generate`, … — `zhaoshang help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "zhaoshang"
    command = argv[1] if len(argv) > 1 else "help"
    # Only what serves pages needs a real SECRET_KEY (sessions, CSRF); `serve` and `check --deploy` insist on
    # one so production cannot start with the development key. Maintenance commands do not.
    production = command == "serve" or (command == "check" and "--deploy" in argv)
    if not production:
        os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    if command == "demo":
        os.environ.setdefault("ZHAOSHANG_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
