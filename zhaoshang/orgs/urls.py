from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("groupings/", views.grouping_list, name="grouping_list"),
    path("options/<slug:kind>/", views.options, name="options"),
]
