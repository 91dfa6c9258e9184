from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("cockpit/", views.cockpit_page, name="cockpit"),
    path("cockpit/data/", views.cockpit_data, name="cockpit_data"),
    path("runs/<int:pk>/bulletin.docx", views.bulletin, name="bulletin"),
    path("runs/<int:pk>/bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("runs/<int:pk>/annual.docx", views.annual, name="annual"),
    path("runs/<int:pk>/annual.xlsx", views.annual_xlsx, name="annual_xlsx"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
    path("runs/<int:pk>/diff/", views.run_diff, name="diff"),
    path("periods/close/", views.period_close, name="period_close"),
]
