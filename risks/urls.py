"""URLs for risks."""

from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("", views.register, name="register"),
    path("heat-map/", views.heat_map, name="heat_map"),
    path("new/", views.create, name="create"),
    path("settings/", views.settings_page, name="settings"),
    path("sign-off/", views.sign_off, name="sign_off"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/mitigations/", views.mitigation_add, name="mitigation_add"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
