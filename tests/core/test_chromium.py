"""Which renderer prints the report pack (core.pdf.pack_renderer), and what happens when Chromium cannot print."""

import pytest

from core import chromium, pdf
from reports import pdfs

PAGE = '<!DOCTYPE html><html lang="en-GB"><head><title>Appendix B</title></head><body><h1>Appendix B</h1></body></html>'


@pytest.fixture
def fake_chromium(tmp_path, settings):
    """A `chromium` that answers --version as told and can print nothing."""
    def make(version_ok: bool):
        path = tmp_path / f"chromium-{version_ok}"
        path.write_text("#!/bin/sh\n" + ('echo "Chromium 1.0"\n' if version_ok else "exit 3\n"))
        path.chmod(0o755)
        settings.COUNCILPERF_CHROMIUM = str(path)
        return str(path)
    chromium.version.cache_clear()
    yield make
    chromium.version.cache_clear()


def test_auto_is_weasyprint_where_there_is_no_chromium(settings, tmp_path):
    settings.COUNCILPERF_PDF_RENDERER = "auto"
    settings.COUNCILPERF_CHROMIUM = str(tmp_path / "no-such-chromium")
    assert chromium.executable() is None
    assert pdf.pack_renderer() == pdf.WEASYPRINT


def test_auto_is_weasyprint_where_chromium_does_not_start(settings, fake_chromium):
    settings.COUNCILPERF_PDF_RENDERER = "auto"
    fake_chromium(version_ok=False)
    assert pdf.pack_renderer() == pdf.WEASYPRINT


def test_auto_is_chromium_where_it_answers(settings, fake_chromium):
    settings.COUNCILPERF_PDF_RENDERER = "auto"
    fake_chromium(version_ok=True)
    assert pdf.pack_renderer() == pdf.CHROMIUM
    assert pdf.renderer_version(pdf.CHROMIUM) == "Chromium 1.0"


def test_chosen_renderers_are_kept_as_chosen(settings, tmp_path):
    settings.COUNCILPERF_CHROMIUM = str(tmp_path / "no-such-chromium")
    settings.COUNCILPERF_PDF_RENDERER = "weasyprint"
    assert pdf.pack_renderer() == pdf.WEASYPRINT
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    assert pdf.pack_renderer() == pdf.CHROMIUM


def test_a_chromium_chosen_but_missing_fails_the_part_with_a_reason(settings, tmp_path):
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    settings.COUNCILPERF_CHROMIUM = str(tmp_path / "no-such-chromium")
    failed, done = {}, {}
    pdfs.render_all([("B", PAGE)], on_done=done.__setitem__, on_error=failed.__setitem__, processes=1, reuse=False)
    assert done == {}
    assert isinstance(failed["B"], chromium.PrintError)
    assert "Chromium is not installed" in str(failed["B"])


def test_a_chromium_that_cannot_start_fails_the_part_and_the_next_print_tries_again(settings, fake_chromium):
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    fake_chromium(version_ok=True)  # answers, but is no browser: Playwright cannot launch it
    failed = {}
    pdfs.render_all([("B", PAGE), ("C", PAGE.replace("B", "C"))], on_done=lambda *_: None,
                    on_error=failed.__setitem__, processes=1, reuse=False)
    assert set(failed) == {"B", "C"}
    assert all("Chromium could not print the document" in str(exc) for exc in failed.values())


@pytest.mark.browser
def test_the_printer_prints_in_its_own_thread_and_a_closed_one_starts_again(chromium_installed):
    first = chromium.print_pdf(PAGE)
    chromium.close()
    second = chromium.print_pdf(PAGE)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF")


@pytest.mark.browser
def test_print_html_can_fetch_nothing(chromium_installed):
    """A print document that names a web address does not fetch it (print HTML is self-contained)."""
    import http.server
    import threading

    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        html = PAGE.replace("</head>", f'<link rel="stylesheet" href="{url}/style.css"></head>').replace(
            "<h1>", f'<img src="{url}/image.png" alt=""><iframe src="{url}/page"></iframe><h1>')
        data = chromium.print_pdf(html)
    finally:
        server.shutdown()
    assert data.startswith(b"%PDF")
    assert asked == []


@pytest.mark.browser
def test_a_browser_kept_open_is_not_used_once_another_binary_is_chosen(settings, fake_chromium, chromium_installed):
    chromium.print_pdf(PAGE)
    assert chromium.is_open()
    fake_chromium(version_ok=True)
    with pytest.raises(chromium.PrintError, match="could not print"):
        chromium.print_pdf(PAGE)
    assert not chromium.is_open()


@pytest.mark.browser
def test_a_few_sections_print_in_this_process_and_a_long_pack_in_the_pool(settings, monkeypatch, chromium_installed):
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    pools = []

    class NoPool:
        def __init__(self, *args, **kwargs):
            pools.append(kwargs)
            raise RuntimeError("no pool here")

    monkeypatch.setattr(pdfs, "ProcessPoolExecutor", NoPool)
    few = [(name, PAGE.replace("Appendix B", f"Appendix {name}")) for name in "BCDE"[:pdfs.CHROMIUM_IN_PROCESS]]
    made = {}
    pdfs.render_all(few, on_done=made.__setitem__, processes=2, reuse=False)
    assert set(made) == {name for name, _ in few} and pools == []
    more = [*few, ("G", PAGE.replace("Appendix B", "Appendix G"))]
    with pytest.raises(RuntimeError, match="no pool here"):
        pdfs.render_all(more, on_done=made.__setitem__, processes=2, reuse=False)
    assert len(pools) == 1


@pytest.mark.browser
@pytest.mark.django_db
def test_the_worker_keeps_a_browser_open_after_a_render_for_the_next_correction(world, settings, chromium_installed):
    from reports import tasks
    from tests.reports import factories

    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    from reports import services

    version = services.report_publish(user=world.performance, report=factories.draft_report(world), note="")
    chromium.close()
    assert not chromium.is_open()
    tasks.render_version_pdfs.call(version.pk)
    assert chromium.is_open()
    settings.COUNCILPERF_PDF_RENDERER = "weasyprint"
    chromium.close()
    version.parts.update(state="pending")
    tasks.render_version_pdfs.call(version.pk)
    assert not chromium.is_open()  # WeasyPrint's worker starts no browser


@pytest.mark.browser
def test_a_print_that_does_not_come_back_is_given_up_and_the_next_starts_afresh(chromium_installed, monkeypatch):
    import threading

    chromium.print_pdf(PAGE)
    release = threading.Event()
    real = chromium._print
    monkeypatch.setattr(chromium, "PRINT_SECONDS", 0.5)
    monkeypatch.setattr(chromium, "_print", lambda html, path: release.wait(60))
    with pytest.raises(chromium.PrintError, match="did not finish printing the document in 0.5 s"):
        chromium.print_pdf(PAGE)
    monkeypatch.setattr(chromium, "_print", real)
    monkeypatch.setattr(chromium, "PRINT_SECONDS", 20)  # starting a browser takes a second or two
    try:
        assert chromium.print_pdf(PAGE).startswith(b"%PDF")  # a new thread, while the old one still hangs
    finally:
        release.set()
