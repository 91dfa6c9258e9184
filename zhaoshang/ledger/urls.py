from django.urls import path

from . import credit_views, filing_views, share_views, views, yield_views

app_name = "ledger"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("reclassify/", views.project_reclassify, name="project_reclassify"),
    path("shares/", share_views.share_change_list, name="share_changes"),
    path("shares/<int:pk>/confirm/", share_views.share_change_confirm, name="share_change_confirm"),
    path("shares/<int:pk>/decline/", share_views.share_change_decline, name="share_change_decline"),
    path("shares/<int:pk>/withdraw/", share_views.share_change_withdraw, name="share_change_withdraw"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/funds/new/", views.fund_create, name="fund_create"),
    path("<int:pk>/stages/new/", views.stage_file, name="stage_file"),
    path("<int:pk>/shares/", views.shares_edit, name="shares_edit"),
    path("<int:pk>/credits/<str:role>/", credit_views.credits_edit, name="credits_edit"),
    path("<int:pk>/restore/", views.project_restore, name="project_restore"),
    path("<int:pk>/funds/<int:fund_pk>/edit/", filing_views.fund_edit, name="fund_edit"),
    path("<int:pk>/stages/<str:stage>/evidence/", filing_views.stage_evidence_add, name="stage_evidence_add"),
    path("<int:pk>/refile/<str:kind>/<int:fact_pk>/", filing_views.fact_refile, name="fact_refile"),
    path("<int:pk>/yields/new/", yield_views.yield_create, name="yield_create"),
    path("<int:pk>/yields/<int:item_pk>/edit/", yield_views.yield_edit, name="yield_edit"),
    path("<int:pk>/yields/<int:item_pk>/delete/", yield_views.yield_delete, name="yield_delete"),
    path("<int:pk>/yields/<int:item_pk>/<str:action>/", yield_views.yield_verify, name="yield_verify"),
    path("evidence/<str:kind>/<int:pk>/", views.evidence, name="evidence"),
    path("evidence/<str:kind>/<int:pk>/view/", views.evidence_inline, name="evidence_inline"),
]
