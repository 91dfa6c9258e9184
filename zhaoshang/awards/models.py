"""Models of the awards app."""

from django.db import models  # noqa: F401
