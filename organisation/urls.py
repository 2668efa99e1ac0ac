"""URLs for the organisation app: the audit log."""

from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("export.csv", views.audit_export, name="audit_export"),
]
