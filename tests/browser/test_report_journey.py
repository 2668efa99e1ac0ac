"""The performance team drafts, edits and publishes the Cabinet report; its PDFs are made and checked; a member reads it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    assert_error_summary,
    assert_status_in_words,
    pdf_facts,
    sign_in,
)
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.browser

APPENDIX = re.compile(r"Appendix ([A-Z]) ?(?:\((\d)\))?")


def run_the_worker():
    """What `manage.py db_worker` does in production: make the PDFs queued by publishing."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def download_pdfs(page, folder):
    """Each PDF link on a published version: {link text: saved file}, fetched with the reader's session."""
    links = page.locator("#report-pdfs").get_by_role("link")
    files = {}
    for index in range(links.count()):
        link = links.nth(index)
        response = page.request.get(link.get_attribute("href"))
        assert response.ok, f"{link.inner_text()} answered {response.status}"
        assert response.headers["content-type"] == "application/pdf"
        path = folder / f"{id(page)}-{index}.pdf"
        path.write_bytes(response.body())
        files[link.inner_text()] = path
    return files


def section_for(page, filename):
    """The part of the web page a PDF prints: an appendix section, or the report itself."""
    match = APPENDIX.search(filename)
    if not match:
        return page.locator(".app-report__considerations")
    return page.locator(f"#appendix-{match.group(1)}{match.group(2) or ''}")


def test_the_performance_team_publishes_a_report_whose_pdfs_match_the_page_and_a_member_reads_it(
    page, new_page, demo_council, tmp_path
):
    sign_in(page, "performance")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrated performance reports")
    assert_accessible(page, "reports-list-performance")

    page.get_by_role("link", name=re.compile("Draft a new report")).click()
    assert_accessible(page, "report-new")
    page.get_by_label("Performance to the end of (period)").fill("June 2006")
    page.get_by_role("button", name="Draft the report").click()
    assert_error_summary(page)
    assert_accessible(page, "report-new-error")

    page.get_by_label("Performance to the end of (period)").fill("2006-06")
    page.get_by_label("Scope").select_option(label="Resources")
    page.get_by_label("Meeting date").fill("2006-08-03")
    page.get_by_role("button", name="Draft the report").click()
    expect(page.get_by_text("The report has been drafted from the figures.")).to_be_visible()
    assert_accessible(page, "report-draft")
    assert_status_in_words(page)

    page.locator("#para-1").get_by_role("link").first.click()
    assert_accessible(page, "report-paragraph")
    page.get_by_label("Text", exact=True).fill("Performance to the end of June 2006 for Resources, written by the team.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("#para-1")).to_contain_text("written by the team")

    page.get_by_role("link", name=re.compile(r"Publish to Cabinet")).click()
    assert_accessible(page, "report-publish")
    # Plan updates still awaiting approval in the demo are listed first; publishing anyway is confirmed.
    expect(page.get_by_role("heading", name="Improvement plan updates awaiting approval")).to_be_visible()
    page.get_by_label("Publish with these not signed off").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1 is published; its PDFs are being made.")).to_be_visible()
    expect(page.locator("#report-pdfs")).to_contain_text("Making the PDFs")
    # The document itself is checked once, on the member's page below; here, what the team alone sees.
    assert_accessible(page, "report-version-rendering", within=".app-report__toolbar")

    run_the_worker()
    # The page polls with htmx and shows the links when the files are ready, with no reload.
    expect(page.locator("#report-pdfs").get_by_role("link").first).to_be_visible(timeout=15_000)
    expect(page.locator("#report-pdfs")).not_to_contain_text("Making the PDFs")
    assert_accessible(page, "report-version", within=".app-report__toolbar")
    assert_status_in_words(page)
    expect(page.locator("#para-1")).to_contain_text("written by the team")

    files = download_pdfs(page, tmp_path)
    assert len(files) >= 2 and any("Appendix" not in name for name in files), files
    for name, path in files.items():
        heading, figures = pdf_facts(section_for(page, name))
        title = heading if "Appendix" in name else "Integrated performance report"
        assert_accessible_pdf(path, title=title, contains=(heading, *figures))
    main = next(path for name, path in files.items() if "Appendix" not in name)
    assert_accessible_pdf(main, contains=("written by the team", "Considerations"))
    version_url = page.url

    member = new_page()
    sign_in(member, "member")
    menu = member.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link")).to_have_text(["Home", "Reports"])
    member.get_by_role("link", name=re.compile(r"Integrated performance report to the end of June 2006")).click()
    assert member.url == version_url
    expect(member.locator(".govuk-tag", has_text="Published")).to_be_visible()
    expect(member.locator("#para-1")).to_contain_text("written by the team")
    expect(member.get_by_role("link", name="The current draft")).to_have_count(0)
    assert_accessible(member, "report-version-member")
    assert_status_in_words(member)
    member_files = download_pdfs(member, tmp_path)
    assert sorted(member_files) == sorted(files)
    assert_accessible_pdf(next(p for n, p in member_files.items() if "Appendix" not in n),
                          contains=("written by the team",))

    draft = member.request.get(version_url.split("/v1/")[0] + "/")
    assert draft.status == 404, "a member must not see a draft"
