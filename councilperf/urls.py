"""URLs for councilperf: each app brings its own."""

from django.contrib import admin
from django.urls import include, path

from councilperf import views
from organisation import sso_allauth

urlpatterns = [
    path("", views.home_page, name="home"),
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
    # The council's identity provider (organisation.sso_allauth); the callback is the redirect URI.
    path("sign-in/oidc/<str:provider_id>/", sso_allauth.sso_login, name="openid_connect_login"),
    path("sign-in/oidc/<str:provider_id>/callback/", sso_allauth.sso_callback, name="openid_connect_callback"),
    path("indicators/", include("indicators.urls")),
    path("plans/", include("improvement_plans.urls")),
    path("risks/", include("risks.urls")),
    path("budgets/", include("budgets.urls")),
    path("reports/", include("reports.urls")),
    path("benchmarking/", include("benchmarking.urls")),
    path("audit/", include("organisation.urls")),
    path("admin/", admin.site.urls),
]
