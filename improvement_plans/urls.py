"""URLs for improvement plans: the plan, its PDF and exceptions, leads' updates, approvals and import."""

from django.urls import path

from . import views

app_name = "improvement_plans"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("import/", views.plan_import, name="import"),
    path("approvals/", views.approvals, name="approvals"),
    path("updates/<int:pk>/decide/", views.update_decide, name="update_decide"),
    path("<int:pk>/", views.plan_document, name="plan"),
    path("<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/exceptions/", views.exceptions_report, name="exceptions"),
    path("<int:pk>/exceptions.pdf", views.exceptions_pdf, name="exceptions_pdf"),
    path("<int:pk>/updates/", views.my_updates, name="updates"),
    path("<int:pk>/issue/", views.issue_version, name="issue_version"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/links/", views.action_links, name="action_links"),
    path("elements/<int:pk>/status/", views.element_status, name="element_status"),
]
