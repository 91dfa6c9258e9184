from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.chain_list, name="chain_list"),
    path("<int:pk>/", views.chain_detail, name="chain_detail"),
    path("<int:pk>/guide.docx", views.chain_guide, name="chain_guide"),
    path("<int:pk>/link/", views.project_link, name="project_link"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/convert/", views.target_convert, name="target_convert"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_minutes, name="meeting_minutes"),
]
