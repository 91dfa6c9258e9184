"""The REST API at /api/: OpenAPI at /api/openapi.json, Swagger UI at /api/docs.

Swagger UI's JavaScript and CSS come from the django-ninja package itself (ninja is in
INSTALLED_APPS, so its template and static files are used instead of a CDN): government intranets
are offline.
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from zhaoshang.assessment.api import router as assessment_router
from zhaoshang.integrity.api.flags import router as flags_router
from zhaoshang.integrity.api.inspections import router as inspections_router
from zhaoshang.integrity.api.prereview import router as prereview_router
from zhaoshang.integrity.api.spotchecks import router as spotchecks_router
from zhaoshang.integrity.api.verification import router as verification_router

from . import errors, people, projects, units
from .auth import API_AUTH

api = NinjaAPI(
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
api.add_router("/assessment", assessment_router)
api.add_router("/integrity/verification", verification_router)
api.add_router("/integrity/spotchecks", spotchecks_router)
api.add_router("/integrity/inspections", inspections_router)
api.add_router("/integrity/prereviews", prereview_router)
api.add_router("/integrity/flags", flags_router)

# Ninja puts the name of the view parameter that holds a body or query schema in front of field names.
errors.install(api, body_param_names={"payload", "filters"})
