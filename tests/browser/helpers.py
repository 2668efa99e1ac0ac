"""What every browser journey uses: signing in, the accessibility check with its screenshot, PDF checks (tests/pdfs.py)."""

from __future__ import annotations

import re
import weakref
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser import html_check
from tests.personas import PASSWORD as PERSONA_PASSWORD

DEMO_PASSWORD = "demo"
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOT_MAX_HEIGHT = 6000
COUNCIL_SUFFIX = " – councilperf – "

_axe = Axe()


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person does, and wait for the home page."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_persona(page: Page, username: str) -> None:
    sign_in(page, username, PERSONA_PASSWORD)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Very long pages (a whole plan) take seconds to paint in full; the top is what a reviewer checks.
    height = page.evaluate("() => document.documentElement.scrollHeight") if _javascript_enabled(page) else 0
    if height > SCREENSHOT_MAX_HEIGHT:
        viewport = page.viewport_size or {"width": 1280}
        clip = {"x": 0, "y": 0, "width": viewport["width"], "height": SCREENSHOT_MAX_HEIGHT}
        page.screenshot(path=str(path), full_page=True, clip=clip)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path


# Contexts opened with JavaScript off; page.evaluate would wait for ever in them.
SCRIPTLESS = weakref.WeakSet()


def _javascript_enabled(page: Page) -> bool:
    return page.context not in SCRIPTLESS


def axe_violations(page: Page, within: str | None = None) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now (or the part `within` selects).

    A page in a context with JavaScript off cannot run axe itself, so its HTML is checked in a
    scripted page of its own: what is checked is exactly what the server sent.
    """
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    context = {"include": [[within]]} if within else None
    if _javascript_enabled(page):
        return _axe.run(page, context=context, options=options).response["violations"]
    html = page.content()
    scripted = page.context.browser.new_context(base_url=page.url, java_script_enabled=True)
    try:
        copy = scripted.new_page()
        copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        copy.goto(page.url)
        return _axe.run(copy, context=context, options=options).response["violations"]
    finally:
        scripted.close()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
            lines.append(f"       {node['html'][:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Page, name: str, *, within: str | None = None) -> None:
    """Screenshot the page to screenshots/<name>.png, then fail on any WCAG 2.2 AA violation axe finds.

The page's HTML (as the reader has it, after any htmx swap) is kept for the Nu Html Checker.

    `within` limits axe to one part of a long page whose rest is checked elsewhere (axe takes
    seconds over a whole report).
    """
    page.wait_for_load_state("load")
    screenshot(page, name)
    html_check.PAGES.add(name, page.url, page.content())  # for the Nu Html Checker at the end of the session
    violations = axe_violations(page, within)
    assert not violations, f"{page.url} ({name}) has accessibility violations:\n{describe(violations)}"
    assert_gov_uk_page(page)


def assert_gov_uk_page(page: Page) -> None:
    """Title says the page then the service; one h1; an error summary comes with "Error: " in the title."""
    title = page.title()
    assert COUNCIL_SUFFIX in title, f"title {title!r} does not name the page and the service"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one h1"
    has_errors = page.locator(".govuk-error-summary").count() > 0
    assert title.startswith("Error: ") == has_errors, (
        f"title {title!r}: it must start with 'Error: ' exactly when the page shows an error summary"
    )


def assert_error_summary(page: Page, *messages: str) -> None:
    """The GOV.UK error summary: title prefixed, summary focused, each message links to its field."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    if _javascript_enabled(page):
        expect(summary).to_be_focused()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    links = summary.get_by_role("link")
    assert links.count() > 0, "the error summary lists no errors"
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href") or ""
        assert target.startswith("#") and page.locator(target).count() == 1, (
            f"error {links.nth(index).inner_text()!r} links to {target!r}, which is not on the page"
        )


COLOURED = ".govuk-tag, [class*='app-band'], [class*='app-heat'], [class*='app-rag'], [class*='__status']"


def assert_status_in_words(page: Page) -> None:
    """Every coloured status (tags, bands, heat-map cells) carries words or a letter: never colour alone."""
    silent = page.locator(COLOURED).evaluate_all(
        "els => els.filter(e => !(e.innerText || '').trim() && !e.getAttribute('aria-label'))"
        ".map(e => e.outerHTML.slice(0, 160))"
    )
    assert not silent, "status shown by colour alone (no words):\n" + "\n".join(silent)


def pdf_facts(section) -> tuple[str, list[str]]:
    """A section's heading and the money figures and percentages it shows, to look for in its PDF."""
    heading = section.locator("h1, h2").first.text_content().strip()
    text = section.inner_text()
    figures = list(dict.fromkeys(re.findall(r"-?£[\d,]+(?:\.\d+)?|\b\d+\.\d+%", text)))
    return heading, figures[:40]


def tab_to(page: Page, target, *, limit: int = 400) -> None:
    """Press Tab until `target()` (a locator) has the focus, as a keyboard user moves through a page."""
    handle = target().element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("e => document.activeElement === e", handle):
            return
    raise AssertionError(f"{target()} could not be reached with the Tab key in {limit} presses")
