"""The API honours closed periods like the forms: unit users are refused, assessors give a reason."""

from zhaoshang.periods.closing import period_close
from zhaoshang.periods.models import Correction


def test_patch_in_a_closed_quarter_needs_an_assessors_reason(api_a, api_assessor, assessor, project_a):
    period_close(user=assessor, period="2024Q1")
    path = f"/api/projects/{project_a.pk}"
    refused = api_a.patch(path, {"version": 1, "signed_amount": "60000"})
    assert refused.status_code == 403
    no_reason = api_assessor.patch(path, {"version": 1, "signed_amount": "60000"})
    assert no_reason.status_code == 400
    assert "correction_reason" in no_reason.json()["fields"]
    done = api_assessor.patch(path, {"version": 1, "signed_amount": "60000", "correction_reason": "核实后更正签约金额"})
    assert done.status_code == 200, done.json()
    assert done.json()["signed_amount"] == "60000.0000"
    assert Correction.objects.get().reason == "核实后更正签约金额"
