"""Every page of the route walk's world (tests/web/route_world.py), as each of its actors may
open it, at 1280 and at 390 px: no WCAG 2.1 A/AA violation by axe-core and no sideways
scrolling of the page.

It opens some 300 pages twice and takes two to three minutes of a shared CPU, so it runs only
when asked: `BROWSER_EVERY_PAGE=1 .venv/bin/python -m pytest tests/browser/test_every_page.py`.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import WIDTHS, axe_violations, sideways
from tests.conftest import PASSWORD
from tests.web.route_rules import RULES
from tests.web.route_walk import Walk
from tests.web.route_world import ACTORS, ANONYMOUS, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("BROWSER_EVERY_PAGE"),
                       reason="every page at two widths takes minutes: set BROWSER_EVERY_PAGE=1"),
]

#: Endpoints whose answer is a file, not a page, or that log out.
NOT_PAGES = ("download", "pdf", "csv", "xlsx", "workbook", "export", "file", "my_data",
             "openapi", "static", "healthz", "readyz", "logout")


def _pages(walk: Walk, actor: str) -> list[tuple[str, str]]:
    pages = []
    for endpoint, rule in RULES.items():
        if (rule.bearer or rule.get_changes or rule.query
                or actor not in rule.methods.get("GET", ())
                or any(word in endpoint for word in NOT_PAGES)):
            continue
        pages.append((endpoint, walk.url(endpoint)))
    return pages


def test_every_page_at_both_widths(app, live_server, page, axe):
    base, _ = live_server
    walk = Walk.__new__(Walk)  # the world only: the browser logs in itself
    walk.app, walk.world = app, build_world(app)
    problems = []
    for actor in ACTORS:
        page.context.clear_cookies()
        if actor != ANONYMOUS:
            page.goto(f"{base}/login")
            page.fill("#email", walk.world.emails[actor])
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]:has-text('Logga in')")
            page.wait_for_load_state("load")
        for endpoint, url in _pages(walk, actor):
            for width, size in WIDTHS.items():
                page.set_viewport_size(size)
                try:
                    response = page.goto(base + url)
                except Exception as error:  # noqa: BLE001 - Playwright's Error for a file
                    if "Download is starting" in str(error):
                        break  # a file, not a page
                    raise
                if "text/html" not in (response.headers.get("content-type") or ""):
                    break
                violations = axe_violations(page)
                extra = sideways(page)
                if violations or extra > 0:
                    problems.append((actor, endpoint, width, extra,
                                     [(v["id"], v["nodes"]) for v in violations]))
    assert not problems, "\n".join(map(str, problems))
