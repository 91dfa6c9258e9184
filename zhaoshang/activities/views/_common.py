"""Helpers shared by the daily-work views."""

from __future__ import annotations

from django.views.decorators.http import require_http_methods

from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.orgs.scope import check_can_edit_unit

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


def _may_edit(user, unit_id) -> bool:
    try:
        check_can_edit_unit(user, unit_id)
    except PermissionDeniedError:
        return False
    return True


def _wants_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request
