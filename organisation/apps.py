"""The council's organisation: directorates, portfolios, the glossary of lead roles, people and periods."""

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from . import audit  # noqa: F401  (connects the sign-in signals)
