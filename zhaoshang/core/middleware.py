"""Pages whose query string carries a NUL are refused at the door.

PostgreSQL cannot hold a NUL in text, so a `?q=%00` that reaches a filter fails deep in the driver with a
raw error (HTTP 500). Forms, the API (422 naming the parameter) and the import deal with control characters
field by field with their own messages (core/text.py); this catches every page that reads a raw query value,
in one place."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _


def _has_nul(querydict) -> str | None:
    for key, values in querydict.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "")
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = None if request.path.startswith("/api/") else _has_nul(request.GET)
        if field is None:
            return self.get_response(request)
        message = _("“%(field)s”含有不可见字符U+0000（控制字符），请删除后重试") % {"field": field}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
