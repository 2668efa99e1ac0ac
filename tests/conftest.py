"""Fixtures shared by every test: the personas' world and signed-in clients."""

import pytest
from django.test import Client

from indicators.models import forget_units, units
from tests import factories
from tests.personas import make_world


@pytest.fixture
def world(db):
    """The personas and a small council (see tests/personas.py), with each app's test objects."""
    w = make_world()
    factories.populate(w)
    return w


@pytest.fixture
def client_for(world):
    """client_for("officer") -> a Client signed in as that persona."""

    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with PBKDF2 for every persona would make each test slow; the real hasher is tested on sign-in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Files the app keeps (uploads, PDFs) go to a folder of the test's own, never the real media folder."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def as_at(settings):
    """as_at("2006-09-07") -> the council's clock (core.clock.today) reads that day for the rest of the test."""

    def pin(day):
        settings.COUNCILPERF_AS_AT = str(day)

    return pin


@pytest.fixture(autouse=True)
def _units_already_read(request):
    """A running server has read the unit table once (indicators.models.units); so does every test that
    uses the database, so a page's query count does not depend on which test ran first."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    forget_units()
    units()


@pytest.fixture
def chromium_installed():
    """For tests of Chromium's own printing: fail, never skip, where it is not installed (as the browser suite does)."""
    from core import chromium

    if chromium.executable() is None:
        pytest.fail("Chromium is not installed: `make test` installs it as root, or run 'sudo apt-get install "
                    "chromium' (or set COUNCILPERF_CHROMIUM); `make test-fast` leaves Chromium's cases out.")


@pytest.fixture(params=[
    "weasyprint",
    # Chromium's cases need Chromium, as the browser suite does: `make test` installs it, `make test-fast` leaves them out.
    pytest.param("chromium", marks=pytest.mark.browser),
])
def pdf_renderer(request, settings):
    """Each renderer of the report pack in turn (core.pdf.pack_renderer), for tests that must hold for both."""
    if request.param == "chromium":
        request.getfixturevalue("chromium_installed")
    settings.COUNCILPERF_PDF_RENDERER = request.param
    return request.param
