from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The demo writes evidence files: into the test's own directory, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
