"""Runs without rows say why (issue 16: every empty state explains itself)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.orgs.models import Unit

from ..factories import UserFactory
from .test_presets import bole  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_run_without_subjects_names_the_missing_groups(assessor, client):
    client.force_login(assessor)
    resp = client.post(reverse("assessment:run_list"), {"scheme": "bole-2023", "period": "2023", "group": ""})
    assert "方案要求的组别 驻点招商局 在本市没有单位" in resp.content.decode()
    assert not AssessmentRun.objects.exists()


def test_unit_outside_the_run_is_told_why_it_sees_no_rows(bole, assessor, client):  # noqa: F811
    client.force_login(assessor)
    client.post(reverse("assessment:run_list"), {"scheme": "bole-2023", "period": "2023", "group": ""})
    run = AssessmentRun.objects.get()
    run.published = True
    run.save()
    client.force_login(UserFactory(role="unit_staff", unit=Unit.objects.get(code="OTHER")))
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert 'id="run-empty"' in page and "都不在您的查看范围内" in page
