"""The demo's projects start with a creation entry, so the first edit shows before/after and can be undone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.core.services import save_with_history
from zhaoshang.demo.city import load_demo_city
from zhaoshang.ledger.models import FundArrival, Project
from zhaoshang.orgs.models import User

pytestmark = pytest.mark.django_db


def test_first_edit_of_a_demo_project_shows_before_and_after_and_restores(client):
    load_demo_city()
    assert Project.history.filter(history_type="+").count() == Project.objects.count()
    assert FundArrival.history.filter(history_type="+").count() == FundArrival.objects.count()

    assessor = User.objects.get(username="assessor")
    project = Project.objects.order_by("pk").first()
    old_name = project.name
    project.name = "改名后的项目"
    save_with_history(project, assessor)

    client.force_login(assessor)
    page = client.get(reverse("ledger:project_detail", args=[project.pk])).content.decode()
    assert f"<del>{old_name}</del> → <ins>改名后的项目</ins>" in page
    creation = project.history.order_by("history_date", "history_id").first()
    assert creation.history_change_reason == "演示数据导入"
    resp = client.post(reverse("ledger:project_restore", args=[project.pk]), {"history_id": creation.history_id})
    assert resp.status_code == 302
    project.refresh_from_db()
    assert project.name == old_name
