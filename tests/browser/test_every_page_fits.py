"""Every page each role reaches fits a phone (375 px) and a laptop (1280 px): no sideways scrolling of the page,
every table either fits or scrolls inside its own labelled, focusable region; the report pages pass axe at both."""

import re

import pytest

from tests.browser.helpers import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# Files, sign-out and pages that change something on a GET are not pages to look at.
NOT_PAGES = re.compile(r"(\.pdf|\.csv|\.xlsx|\.json|/pdf/|/csv/|/render/|/export|/remove/|/admin/|sign-out)")

FITS = """() => {
  const width = window.innerWidth;
  const tables = [...document.querySelectorAll('main table')].map(table => {
    const region = table.closest('.app-table-scroll');
    return {
      caption: (table.querySelector('caption')?.innerText || table.innerText).trim().slice(0, 60),
      fits: table.getBoundingClientRect().right <= width + 0.5,
      inRegion: !!region,
      regionOk: !!region && region.getAttribute('role') === 'region' && region.getAttribute('tabindex') === '0'
        && (region.getAttribute('aria-label') || '').trim().length > 0
        && region.getBoundingClientRect().right <= width + 0.5,
    };
  });
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, tables};
}"""


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def pages_reached(page) -> list[str]:
    """Every page linked from the home page onwards, one of each kind (a risk, not all of them)."""
    queue, seen, kinds, pages = ["/"], set(), set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        kind = re.sub(r"\d+", "N", url.split("?", 1)[0])
        if kind in kinds:
            continue
        kinds.add(kind)
        response = page.goto(url)
        assert response and response.ok, f"{url} answered {response and response.status}"
        pages.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            href = href.split("#", 1)[0]
            if href.startswith("/") and not NOT_PAGES.search(href) and href not in seen:
                queue.append(href)
    return pages


def check_fits(page, url: str, width: int) -> list[str]:
    facts = page.evaluate(FITS)
    problems = []
    if facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(f"{url} at {width} px is {facts['scrollWidth']} px wide")
    for table in facts["tables"]:
        if table["inRegion"] and not table["regionOk"]:
            problems.append(f"{url} at {width} px: the scroll region of {table['caption']!r} is not a labelled, "
                            "focusable region inside the screen")
        if not table["inRegion"] and not table["fits"]:
            problems.append(f"{url} at {width} px: table {table['caption']!r} is cut off (no scroll region)")
    return problems


@pytest.mark.parametrize("role", ["officer", "approver", "performance", "member"])
def test_every_page_a_role_reaches_fits_a_phone_and_a_laptop(page, demo_council, role):
    sign_in(page, role)
    urls = pages_reached(page)
    assert len(urls) > (1 if role == "member" else 10), f"{role} reached only {urls}"
    problems = []
    for url in urls:
        page.goto(url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems += check_fits(page, url, width)
            screenshot(page, f"fit-{role}-{slug(url)}-{width}px")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_inside_its_region_with_the_keyboard(page, demo_council):
    sign_in(page, "performance")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/risks/")
    region = page.locator(".app-table-scroll").first
    assert region.evaluate("e => e.scrollWidth > e.clientWidth"), "the register should be wider than a phone"
    region.focus()
    assert region.evaluate("e => getComputedStyle(e).outlineStyle") != "none", "the focused region shows its focus"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait for the region to move rather than reading it at once.
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    assert page.evaluate("() => window.scrollX") == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_pages_pass_axe_and_fit_at_each_width(page, demo_council, width):
    sign_in(page, "performance")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/reports/")
    published = page.get_by_role("region", name="Published reports").get_by_role("link").first.get_attribute("href")
    draft = page.get_by_role("region", name="Reports and their drafts").get_by_role("link", name="July 2006")
    pages = [("reports-list", "/reports/"), ("report-published", published), ("report-draft", draft.get_attribute("href"))]
    for name, url in pages:
        page.goto(url)
        assert_accessible(page, f"{name}-{width}px")
        assert not check_fits(page, url, width)


def test_the_report_reads_at_400_percent_zoom(page, demo_council):
    """WCAG 1.4.10: 1280 px at 400% is a 320 CSS px viewport; nothing but the tables' own regions scrolls sideways."""
    sign_in(page, "member")
    page.goto("/reports/")
    page.get_by_role("region", name="Published reports").get_by_role("link").first.click()
    page.set_viewport_size({"width": 320, "height": 256})
    assert not check_fits(page, page.url, 320)
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name=re.compile(r"^Appendix C")).click()
    assert page.evaluate("() => location.hash") == "#appendix-C"
    screenshot(page, "report-member-400-percent-zoom")
