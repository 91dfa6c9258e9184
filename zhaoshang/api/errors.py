"""Every API error is one JSON shape: {"message": "...", "fields": {"field": ["..."]}}.

Services raise `ApplicationError` with model field names; the API speaks in its own input names
(`lead_unit_code`, not `lead_unit`), so field names are translated here, in one place.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhaoshang.core.errors import ApplicationError, ConflictError, PermissionDeniedError

logger = logging.getLogger(__name__)

# Model field → the API field a client sent it as.
API_FIELD_NAMES = {
    "lead_unit": "lead_unit_code",
    "introducer": "introducer_staff_no",
    "assisting_unit": "assisting_unit_code",
    "assisting_secretary": "assisting_secretary_staff_no",
    "signed_at_event": "signed_at_event_code",
    "unit": "unit_code",
    "parent": "parent_code",
    "group": "group_code",
}

# Where Ninja says a value came from; not part of the field name a client knows.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}

# Pydantic's messages are English; the users of this API read Chinese first.
_MESSAGES = {
    "missing": "此字段为必填项",
    "extra_forbidden": "未知字段",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "decimal_parsing": "不是有效的数字",
    "decimal_type": "不是有效的数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "json_invalid": "请求体不是有效的JSON",
}


class FieldErrors(Exception):
    """Input that parsed but names something that does not exist (an unknown unit code, …): 422."""

    def __init__(self, fields: dict[str, list[str]], message: str = "请求数据有误"):
        super().__init__(message)
        self.fields = fields
        self.message = message


def _field_name(loc: tuple | list, param_names: set[str]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    # Ninja nests a body schema under its parameter name (`payload.name`); the client never sent that key.
    if len(parts) > 1 and parts[0] in param_names:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "__all__"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        ctx_error = (error.get("ctx") or {}).get("error")
        if ctx_error:
            return str(ctx_error)
    if kind == "enum":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"取值无效，可选：{expected}"
    if kind == "decimal_max_places":
        return f"小数位数不能超过{error['ctx']['decimal_places']}位"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return "数值位数过多"
    if kind == "string_too_long":
        return f"长度不能超过{error['ctx']['max_length']}个字符"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter((error.get("ctx") or {}).values()), "")
        words = {"greater_than_equal": "不能小于", "greater_than": "必须大于", "less_than_equal": "不能大于",
                 "less_than": "必须小于"}
        return f"{words[kind]}{limit}"
    return _MESSAGES.get(kind, error.get("msg", "取值无效"))


def _body(message: str, fields: dict[str, list[str]] | None = None, extra: dict | None = None) -> dict:
    body: dict[str, Any] = {"message": message, "fields": fields or {}}
    if extra:
        body["extra"] = extra
    return body


def api_fields(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    return {API_FIELD_NAMES.get(name, name): list(msgs) for name, msgs in fields.items()}


def install(api: NinjaAPI, *, body_param_names: set[str]) -> None:
    """Register the handlers. `body_param_names` are the view parameter names that hold a body or
    query schema (`payload`, `filters`), which Ninja puts in front of the field name."""

    def respond(request: HttpRequest, body: dict, status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ()), body_param_names), []).append(_message(error))
        summary = "；".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return respond(request, _body(f"请求数据有误：{summary}", fields), 422)

    @api.exception_handler(FieldErrors)
    def field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
        summary = "；".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
        return respond(request, _body(f"{exc.message}：{summary}", exc.fields), 422)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        status = 400
        if isinstance(exc, PermissionDeniedError):
            status = 403
        elif isinstance(exc, ConflictError):
            status = 409
        return respond(request, _body(exc.message, api_fields(exc.field_errors), exc.extra), status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, _body(str(exc) or "未找到"), 404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else "未登录或令牌无效"
        response = respond(request, _body(message), 401)
        response["WWW-Authenticate"] = 'Bearer realm="zhaoshang"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = {
            "CSRF check Failed": "CSRF校验失败：使用登录会话调用写接口时须带 X-CSRFToken 请求头",
            "Cannot parse request body": "请求体无法解析：应为有效的 JSON",
        }.get(exc.message, exc.message)
        return respond(request, _body(message), exc.status_code)
