"""Visit quotas set by the schemes, offered to the daily-work pages (activities, a lower layer)."""

from __future__ import annotations


def scheme_visit_quotas() -> dict[str, int]:
    """The visit quotas the stored schemes set (the highest per role), for the daily-work pages."""
    from .engine.scheme import parse_scheme
    from .models import Scheme

    out: dict[str, int] = {}
    seen = set()
    for scheme in Scheme.objects.order_by("key", "-version").only("key", "text"):
        if scheme.key in seen:
            continue
        seen.add(scheme.key)
        try:
            parsed = parse_scheme(scheme.text)
        except Exception:  # a broken stored scheme is reported on its own page, not here
            continue
        for spec in parsed.values.values():
            if spec.measure == "leaders_below_visits" and spec.params.get("min_visits") is not None:
                for role in spec.params.get("role") or ():
                    out[role] = max(out.get(role, 0), int(spec.params["min_visits"]))
    return out
