"""Production pages, by the view module that serves them."""

from django.urls import URLPattern, path

from riffhouse.productions import views, views_lineup

app_name = "productions"

urlpatterns: list[URLPattern] = [
    # Productions, producers, needs, browsing, the cover (views.py).
    path("calls/", views.calls, name="calls"),
    path("productions/", views.production_list, name="list"),
    path("productions/new/", views.production_new, name="new"),
    path("productions/seed-preview/", views.seed_preview, name="seed_preview"),
    path("productions/<int:production_id>/", views.production_detail, name="detail"),
    path("productions/<int:production_id>/edit/", views.production_edit, name="edit"),
    path("productions/<int:production_id>/status/", views.production_status, name="status"),
    path("productions/<int:production_id>/history/", views.production_history, name="history"),
    path(
        "productions/<int:production_id>/producers/",
        views.production_producers,
        name="producers",
    ),
    path(
        "productions/<int:production_id>/producers/<str:username>/remove/",
        views.producer_remove,
        name="producer_remove",
    ),
    path("productions/<int:production_id>/needs/new/", views.need_new, name="need_new"),
    path("productions/needs/<int:need_id>/", views.need_detail, name="need"),
    path("productions/needs/<int:need_id>/edit/", views.need_edit, name="need_edit"),
    path("productions/needs/<int:need_id>/delete/", views.need_delete, name="need_delete"),
    path(
        "productions/<int:production_id>/covers/<uuid:key>.webp",
        views.production_cover,
        name="cover",
    ),
    # The lineup editor (views_lineup.py).
    path("productions/<int:production_id>/lineup/", views_lineup.lineup_edit, name="lineup"),
]
