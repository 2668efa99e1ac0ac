"""The council's organisation: directorates, portfolios, the glossary of lead roles, people and periods."""

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation"
