"""Models of the chains app."""

from django.db import models  # noqa: F401
