"""Production pages. (Each view module adds its own routes here.)"""

from django.urls import URLPattern, path  # noqa: F401 - the routes below use path

app_name = "productions"

urlpatterns: list[URLPattern] = []
