"""The bottom layer: what every app uses (periods, money, presenters, policy, PDFs, spreadsheets, panel slots)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
