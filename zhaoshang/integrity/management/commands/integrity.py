"""`zhaoshang integrity <scan|registry|spotcheck> …`: the integrity checks from the command line."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.errors import ApplicationError

# sub-command → module in zhaoshang.integrity.cli offering add_arguments(parser) and handle(command, options)
SUBCOMMANDS = {
    "scan": "scan",
    "registry": "registry",
    "spotcheck": "spotcheck",
}


def _module(name: str):
    return importlib.import_module(f"zhaoshang.integrity.cli.{SUBCOMMANDS[name]}")


class Command(BaseCommand):
    help = "核实与督查：重复与包装项目扫描（scan）、工商登记比对（registry）、抽查复核（spotcheck）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name in SUBCOMMANDS:
            module = _module(name)
            module.add_arguments(sub.add_parser(name, help=getattr(module, "HELP", name)))

    def handle(self, *args, subcommand, **options):
        try:
            _module(subcommand).handle(self, options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
