"""`zhaoshang integrity spotcheck` (placeholder until the sub-command is built)."""

HELP = "spotcheck"


def add_arguments(parser) -> None:
    pass


def handle(command, options) -> None:
    command.stdout.write("尚未实现")
