"""URLs for benchmarking."""

from django.urls import path

from . import setup_views, views

app_name = "benchmarking"

urlpatterns = [
    path("commentary/<int:metric_id>/<int:group_id>/", views.commentary, name="commentary"),
    # The performance team's set-up: comparator files, groups and the metric mapping.
    path("comparators/", setup_views.setup, name="setup"),
    path("comparators/import/", setup_views.comparators_import, name="comparators_import"),
    path("comparators/import/confirm/", setup_views.comparators_import_confirm, name="comparators_import_confirm"),
    path("comparators/groups/new/", setup_views.group_edit, name="group_new"),
    path("comparators/groups/<int:pk>/", setup_views.group_edit, name="group_edit"),
    path("comparators/groups/<int:pk>/members/", setup_views.group_members_add, name="group_members_add"),
    path("comparators/groups/<int:pk>/members/<int:council_pk>/remove/", setup_views.group_member_remove,
         name="group_member_remove"),
    path("comparators/metrics/", setup_views.metrics, name="metrics"),
    path("comparators/metrics/<int:pk>/", setup_views.metric_edit, name="metric_edit"),
]
