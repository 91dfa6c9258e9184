"""The REST API at /api/: OpenAPI at /api/openapi.json, Swagger UI at /api/docs.

Swagger UI's JavaScript and CSS come from the django-ninja package itself (ninja is in
INSTALLED_APPS, so its template and static files are used instead of a CDN): government intranets
are offline.
"""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from zhaoshang.assessment.api import router as assessment_router
from zhaoshang.integrity.api.flags import router as flags_router
from zhaoshang.integrity.api.inspections import router as inspections_router
from zhaoshang.integrity.api.prereview import router as prereview_router
from zhaoshang.integrity.api.spotchecks import router as spotchecks_router
from zhaoshang.integrity.api.verification import router as verification_router

from . import aftercare, awards, errors, guard, offices, people, projects, share_changes, units, yields
from .auth import API_AUTH
from .schemas import ErrorOut


class ZhaoshangAPI(NinjaAPI):
    """Ninja, plus: every operation documents the errors it can answer with (guard.document_errors), and
    an address under /api/ that names no operation (a letter where an id goes) is a JSON 404, not the
    site's HTML page."""

    def _get_bound_routers(self):
        fresh = self._bound_routers_cache is None
        routers = super()._get_bound_routers()
        if fresh:
            for bound in routers:
                for path_view in bound.path_operations.values():
                    for operation in path_view.operations:
                        guard.document_errors(operation, ErrorOut)
        return routers

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return guard.document_visible_text(schema)

    def _get_urls(self):
        # [\s\S], not ".": an address with a newline in it is answered as JSON too.
        return [*super()._get_urls(), re_path(r"^[\s\S]*$", csrf_exempt(self._no_such_operation))]

    def _no_such_operation(self, request, *args, **kwargs):
        body = {"message": "未找到：该地址没有对应的接口（路径中的编号应为正整数）", "fields": {}}
        return self.create_response(request, body, status=404)


api = ZhaoshangAPI(
    title="Zhaoshang API",
    version="1",
    description=(
        "招商引资台账与考核系统 API。认证：请求头 `Authorization: Bearer <令牌>`（令牌用 "
        "`zhaoshang token create 用户名 --name 用途` 生成），或浏览器登录会话（写操作须带 X-CSRFToken）。"
        "金额一律以字符串传递（万元，最多4位小数）；外键以编码传入，输出同时给出 id 与编码。"
        '错误统一为 `{"message": "...", "fields": {"字段": ["说明"]}}`。'
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=Swagger(settings={"persistAuthorization": True}),
)

api.add_router("/units", units.router)
api.add_router("/people", people.router)
api.add_router("/projects", projects.router)
api.add_router("/share-changes", share_changes.router)
api.add_router("/offices", offices.router)
api.add_router("/yields", yields.router)
api.add_router("/aftercare", aftercare.router)
api.add_router("/assessment", assessment_router)
api.add_router("/integrity/verification", verification_router)
api.add_router("/integrity/spotchecks", spotchecks_router)
api.add_router("/integrity/inspections", inspections_router)
api.add_router("/integrity/prereviews", prereview_router)
api.add_router("/integrity/flags", flags_router)
api.add_router("/awards", awards.router)

# Invisible characters and integers beyond 64 bits are refused before any operation reads the request.
api.add_decorator(lambda run: guard.guarded(api, run), mode="view")

# Ninja puts the name of the view parameter that holds a body or query schema in front of field names.
errors.install(api, body_param_names={"payload", "filters"})
