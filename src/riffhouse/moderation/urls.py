"""Moderation pages: anyone's report form, the moderators' queue, actions and appeals, and
a member's page for an action on their work (`moderation:appeal`, linked from its
notification)."""

from django.urls import URLPattern, path

from riffhouse.moderation import views

app_name = "moderation"

urlpatterns: list[URLPattern] = [
    path("report/", views.report_new, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/act/", views.action_new, name="act"),
    path("moderation/dismiss/", views.reports_dismiss, name="dismiss"),
    path("moderation/actions/", views.action_list, name="actions"),
    path("moderation/actions/<int:action_id>/undo/", views.action_undo, name="undo"),
    path("moderation/actions/<int:action_id>/", views.appeal, name="appeal"),
    path("moderation/appeals/", views.appeal_list, name="appeals"),
    path("moderation/appeals/<int:appeal_id>/decide/", views.appeal_decide, name="decide"),
]
