"""Rendering collects garbage less often while it runs, and gives the process its thresholds back after."""

import gc
import threading

import pytest

from core import pdf

DOC = '<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head><body><p>{}</p></body></html>'


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_thresholds_are_raised_while_rendering_and_restored_after(thresholds, monkeypatch):
    seen = []
    real = pdf.weasyprint.HTML.render

    def spy(self, *args, **kwargs):
        seen.append(gc.get_threshold())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pdf.weasyprint.HTML, "render", spy)
    assert pdf.html_to_pdf(DOC.format("one"), base_url="/").startswith(b"%PDF")
    assert seen == [pdf._FEWER_COLLECTIONS]
    assert gc.get_threshold() == (700, 10, 10)


def test_a_failed_render_restores_the_thresholds(thresholds, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf.weasyprint.HTML, "render", broken)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf(DOC.format("two"), base_url="/")
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_renders_restore_the_thresholds_only_after_the_last(thresholds, monkeypatch):
    inside, release = threading.Event(), threading.Event()
    real = pdf.weasyprint.HTML.render

    def slow(self, *args, **kwargs):
        inside.set()
        release.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pdf.weasyprint.HTML, "render", slow)
    other = threading.Thread(target=pdf.html_to_pdf, args=(DOC.format("three"),), kwargs={"base_url": "/"})
    other.start()
    inside.wait(10)
    with pdf._fewer_collections():
        pass  # a second render that ends while the first is still laying out
    assert gc.get_threshold() == pdf._FEWER_COLLECTIONS
    release.set()
    other.join(10)
    assert gc.get_threshold() == (700, 10, 10)
