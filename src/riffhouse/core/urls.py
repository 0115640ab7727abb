from django.urls import path

from riffhouse.core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("media/<path:path>", views.public_media, name="media"),
]
