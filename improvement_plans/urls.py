"""URLs for improvement_plans."""

from django.urls import path  # noqa: F401

app_name = "improvement_plans"

urlpatterns = []
