"""URLs for indicators."""

from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/spc/", views.spc_options, name="spc_options"),
    path("<int:pk>/spc/rebase/", views.spc_rebase, name="spc_rebase"),
    path("<int:pk>/spc/rebase/<int:rebase_id>/remove/", views.spc_rebase_remove, name="spc_rebase_remove"),
]

# Monthly updates: entering figures, approving them, periods, chasing and spreadsheets.
from indicators import views_approvals, views_returns, views_spreadsheets, views_updates  # noqa: E402

urlpatterns += [
    path("updates/", views_updates.my_updates, name="updates"),
    path("updates/<int:period_id>/row/<int:indicator_id>/", views_updates.update_row, name="update_row"),
    path("updates/<int:period_id>/row/<int:indicator_id>/status/", views_updates.update_status, name="update_status"),
    path("updates/<int:period_id>/submit/", views_updates.submit_return, name="return_submit"),
    path("updates/<int:period_id>/return.xlsx", views_spreadsheets.return_download, name="return_download"),
    path("updates/upload/", views_spreadsheets.return_upload, name="return_upload"),
    path("updates/upload/apply/", views_spreadsheets.return_upload_apply, name="return_upload_apply"),
    path("approvals/", views_approvals.approvals, name="approvals"),
    path("approvals/<int:reading_id>/", views_approvals.approval_row, name="approval_row"),
    path("returns/", views_returns.returns_overview, name="returns"),
    path("returns/periods/open/", views_returns.period_open, name="period_open"),
    path("returns/periods/<int:period_id>/", views_returns.period_manage, name="period_manage"),
    path("chasing/", views_returns.chasing, name="chasing"),
    path("export/", views_spreadsheets.readings_export, name="readings_export"),
]

# Workbook import for the performance team: upload, preview, confirm.
from indicators import views_import  # noqa: E402

urlpatterns += [
    path("import/", views_import.import_workbook, name="import_workbook"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
]
