"""HTML to tagged PDF with WeasyPrint, fetching only our own static files.

Every PDF the app makes (plans, exceptions, report appendices) goes through `html_to_pdf`,
so each is tagged for screen readers and none can be made to fetch from the network.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/ paths from the static files finders and refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"PDFs may use only the app's static files, not {url}")
        found = finders.find(path[len(settings.STATIC_URL):])
        if not found:
            raise ValueError(f"no static file {path}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render(html: str, *, base_url: str) -> weasyprint.Document:
    """The laid-out document, for callers that want its pages (e.g. which page an anchor fell on)."""
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).render()


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Tagged PDF bytes; the HTML's <title> and <html lang> become the PDF's title and language."""
    return render(html, base_url=base_url).write_pdf(pdf_tags=True)


def anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """{anchor id: page number from 1} for every id in a rendered document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages
