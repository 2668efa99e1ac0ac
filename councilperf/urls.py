"""URLs for councilperf: each app brings its own."""

from django.contrib import admin
from django.urls import include, path

from councilperf import views

urlpatterns = [
    path("", views.home_page, name="home"),
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
    path("indicators/", include("indicators.urls")),
    path("plans/", include("improvement_plans.urls")),
    path("risks/", include("risks.urls")),
    path("budgets/", include("budgets.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("organisation.urls")),
    path("admin/", admin.site.urls),
]
