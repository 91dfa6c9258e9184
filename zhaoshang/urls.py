from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhaoshang.api.api import api
from zhaoshang.core.views import health
from zhaoshang.demo.views import DemoLoginView
from zhaoshang.security.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", DemoLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ledger/", include("zhaoshang.ledger.urls")),
    path("units/", include("zhaoshang.orgs.urls")),
    path("exchange/", include("zhaoshang.exchange.urls")),
    path("assessment/", include("zhaoshang.assessment.urls")),
    path("targets/", include("zhaoshang.targets.urls")),
    path("work/", include("zhaoshang.activities.urls")),
    path("reports/", include("zhaoshang.reports.urls")),
    path("integrity/", include("zhaoshang.integrity.urls")),
    path("awards/", include("zhaoshang.awards.urls")),
    path("chains/", include("zhaoshang.chains.urls")),
    path("aftercare/", include("zhaoshang.aftercare.urls")),
    path("security/", include("zhaoshang.security.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
# Evidence files are never served from MEDIA_ROOT directly: the ledger's evidence view checks the
# user's scope before streaming a file.

admin.site.site_header = "招商引资台账与考核系统 · 管理"
admin.site.site_title = "招商管理"
