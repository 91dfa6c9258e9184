"""`zhaoshang integrity scan` (placeholder until the sub-command is built)."""

HELP = "scan"


def add_arguments(parser) -> None:
    pass


def handle(command, options) -> None:
    command.stdout.write("尚未实现")
