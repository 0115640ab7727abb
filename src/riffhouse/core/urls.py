from django.urls import path

from riffhouse.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("media/<path:path>", views.public_media, name="media"),
]
