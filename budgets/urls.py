"""URLs for budgets."""

from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.revenue, name="revenue"),
    path("capital/", views.capital, name="capital"),
    path("capital/schemes/new/", views.capital_scheme_add, name="capital_scheme_add"),
    path("capital/lines/<int:pk>/changes/new/", views.capital_change, name="capital_change"),
    path("capital/lines/<int:pk>/spend/", views.capital_spend, name="capital_spend"),
    path("import/", views.upload, name="import"),
    path("settings/", views.tolerances, name="tolerances"),
    path("revenue/lines/<int:pk>/", views.revenue_line, name="revenue_line"),
]
