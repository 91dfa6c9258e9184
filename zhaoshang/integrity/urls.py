from django.urls import path

from .views import flags, inspections, prereview, spotchecks, verification

app_name = "integrity"
urlpatterns = [
    path("verification/", verification.queue, name="verification_queue"),
    path("verification/bulk-approve/", verification.bulk_approve, name="verification_bulk_approve"),
    path("verification/<str:kind>/<int:pk>/", verification.fact_detail, name="verification_detail"),
    path("verification/<str:kind>/<int:pk>/<str:action>/", verification.fact_action, name="verification_action"),
    path("spotchecks/", spotchecks.spotcheck_list, name="spotcheck_list"),
    path("spotchecks/new/", spotchecks.spotcheck_new, name="spotcheck_new"),
    path("spotchecks/<int:pk>/", spotchecks.spotcheck_detail, name="spotcheck_detail"),
    path("spotchecks/items/<int:pk>/result/", spotchecks.spotcheck_item_result, name="spotcheck_item_result"),
    # 一季一督查 and 项目预评审
    path("inspections/", inspections.plan_list, name="inspection_list"),
    path("inspections/new/", inspections.plan_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.plan_detail, name="inspection_detail"),
    path("inspections/<int:pk>/status/", inspections.plan_status, name="inspection_status"),
    path("inspections/<int:pk>/self-check/<int:unit_id>/", inspections.self_check, name="inspection_self_check"),
    path("inspections/<int:pk>/visits/new/", inspections.site_visit_create, name="inspection_visit_create"),
    path("inspections/<int:pk>/rectifications/new/", inspections.rectification_create,
         name="inspection_rectification_create"),
    path("inspections/files/<str:kind>/<int:pk>/", inspections.attachment, name="inspection_file"),
    path("rectifications/", inspections.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/close/", inspections.rectification_close, name="rectification_close"),
    path("rectifications/<int:pk>/reopen/", inspections.rectification_reopen, name="rectification_reopen"),
    path("prereviews/", prereview.prereview_list, name="prereview_list"),
    path("prereviews/project/<int:project_id>/new/", prereview.prereview_create, name="prereview_create"),
    # 疑点: double counting, packaged projects, registry
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/scan/", flags.flag_scan_view, name="flag_scan"),
    path("flags/registry/", flags.registry_page, name="registry"),
    path("flags/<int:pk>/", flags.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/resolve/", flags.flag_resolve_view, name="flag_resolve"),
]
