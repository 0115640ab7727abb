from django.urls import URLPattern, path

from riffhouse.search import views

app_name = "search"

urlpatterns: list[URLPattern] = [path("search/", views.search_page, name="page")]
