"""Acceptance 3 (issue 16): every main page, as every demo role, reads like an office document.

Each role logs in to the demo city and opens every link of its menu, then one page of each kind linked from
those pages (a project, a run, a resident office, a flag …). A page fails the walk when it answers 5xx, when
the browser logs a console error or a script error, or when its text shows a bare number of five or more
digits ("6689449.5") — people read amounts as 6,689,449.50万元, so such a number is a figure left unformatted.
Codes are not numbers: digits joined to letters, hyphens or slashes (XM-2024-00012), and text in <code>,
monospace cells, inputs and select options are left alone.
"""

from __future__ import annotations

import re

import pytest

from zhaoshang.demo.city import load_demo_city
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Pages that are not pages: downloads, actions behind a POST, the Django admin and the API.
SKIP = re.compile(
    r"^/(admin|api|accounts|i18n|media|static)/|\.(docx|xlsx|pdf|zip|csv|png)$|/(export|template|files|evidence)/"
    r"|/(delete|accept|return|withdraw|decline|confirm|restore|settle|subsidy|decide|submit|logout)/"
)

# Text nodes with a run of 5+ digits not joined to a code; returns where each sits, for the message.
BARE_NUMBERS = r"""() => {
  const skip = el => el.closest('code, pre, script, style, select, option, textarea, .font-monospace, [data-code]');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const re = /(^|[^\w\-\/.,:])(\d{5,}(?:\.\d+)?)(?![\w\-\/])/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || skip(node.parentElement)) continue;
    for (const m of node.textContent.matchAll(re)) {
      found.push(m[2] + ' in “' + node.textContent.trim().slice(0, 80) + '”');
    }
  }
  return found;
}"""


def role_users() -> list[str]:
    """The demo's accounts, one of each role, plus a resident office's staff (bj01) and a county head."""
    names = ["admin", "secadmin", "auditor", "assessor", "qkh", "leader", "audit", "bj01", "xy01-head"]
    head = User.objects.filter(role=UserRole.UNIT_HEAD).order_by("username").first()
    assert head is not None, "the demo city has a unit head account"
    return [*names, head.username]


def kind_of(path: str) -> str:
    """/ledger/123/ and /ledger/456/ are one kind of page."""
    return re.sub(r"\d+", "N", path)


def links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs if h and h.startswith("/") and "?" not in h and not SKIP.search(h)]


def check(page, problems: list[str], path: str) -> None:
    problems.clear()
    response = page.goto(path)
    page.wait_for_load_state("load")
    status = response.status if response else 0
    assert status < 500, (path, status)
    if status >= 400:  # a page this role may not open: refused, not broken
        return
    bare = page.evaluate(BARE_NUMBERS)
    assert not bare, (path, bare)
    assert not problems, (path, problems)


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_city()


def test_every_page_as_every_role(page, demo):
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    walked = {}
    for username in role_users():
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo")
        page.click("#login-submit")
        page.wait_for_load_state("load")
        assert "/accounts/login/" not in page.url, username
        menu = list(dict.fromkeys(links(page, "#main-nav a[href]")))
        seen = {kind_of(p) for p in menu}
        for path in menu:
            check(page, problems, path)
            details = []
            for href in links(page, "main a[href], #content a[href], .container a[href]"):
                if kind_of(href) not in seen:
                    seen.add(kind_of(href))
                    details.append(href)
            for href in details:
                check(page, problems, href)
        walked[username] = len(seen)
    # Every role saw more than the login page: the walk walked.
    assert all(n >= 2 for n in walked.values()), walked
