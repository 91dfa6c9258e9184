from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_edit, name="scheme_new"),
    path("schemes/validate/", views.scheme_validate, name="scheme_validate"),
    path("schemes/<str:key>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<str:key>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<str:key>/copy/", views.scheme_copy, name="scheme_copy"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/json/", views.run_json, name="run_json"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/subjects/<int:subject_id>/", views.subject_sheet, name="subject_sheet"),
    path("runs/<int:pk>/manual/", views.manual_scores, name="manual_scores"),
    path("runs/<int:pk>/what-if/", views.what_if, name="what_if"),
]
