"""Acceptance (issue 10, 3): on the demo city, every preset's explanations read as an official reads them —
no ASCII identifier (a variable name, a rule key), no expression operator, no "-0.00" — in the run's JSON,
on the subject sheet and in the annual report's sheets."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhaoshang.assessment.engine.run import run_scheme, store
from zhaoshang.assessment.engine.scheme import load_preset, preset_keys
from zhaoshang.demo.city import demo_years, load_demo_city
from zhaoshang.orgs.models import User
from zhaoshang.reports.bulletin import annual_content

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"[A-Za-z_]{3,}")
# an operator between two names or numbers as code writes it (the explanations say ÷ × − ≥ in words)
OPERATOR = re.compile(r"\*|==|!=|<=|>=|<|>|\b(and|or|not|if|else)\b|[A-Za-z_]\w*\s*[-+/]\s*[A-Za-z_(]")
NEGATIVE_ZERO = re.compile(r"-0\.0+(?!\d*[1-9])")
QUOTED = re.compile(r"“[^”]*”")


def texts(results: list[dict]) -> list[str]:
    """Every explanation a run's JSON carries."""
    out = []
    for r in results:
        out += [r["total_explain"], r.get("honours_note", "")]
        out += [i["explain"] for i in r["items"]]
        out += [i["points"] for i in r["items"]] + [r["total"]]
    return [t for t in out if t]


def bad(text: str) -> list[str]:
    return [m.group(0) for rx in (IDENTIFIER, OPERATOR, NEGATIVE_ZERO) for m in rx.finditer(text)]


def test_every_preset_explains_itself_in_words(settings, client):
    """Each preset, run on the demo city for last year and for its Q2: every explanation in its JSON; and for
    the year, the first subject's sheet and annual-report sheet say the same sentences."""
    settings.CITY_DIVISION_CODES = ["4101"]  # the demo's ZHAOSHANG_CITY_DIVISIONS
    load_demo_city()
    year = demo_years()[-2]
    client.force_login(User.objects.get(username="assessor"))  # the demo's own 考核办 account
    for key in preset_keys():
        for period in (str(year), f"{year}Q2"):
            run = store(run_scheme(load_preset(key), period))
            results = run.results["results"]
            found = {t: bad(t) for t in texts(results) if bad(t)}
            assert found == {}, f"{key} {period}: {list(found.items())[:3]}"
            # a conflict names its projects (“年产10GWh…项目” is the ledger's own words), the rest is ours
            messages = [QUOTED.sub("", c["message"]) for c in run.results.get("conflicts", [])]
            assert {m: bad(m) for m in messages if bad(m)} == {}, key
        assert results, f"{key}: no subjects on the demo city"
        check_sheet_and_report(client, run)


def check_sheet_and_report(client, run) -> None:
    first = run.results["results"][0]
    page = client.get(reverse("assessment:subject_sheet", args=[run.pk, first["subject"]["id"]]))
    assert page.status_code == 200
    text = page.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    for i in first["items"]:
        assert i["explain"] in text
    assert "-0.00" not in text
    content = annual_content(run)
    sheet = next(s for s in content["sheets"] if s["name"] == first["subject"]["name"])
    assert [row[3] for row in sheet["rows"]] == [i["explain"] for i in first["items"]]
    assert not any("-0.00" in str(cell) for s in content["sheets"] for row in s["rows"] for cell in row)
