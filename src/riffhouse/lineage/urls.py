from django.urls import path

from riffhouse.lineage import views

app_name = "lineage"

urlpatterns = [
    path("licences/", views.licence_list, name="licences"),
    path("records/<int:record_id>/remix/", views.remix_new, name="remix"),
    path("records/<int:record_id>/sources/", views.sources_edit, name="sources"),
    path("sources/search/", views.source_search, name="source_search"),
    path("sources/licences/", views.source_licences, name="source_licences"),
    path("records/<int:record_id>/lineage/", views.tree, name="tree"),
    path("records/<int:record_id>/lineage.jsonld", views.jsonld, name="jsonld"),
    path("records/<int:record_id>/remixes/", views.remixes, name="remixes"),
    path("records/<int:record_id>/credits/", views.credits, name="credits"),
    path("remix-requests/", views.requests, name="requests"),
    path("remix-requests/<int:request_id>/", views.request_detail, name="request"),
    path(
        "remix-requests/<int:request_id>/ask-again/",
        views.request_ask_again,
        name="ask_again",
    ),
    path(
        "remix-requests/<int:request_id>/approve/",
        views.request_decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        "remix-requests/<int:request_id>/decline/",
        views.request_decide,
        {"decision": "decline"},
        name="decline",
    ),
]
