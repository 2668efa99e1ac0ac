"""HTML to tagged PDF with WeasyPrint, fetching only our own static files.

Every PDF the app makes (plans, exceptions, report appendices) goes through `html_to_pdf`,
so each is PDF/UA-1 (tagged for screen readers) and none can be made to fetch from the network.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core import pdf_ua


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
    """PDF/UA-1 bytes; the HTML's <title> and <html lang> become the PDF's title and language.

    WeasyPrint's PDF/UA variant tags the document; `core.pdf_ua.repair` fixes what it still gets
    wrong (table header scopes, definition lists, captions, heading levels, XMP language).
    """
    tagged = render(html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf_ua.repair(tagged)


STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')


def pdf_key(html: str) -> str:
    """What a PDF is made from: the HTML, the stylesheets it links to, the WeasyPrint that lays it out and our repairs."""
    digest = hashlib.sha256(f"{weasyprint.__version__} {pdf_ua.REVISION}".encode())
    digest.update(html.encode())
    for href in STYLESHEET.findall(html):
        path = unquote(urlsplit(href).path)
        found = finders.find(path[len(settings.STATIC_URL):]) if path.startswith(settings.STATIC_URL) else None
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def kept_pdf(html: str, *, base_url: str, folder: str, keep: int = 20) -> bytes:
    """`html_to_pdf`, rendered once for the same HTML and kept in the media folder (shared by every app server).

    A plan's PDF takes seconds of CPU and is downloaded by many readers between changes, so the
    file is kept under a name made from what it is made of (`pdf_key`): a changed figure, date or
    stylesheet is a new name, and the same document is served from the file. The `keep` newest
    files of a folder are kept; older ones are removed when a new one is written.
    """
    name = f"{folder}/{pdf_key(html)}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = html_to_pdf(html, base_url=base_url)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another request wrote the same document meanwhile: keep one copy
        default_storage.delete(saved)
    _prune(folder, keep)
    return data


def _prune(folder: str, keep: int) -> None:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    paths = [f"{folder}/{f}" for f in files if f.endswith(".pdf")]
    if len(paths) <= keep:
        return
    paths.sort(key=default_storage.get_modified_time, reverse=True)
    for stale in paths[keep:]:
        default_storage.delete(stale)


def anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """{anchor id: page number from 1} for every id in a rendered document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages
