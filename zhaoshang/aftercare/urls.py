from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("", views.index, name="index"),
    path("yields/", views.yield_list, name="yield_list"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("talent/", views.talent_list, name="talent_list"),
    path("talent/new/", views.talent_create, name="talent_create"),
    path("talent/<int:pk>/edit/", views.talent_edit, name="talent_edit"),
    path("talent/<int:pk>/evidence/", views.talent_evidence, name="talent_evidence"),
    path("liaison/", views.liaison_list, name="liaison_list"),
    path("liaison/new/", views.liaison_create, name="liaison_create"),
    path("liaison/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaison/<int:pk>/edit/", views.liaison_edit, name="liaison_edit"),
    path("liaison/<int:pk>/steps/", views.liaison_step, name="liaison_step"),
]
