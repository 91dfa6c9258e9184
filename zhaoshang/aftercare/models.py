"""Models of the aftercare app."""

from django.db import models  # noqa: F401
