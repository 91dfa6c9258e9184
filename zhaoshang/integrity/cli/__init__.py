"""Sub-commands of `zhaoshang integrity`: each module offers `add_arguments(parser)` and
`handle(command, options)`; the management command wires them as subparsers."""
