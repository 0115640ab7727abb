"""Production pages. (Each view module adds its own routes here.)"""

from django.urls import URLPattern, path

from riffhouse.productions import views_submissions

app_name = "productions"

urlpatterns: list[URLPattern] = []

# H2 submissions: answering needs, the curation board, submission pages -----------------------
urlpatterns += [
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
]
