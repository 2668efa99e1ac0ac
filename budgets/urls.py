"""URLs for budgets."""

from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.revenue, name="revenue"),
    path("capital/", views.capital, name="capital"),
    path("import/", views.upload, name="import"),
    path("settings/", views.tolerances, name="tolerances"),
    path("revenue/lines/<int:pk>/", views.revenue_line, name="revenue_line"),
]
