from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogues/new/", views.catalogue_edit, name="catalogue_new"),
    path("catalogues/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogues/<int:pk>/edit/", views.catalogue_edit, name="catalogue_edit"),
    path("catalogues/<int:pk>/items/new/", views.item_edit, name="item_new"),
    path("catalogues/<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("catalogues/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("catalogues/<int:pk>/manual/", views.manual_nomination, name="manual_nomination"),
    path("catalogues/<int:pk>/notice/", views.notice_start, name="notice_start"),
    path("catalogues/<int:pk>/decide/", views.decide, name="decide"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/review/", views.nomination_review, name="nomination_review"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/objections/", views.objection_add, name="objection_add"),
    path("nominations/<int:pk>/clawback-check/", views.clawback_check, name="clawback_check"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("notices/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("decisions/<int:pk>/decision.docx", views.decision_docx, name="decision_docx"),
    path("decisions/<int:pk>/payout.xlsx", views.payout_xlsx, name="payout_xlsx"),
    path("clawbacks/<int:pk>/confirm/", views.clawback_decide, {"action": "confirm"}, name="clawback_confirm"),
    path("clawbacks/<int:pk>/dismiss/", views.clawback_decide, {"action": "dismiss"}, name="clawback_dismiss"),
    path("clawbacks/<int:pk>/recovery/", views.clawback_recovery, name="clawback_recovery"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_notice, name="public_notice"),
]
