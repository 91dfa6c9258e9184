from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template_download, name="template"),
    path("import/", views.import_upload, name="import"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/errors/", views.job_errors, name="job_errors"),
    path("export/", views.export_download, name="export"),
]
