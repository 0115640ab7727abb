"""Production pages, by the view module that serves them."""

from django.urls import URLPattern, path

from riffhouse.productions import show, views, views_fairness, views_lineup, views_submissions

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
    # Answering needs, the curation board, submission pages (views_submissions.py).
    path(
        "productions/needs/<int:need_id>/submit/",
        views_submissions.need_submit,
        name="need_submit",
    ),
    path(
        "productions/needs/<int:need_id>/upload/",
        views_submissions.need_upload,
        name="need_upload",
    ),
    path("productions/needs/<int:need_id>/remix/", views_submissions.need_remix, name="need_remix"),
    path(
        "productions/<int:production_id>/submit/",
        views_submissions.production_submit,
        name="submit",
    ),
    path("productions/<int:production_id>/curate/", views_submissions.curate, name="curate"),
    path(
        "productions/<int:production_id>/submissions/",
        views_submissions.production_submissions,
        name="submissions",
    ),
    path("submissions/", views_submissions.my_submissions, name="my_submissions"),
    path(
        "submissions/<int:submission_id>/",
        views_submissions.submission_detail,
        name="submission",
    ),
    path("submissions/<int:submission_id>/decide/", views_submissions.decide, name="decide"),
    path(
        "submissions/<int:submission_id>/withdraw/",
        views_submissions.withdraw,
        name="withdraw",
    ),
    path(
        "submissions/<int:submission_id>/consent/",
        views_submissions.consent,
        name="consent",
    ),
    # The fairness report and the release (views_fairness.py).
    path("productions/<int:production_id>/fairness/", views_fairness.fairness, name="fairness"),
    path("productions/<int:production_id>/release/", views_fairness.release, name="release"),
    # The released production: credits and chapters (show.py).
    path("productions/<int:production_id>/credits/", show.credits_view, name="credits"),
    path("productions/<int:production_id>/chapters.vtt", show.chapters_view, name="chapters"),
]
