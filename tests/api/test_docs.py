"""OpenAPI and Swagger UI are served from this server, with nothing from a CDN (intranets are offline)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_json_lists_the_paths():
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "Zhaoshang API"
    for path in ("/api/units", "/api/units/{unit_id}", "/api/people", "/api/people/{person_id}", "/api/projects",
                 "/api/projects/{project_id}", "/api/projects/{project_id}/shares",
                 "/api/projects/{project_id}/stages", "/api/projects/{project_id}/funds"):
        assert path in schema["paths"], path
    assert {"patch"} <= set(schema["paths"]["/api/projects/{project_id}"])
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_money_is_a_string_in_the_schema():
    schema = Client().get("/api/openapi.json").json()
    props = schema["components"]["schemas"]["ProjectIn"]["properties"]
    assert props["signed_amount"]["type"] == "string"


def test_docs_page_loads_scripts_and_styles_locally():
    r = Client().get("/api/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        assert asset.startswith("/static/"), asset
    assert "cdn" not in html.lower()
    # …and the files exist in the installed package, so `collectstatic` picks them up.
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")
