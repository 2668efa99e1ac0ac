"""URLs for indicators."""

from django.urls import path

from indicators.views import approvals, imports, pages, returns, spreadsheets, updates

app_name = "indicators"

urlpatterns = [
    path("", pages.indicator_list, name="list"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("<int:pk>/", pages.indicator_detail, name="detail"),
    path("<int:pk>/spc/", pages.spc_options, name="spc_options"),
    path("<int:pk>/spc/rebase/", pages.spc_rebase, name="spc_rebase"),
    path("<int:pk>/spc/rebase/<int:rebase_id>/remove/", pages.spc_rebase_remove, name="spc_rebase_remove"),
]

# Monthly updates: entering figures, approving them, periods, chasing and spreadsheets.
urlpatterns += [
    path("updates/", updates.my_updates, name="updates"),
    path("updates/<int:period_id>/row/<int:indicator_id>/", updates.update_row, name="update_row"),
    path("updates/<int:period_id>/row/<int:indicator_id>/status/", updates.update_status, name="update_status"),
    path("updates/<int:period_id>/submit/", updates.submit_return, name="return_submit"),
    path("updates/<int:period_id>/return.xlsx", spreadsheets.return_download, name="return_download"),
    path("updates/upload/", spreadsheets.return_upload, name="return_upload"),
    path("updates/upload/apply/", spreadsheets.return_upload_apply, name="return_upload_apply"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/<int:reading_id>/", approvals.approval_row, name="approval_row"),
    path("returns/", returns.returns_overview, name="returns"),
    path("returns/periods/open/", returns.period_open, name="period_open"),
    path("returns/periods/<int:period_id>/", returns.period_manage, name="period_manage"),
    path("chasing/", returns.chasing, name="chasing"),
    path("export/", spreadsheets.readings_export, name="readings_export"),
]

# Workbook import for the performance team: upload, preview, confirm.
urlpatterns += [
    path("import/", imports.import_workbook, name="import_workbook"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
]
