"""WSGI entry point (gunicorn councilperf.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
application = get_wsgi_application()
