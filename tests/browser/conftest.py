"""What every browser test needs: Debian's headless Chromium driven by Playwright (never a
downloaded browser), and the app served from a thread on a free port of 127.0.0.1, sharing the
test database with the session `app` fixture but checking CSRF tokens as production does."""

from __future__ import annotations

import functools
import tempfile
import threading
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(tempfile.gettempdir()) / "stimulansmedel-browser"


@pytest.fixture
def live_server(app, tmp_path):
    """Serve an app with CSRF checks on the test database; yield (base URL, that app)."""
    from werkzeug.serving import make_server

    served = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "browser-test-secret",
        "WTF_CSRF_ENABLED": True,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    })
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", served
    server.shutdown()
    thread.join(timeout=10)
    with served.app_context():
        db.session.remove()
        db.engine.dispose()  # let the database be emptied after the test


@pytest.fixture
def page():
    """A fresh browser page in Swedish, 1280 × 900."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def screenshot(page, name: str) -> None:
    """Keep a full-page screenshot for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- axe-core and the page's width ----------------------------------------------------------

#: Where `.ci/run` installs axe-core from npm (`npm install axe-core@4` in tests/browser).
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
#: What the pages must meet: WCAG 2.1 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def axe_available() -> bool:
    return AXE.exists()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;true"


@pytest.fixture
def axe():
    """Check the page a browser shows with axe-core and for sideways scrolling; skips when
    axe-core is not installed."""
    if not axe_available():
        pytest.skip(f"no axe-core at {AXE} (cd tests/browser && npm install axe-core@4)")
    return check_page


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; return its WCAG 2.1 A and AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the site's Content-Security-Policy (no
        # inline script) stays as it is and still applies to the page itself.
        page.evaluate(_axe_source())
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                       resultTypes: ["violations"]})
                     .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
                         help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))""",
        WCAG_TAGS)


def sideways(page) -> int:
    """How many pixels the page itself is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def check_page(page, name: str | None = None) -> None:
    """Assert that the page has no WCAG 2.1 A/AA violation and does not scroll sideways;
    keep a screenshot when `name` is given."""
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert not violations, f"{page.url}: {violations}"
    extra = sideways(page)
    assert extra <= 0, f"{page.url} is {extra} px wider than the window"
    if name:
        screenshot(page, name)
