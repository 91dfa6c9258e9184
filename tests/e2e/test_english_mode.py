"""English mode as a reader of the demo meets it (issue 16): switched to English from the language buttons,
the cockpit's warnings (预警) and the resident offices' badges have no Chinese left; switched back, the
same places have no English.

What a user typed or the city is called is data and stays as written in both languages: unit, group,
person and project names, enterprise names, meeting names and their action items, inspection items.
Those strings are taken out before the check; whatever Chinese (or English) remains is the program's own
text and must be translated.
"""

from __future__ import annotations

import re

import pytest

from zhaoshang.chains.models import ActionItem, MeetingSeries
from zhaoshang.demo.city import load_demo_city
from zhaoshang.integrity.models import Rectification
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Person, Unit, UnitGroup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# An English word in Chinese mode: letters not part of a code (XM-2024-001, 2026Q3, ZM01).
ENGLISH = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")


def data_strings() -> list[str]:
    names = [*Unit.objects.values_list("name", flat=True), *UnitGroup.objects.values_list("name", flat=True),
             *Person.objects.values_list("name", flat=True), *Project.objects.values_list("name", flat=True),
             *Project.objects.values_list("investor", flat=True),
             *MeetingSeries.objects.values_list("name", flat=True),
             *(t[:40] for t in ActionItem.objects.values_list("text", flat=True)),
             *(d[:60] for d in Rectification.objects.values_list("description", flat=True))]
    return sorted({n for n in names if n}, key=len, reverse=True)  # longest first: 中牟县 before 中牟


def program_text(text: str, data: list[str]) -> str:
    for name in data:
        text = text.replace(name, " ")
    return text


def switch(page, language: str) -> None:
    page.click(f"#language-form button[value={language}]")
    page.wait_for_load_state("load")


def texts(page) -> dict[str, str]:
    """The cockpit's warnings and the office page's badges, by where they were read."""
    out = {}
    page.goto("/reports/cockpit/")
    page.wait_for_load_state("load")
    out["cockpit warnings"] = page.locator("#red-flags").inner_text()
    page.goto("/work/offices/")
    page.wait_for_load_state("load")
    out["office list badges"] = " | ".join(page.locator("main .badge, #content .badge").all_inner_texts())
    office = Unit.objects.get(name="驻北京招商局")
    page.goto(f"/work/offices/{office.pk}/")
    page.wait_for_load_state("load")
    out["office badges"] = " | ".join(page.locator(".badge").all_inner_texts())
    return out


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_city()


def test_english_mode_has_no_chinese_and_chinese_mode_no_english(page, demo):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "assessor")
    page.fill("input[name=password]", "demo")
    page.click("#login-submit")
    page.wait_for_load_state("load")
    data = data_strings()

    switch(page, "en")
    english = texts(page)
    assert english["office badges"], "the office page shows its attendance badges"
    leftovers = {where: CJK.findall(program_text(text, data)) for where, text in english.items()}
    assert not any(leftovers.values()), leftovers

    switch(page, "zh-hans")
    chinese = texts(page)
    words = {where: ENGLISH.findall(program_text(text, data)) for where, text in chinese.items()}
    assert not any(words.values()), words
    assert CJK.search(chinese["cockpit warnings"]) and CJK.search(chinese["office badges"])
