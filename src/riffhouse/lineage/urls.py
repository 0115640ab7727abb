from django.urls import path

from riffhouse.lineage import views

app_name = "lineage"

urlpatterns = [
    path("licences/", views.licence_list, name="licences"),
]
