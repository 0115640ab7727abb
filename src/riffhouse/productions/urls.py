"""Production pages. (Each view module adds its own routes here.)"""

from django.urls import URLPattern, path

app_name = "productions"

urlpatterns: list[URLPattern] = []

# Fairness and release (H4).
from riffhouse.productions import views_fairness  # noqa: E402 - each helper's block

urlpatterns += [
    path("productions/<int:production_id>/fairness/", views_fairness.fairness, name="fairness"),
    path("productions/<int:production_id>/release/", views_fairness.release, name="release"),
]
