"""The report and the pages beside it read as a person writes: no "None", money in pounds, months by name,
a contents list for a long report, each appendix's files beside it, and only links that work."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reports import services, storage
from tests.budgets.factories import capital_line
from tests.factories import reading
from tests.reports import factories


def words(html: str) -> str:
    main = html.split('id="main-content"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def row_of(html: str, code: str) -> str:
    """The words of the indicator list's row for `code`."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S):
        if f">{code}</a>" in row:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    raise AssertionError(f"no row for {code}")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_on(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture
def council(world):
    return factories.small_council(world)


def test_an_indicator_with_no_target_says_no_target_rather_than_none(world, client_for):
    html = client_for("performance").get(reverse("indicators:list"), {"period": "2006-07"}).content.decode()
    row = row_of(html, "AS01")  # the world's AS01 has no target
    assert "No target" in row
    assert "None" not in row


def test_the_indicator_list_names_the_month_rather_than_a_key_a_reader_takes_for_a_year(world, client_for):
    html = client_for("performance").get(reverse("indicators:list"), {"period": "2006-07"}).content.decode()
    assert " July 2006 " in row_of(html, "CH141")
    assert " 2006-07 " not in row_of(html, "CH141")


def test_appendix_d_gives_each_change_to_the_capital_programme_in_pounds(world, council, client_for):
    # 000 para 22: "... mainly due to Corporate Accommodation (£4,603,000)".
    capital_line(world.period, "Corporate Accommodation", "2000000", "150000",
                 [("4603000", "Corporate Accommodation: new council offices", "Cabinet 13 July 2006")], order=2)
    report = factories.draft_report(world)
    text = words(client_for("performance").get(reverse("reports:draft", args=[report.pk])).content.decode())
    assert "£4,603,000: Corporate Accommodation: new council offices" in text
    assert "4603000" not in text
    assert "£850.50: Programme investment" in text  # pence are kept where there are any


def test_a_capital_scheme_with_no_change_says_so(world, client_for):
    capital_line(world.period, "Property maintenance programme", "1200000", "330000", order=3)
    text = words(client_for("performance").get(reverse("budgets:capital"), {"period": "2006-07"}).content.decode())
    assert "Property maintenance programme" in text
    assert " None " not in text
    assert "No change" in text


def test_the_report_has_a_contents_list_linking_every_paragraph_and_appendix(world, council, client_for):
    report = factories.draft_report(world)
    doc_html = client_for("performance").get(reverse("reports:draft", args=[report.pk])).content.decode()
    contents = doc_html.split('id="contents"', 1)[1].split("</nav>", 1)[0]
    numbers = [int(n) for n in re.findall(r'id="para-(\d+)"', doc_html)]
    assert numbers, "the report has numbered paragraphs"
    for n in numbers:
        assert f'href="#para-{n}"' in contents, f"paragraph {n} is not in the contents"
    for code in ("A1", "A2", "B", "C", "D", "E", "F"):
        assert f'href="#appendix-{code}"' in contents
        assert f'id="appendix-{code}"' in doc_html
    # Every appendix and every group of paragraphs leads back to the contents.
    assert doc_html.count('href="#contents">Back to contents') >= 7 + 1


def test_each_appendix_offers_its_pdf_and_csv_beside_it_with_size_and_pages(world, council, client_for, settings, tmp_path):
    from reports import tasks

    settings.MEDIA_ROOT = tmp_path
    report = factories.draft_report(world)
    version = services.report_publish(user=world.performance, report=report, note="")
    tasks.render_version_pdfs.call(version.pk)
    html = client_for("member").get(reverse("reports:version", args=[report.pk, version.number])).content.decode()
    appendix_c = html.split('id="appendix-C"', 1)[1].split("</section>", 1)[0]
    pdf = reverse("reports:pdf", args=[report.pk, version.number, "C"])
    csv = reverse("reports:csv", args=[report.pk, version.number, "C"])
    assert f'href="{pdf}"' in appendix_c and f'href="{csv}"' in appendix_c
    part = version.parts.get(part="C")
    assert re.search(r"\(\d+(\.\d+)? KB, 1 page\)", words(appendix_c)), words(appendix_c)[:400]
    assert storage.part_pages(part) == 1
    assert "<!--downloads:" not in html


def test_change_the_cover_is_offered_only_to_those_who_may_change_it(world, council, client_for):
    report = factories.draft_report(world)
    cover = reverse("reports:cover", args=[report.pk])
    for role in ("officer", "approver"):
        assert cover not in client_for(role).get(reverse("reports:draft", args=[report.pk])).content.decode()
        assert client_for(role).get(cover).status_code in (403, 404)  # and so the link must not be shown
    performance = client_for("performance")
    assert cover in performance.get(reverse("reports:draft", args=[report.pk])).content.decode()
    assert performance.get(cover).status_code == 200


SKIPPED = ("#", "mailto:", "http://", "https://")


@pytest.mark.parametrize("role", ["officer", "approver", "performance", "member"])
def test_every_link_on_every_report_page_works_for_each_role(world, council, client_for, role, settings, tmp_path):
    """From the reports list, every page under /reports/ a role reaches, and every link on those pages:
    none leads to a refusal or a missing page."""
    from reports import tasks

    settings.MEDIA_ROOT = tmp_path
    report = factories.draft_report(world, period_key="2006-05", meeting=date(2006, 6, 29))
    version = services.report_publish(user=world.performance, report=report, note="")
    tasks.render_version_pdfs.call(version.pk)
    client = client_for(role)
    queue, seen, checked = [reverse("reports:list")], set(), {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        checked[url] = response.status_code
        assert response.status_code not in (403, 404), f"{role}: {url} gives {response.status_code}"
        if response.get("Content-Type", "").startswith("text/html"):
            for href in links_on(response.content.decode()):
                href = href.split("#", 1)[0]
                if not href or href.startswith(SKIPPED) or href in seen:
                    continue
                if href.startswith("/reports/"):
                    queue.append(href)  # a report page: walk its links too
                else:
                    code = checked.get(href) or client.get(href).status_code
                    checked[href] = code
                    assert code not in (403, 404), f"{role}: {href} (linked from {url}) gives {code}"
    assert reverse("reports:version", args=[report.pk, version.number]) in checked


def test_an_indicator_page_says_no_target_in_its_history_rather_than_none(world, client_for):
    reading(world.other_indicator, "2006-07", 40)  # AS01 has no target
    html = client_for("performance").get(reverse("indicators:detail", args=[world.other_indicator.pk])).content.decode()
    history = html.split('aria-label="History by period"', 1)[1].split("</table>", 1)[0]
    assert "No target" in history
    assert ">None<" not in history
