"""Tests of the defects an outside probe found (issue 11 "Defects found"), one module per defect. Each
test failed before its fix. API calls go through a bearer token, as an integrator's would: the API suite's
token clients are reused as they are."""

from ..api.conftest import api_a, api_assessor, api_b  # noqa: F401  (fixtures)
