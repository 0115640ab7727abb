from django.contrib import admin
from django.urls import include, path

from riffhouse.api.api import api

admin.site.site_header = "Riffhouse administration"
admin.site.site_title = "Riffhouse admin"

urlpatterns = [
    path("", include("riffhouse.core.urls")),
    path("accounts/", include("riffhouse.accounts.urls")),
    path("settings/", include("riffhouse.accounts.settings_urls")),
    path("records/", include("riffhouse.records.urls")),
    path("", include("riffhouse.lineage.urls")),
    path("", include("riffhouse.productions.urls")),
    path("", include("riffhouse.community.urls")),
    path("", include("riffhouse.search.urls")),
    path("", include("riffhouse.moderation.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("riffhouse.accounts.profile_urls")),
]

handler400 = "riffhouse.core.views.bad_request"
handler404 = "riffhouse.core.views.page_not_found"
handler500 = "riffhouse.core.views.server_error"
