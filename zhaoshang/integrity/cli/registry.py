"""`zhaoshang integrity registry` (placeholder until the sub-command is built)."""

HELP = "registry"


def add_arguments(parser) -> None:
    pass


def handle(command, options) -> None:
    command.stdout.write("尚未实现")
