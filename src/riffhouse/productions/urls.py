"""Production pages. (Each view module adds its own routes here.)"""

from django.urls import URLPattern, path

from riffhouse.productions import show

app_name = "productions"

urlpatterns: list[URLPattern] = []

# H5 (show): the released production's credits and chapters. `show/` is temporary: the
# production's page (`productions:detail`) serves the show once the production pages land.
urlpatterns += [
    path("productions/<int:production_id>/show/", show.show_view, name="show"),
    path("productions/<int:production_id>/credits/", show.credits_view, name="credits"),
    path("productions/<int:production_id>/chapters.vtt", show.chapters_view, name="chapters"),
]
