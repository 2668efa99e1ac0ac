"""The top layer below the site: the demo council, the synthetic council and their commands (no models)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo and synthetic councils"
