"""Production pages. (Each view module adds its own routes here.)"""

from django.urls import URLPattern, path

app_name = "productions"

urlpatterns: list[URLPattern] = []

# H3 (lineup): the lineup editor.
from riffhouse.productions import views_lineup  # noqa: E402

urlpatterns += [
    path("productions/<int:production_id>/lineup/", views_lineup.lineup_edit, name="lineup"),
]
