"""The browser suite: one Chromium per session, a fresh context per test, against Django's live server.

Every journey page goes through `assert_accessible`, which runs axe-core for WCAG 2.2 AA,
fails on any violation and saves a full-page screenshot to screenshots/<name>.png for a
person to look at (see the README's visual check list). It also keeps the page's HTML: at
the end of the session the Nu Html Checker validates them all in one run and any error fails.
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import helpers, html_check  # noqa: E402
from tests.browser.snapshot import Snapshot  # noqa: E402

PROBLEMS = {}
CHROMIUM = os.environ.get("COUNCILPERF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def html_is_valid(tmp_path_factory):
    """After the last browser test, the Nu Html Checker over every page the suite saw: any error fails."""
    html_check.PAGES.folder = tmp_path_factory.mktemp("pages")
    yield
    problem = html_check.check_session_pages(helpers.SCREENSHOTS / "vnu-report.txt")
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def browser():
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        # Fail, never skip: a run that left the browser suite out must not read as a pass.
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs it as root, or run "
                    "'sudo apt-get install chromium' (or set COUNCILPERF_CHROMIUM); `make test-fast` leaves the browser suite out.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900}, **options,
    )
    context.set_default_timeout(10_000)
    # A script error, a refused inline script (CSP) or a missing static file fails the test.
    problems = []
    context.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
               if message.type == "error" else None)
    context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
    PROBLEMS[context] = problems
    return context


def _close(context):
    problems = PROBLEMS.pop(context, [])
    context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def context(browser, live_server):
    context = _new_context(browser, live_server)
    yield context
    _close(context)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def new_page(browser, live_server):
    """new_page() -> a page in a context of its own (a second person, another browser)."""
    contexts = []

    def make(*, javascript=True):
        context = _new_context(browser, live_server, java_script_enabled=javascript)
        if not javascript:
            helpers.SCRIPTLESS.add(context)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        _close(context)


@pytest.fixture
def nojs_page(new_page):
    """A page with JavaScript switched off: every form must still work."""
    return new_page(javascript=False)


@pytest.fixture(scope="session")
def browser_media_root(tmp_path_factory):
    """Generated PDFs go to a folder of the session's own, not the developer's var/media."""
    return tmp_path_factory.mktemp("media")


_DEMO = {}
DEMO_AS_AT = "2006-09-07"  # the demo council's Cabinet meeting: core.clock reads as at this day


@pytest.fixture
def demo_council(transactional_db, settings, browser_media_root):
    """The demo council (users officer, approver, performance, member ... password `demo`)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(browser_media_root)
    settings.COUNCILPERF_AS_AT = DEMO_AS_AT  # as `make run` serves it
    if "snapshot" in _DEMO:
        _DEMO["snapshot"].restore()
    else:
        call_command("load_demo_council", stdout=io.StringIO())
        _DEMO["snapshot"] = Snapshot.take()
