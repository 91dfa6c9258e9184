"""Hooks the ledger offers to the layers above it (integrity subscribes in its AppConfig.ready). The
ledger never imports those apps; it calls whatever is registered here, inside the write's transaction.

- `signing_guards`: called as guard(project=…, user=…) before a project is saved with a signing date
  it did not have (a new signing). A guard raises `ApplicationError` to refuse the signing (e.g. the
  city requires a passed 预评审 first).
- `project_saved_hooks`: called as hook(project=…, user=…) after any ledger write that touched the
  project (create, update, stage filing, fund arrival). Integrity re-checks the project's flags.
- `project_filter_hooks`: extra drill-down filters of the ledger list, each a hidden URL parameter with
  a positive integer (chains: `segment=<id>`, the projects landed in one segment of a chain).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

signing_guards: list[Callable[..., None]] = []
project_saved_hooks: list[Callable[..., None]] = []


@dataclass(frozen=True)
class ProjectFilterHook:
    param: str  # the URL parameter
    label: str  # its name in the drill-down badges (Chinese)
    apply: Callable  # apply(queryset, value: int) -> queryset
    describe: Callable  # describe(value: int) -> what the value is, as a person reads it


project_filter_hooks: list[ProjectFilterHook] = []


def check_signing(*, project, user, was_signed: bool) -> None:
    """Run the signing guards when this write signs the project for the first time."""
    if project.signed_on is None or was_signed:
        return
    for guard in signing_guards:
        guard(project=project, user=user)


def project_saved(*, project, user) -> None:
    for hook in project_saved_hooks:
        hook(project=project, user=user)
