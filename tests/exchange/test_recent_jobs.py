"""The import page's "最近的导入" list follows the job above it: each poll of the job swaps it too (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.exchange.models import ImportJob

from .helpers import fill
from .test_views import project_row, upload

pytestmark = pytest.mark.django_db


def test_job_poll_updates_the_recent_list(client, staff_a, tmp_path):
    client.force_login(staff_a)
    path = fill(tmp_path / "ok.xlsx", {"项目": [project_row("XM-R1", "A01")]})
    client.post(reverse("exchange:import"), {"file": upload(path, "最近.xlsx")}, follow=True)
    job = ImportJob.objects.get()
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert page.count('id="recent-jobs-section"') == 1 and "hx-swap-oob" not in page

    poll = client.get(reverse("exchange:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    section = poll[poll.index('id="recent-jobs-section"'):]
    assert 'hx-swap-oob="true"' in section and "最近.xlsx" in section and job.get_status_display() in section
