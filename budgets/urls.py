"""URLs for budgets."""

from django.urls import path  # noqa: F401

app_name = "budgets"

urlpatterns = []
