"""URLs for reports: drafts for staff, published versions and their downloads for everyone with a role."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_draft, name="draft"),
    path("<int:pk>/cover/", views.report_cover, name="cover"),
    path("<int:pk>/paragraphs/<int:number>/", views.report_paragraph, name="paragraph"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/v<int:number>/", views.report_version, name="version"),
    path("<int:pk>/v<int:number>/render/", views.report_render, name="render"),
    path("<int:pk>/v<int:number>/pdf/<str:part>/", views.report_pdf, name="pdf"),
    path("<int:pk>/v<int:number>/csv/<str:table>/", views.report_csv, name="csv"),
    path("<int:pk>/v<int:number>/figures.json", views.report_json, name="json"),
]
