"""Hypothesis keeps no example database in the working tree (.hypothesis/ would be left behind)."""

from hypothesis import settings

settings.register_profile("zhaoshang", database=None, deadline=None)
settings.load_profile("zhaoshang")
