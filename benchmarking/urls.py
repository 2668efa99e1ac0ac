"""URLs for benchmarking."""

from django.urls import path

from . import views

app_name = "benchmarking"

urlpatterns = [
    path("commentary/<int:metric_id>/<int:group_id>/", views.commentary, name="commentary"),
]
