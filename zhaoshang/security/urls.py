from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.index, name="index"),
    path("account/", views.account, name="account"),
    path("password/", views.password_change, name="password_change"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("otp/", views.otp, name="otp"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/account/", views.user_account, name="user_account"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/role/", views.user_role, name="user_role"),
    path("users/<int:pk>/logout-everywhere/", views.user_logout_everywhere, name="user_logout_everywhere"),
    path("users/<int:pk>/otp-reset/", views.user_otp_reset, name="user_otp_reset"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
