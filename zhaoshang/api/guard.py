"""What every API request is checked for before an operation reads it, whichever router it belongs to.

* Invisible characters (core/text.py) in the path, the query or the body are refused with 422 naming the
  parameter: a NUL would otherwise reach a query, which PostgreSQL refuses with a raw error (500).
* Integers beyond the database's 64 bits (an id, an offset, a version) are refused the same way: SQLite
  and PostgreSQL raise an overflow error instead of finding nothing. An id in the path that large names
  nothing, so it is a 404.
* The OpenAPI document lists, for every operation, the errors it can really answer with (`ERRORS`).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from zhaoshang.core.db import DB_INT_MAX
from zhaoshang.core.text import text_problem


def _walk(value: Any, path: str, found: dict[str, list[str]]) -> None:
    if isinstance(value, str):
        if message := text_problem(value, label=path or _("请求体"), multiline=True):
            found.setdefault(path or "__all__", []).append(message)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > DB_INT_MAX:
            found.setdefault(path or "__all__", []).append(_("数值超出范围（最大为%(max)s）") % {"max": DB_INT_MAX})
    elif isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            if message := text_problem(key_text, label=_("键名"), multiline=False):
                found.setdefault(f"{path}.{key_text!r}" if path else repr(key_text), []).append(message)
                continue
            _walk(item, f"{path}.{key_text}" if path else key_text, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}.{i}" if path else str(i), found)


def _query_int_too_large(text: str) -> bool:
    digits = text.strip().lstrip("+-")
    return digits.isdigit() and len(digits) >= 19 and int(digits) > DB_INT_MAX


def request_problems(request: HttpRequest, path_params: dict[str, Any]) -> tuple[dict[str, list[str]], bool]:
    """(parameter → messages, whether a path id names nothing) for one API request."""
    found: dict[str, list[str]] = {}
    missing = False
    for name, value in path_params.items():
        if isinstance(value, int) and not isinstance(value, bool) and value > DB_INT_MAX:
            missing = True
        elif isinstance(value, str):
            _walk(value, name, found)
    for name in request.GET:
        for value in request.GET.getlist(name):
            _walk(value, name, found)
            if _query_int_too_large(value):
                found.setdefault(name, []).append(_("数值超出范围（最大为%(max)s）") % {"max": DB_INT_MAX})
    content_type = (request.content_type or "").lower()
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                body = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                body = None  # Ninja answers an unreadable body itself (400)
            _walk(body, "", found)
        elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            for name in request.POST:
                for value in request.POST.getlist(name):
                    _walk(value, name, found)
    return found, missing


def guarded(api, run):
    """A Ninja "view" decorator: refuse the request before its operation parses it."""
    from .errors import FieldErrors

    @functools.wraps(run)
    def check_then_run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found, missing = request_problems(request, kwargs)
        if missing:
            return api.create_response(request, {"message": _("未找到"), "fields": {}}, status=404)
        if found:
            return api.on_exception(request, FieldErrors(found, _("请求数据有误")))
        return run(request, *args, **kwargs)

    return check_then_run


# ---- the errors each operation documents --------------------------------------------------------------------

# Any operation: 400 a business rule, 401 no or a bad token, 403 outside the user's role or units, 404 an id
# that names nothing the user may see, 422 input that does not parse, 429 a locked account or address.
READ_STATUSES = (400, 401, 403, 404, 422, 429)
# Writes also answer 409 when the record was saved by someone else in between.
WRITE_STATUSES = (*READ_STATUSES, 409)


def document_errors(operation, error_schema) -> None:
    """Add the error responses an operation can give to its OpenAPI entry (those it declares are kept)."""
    writes = bool(set(operation.methods) & {"POST", "PUT", "PATCH", "DELETE"})
    for status in WRITE_STATUSES if writes else READ_STATUSES:
        if status not in operation.response_models:
            operation.response_models[status] = operation._create_response_model(error_schema)


# ---- the text rule in the OpenAPI document ------------------------------------------------------------------

# What `request_problems` refuses in any string a client sends, as a JSON Schema pattern (core/text.py).
VISIBLE_TEXT = (r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029"
                r"\u202a-\u202e\u2060-\u2069\ufeff]*$")


def _mark_strings(node, components: dict, seen: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _mark_strings(item, components, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _mark_strings(components.get(name), components, seen)
        return
    if node.get("type") == "string" and not ({"enum", "const", "pattern", "format"} & node.keys()):
        node["pattern"] = VISIBLE_TEXT
    for key in ("properties", "items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, dict) and key == "properties":
            for item in value.values():
                _mark_strings(item, components, seen)
        elif value is not None:
            _mark_strings(value, components, seen)


def document_visible_text(schema: dict) -> dict:
    """Say in the OpenAPI document what the guard enforces: every free string a client sends (a query or
    path parameter, a property of a request body) matches VISIBLE_TEXT. Response schemas are left alone."""
    components = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                _mark_strings(parameter.get("schema"), components, seen)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                _mark_strings(media.get("schema"), components, seen)
    return schema
