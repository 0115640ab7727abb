from django.urls import path

from riffhouse.community import views, views_comments

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="mark_read"),
]

# Comments (decision 0120): the permalink `community:comment` is what notifications link to.
urlpatterns += [
    path("comments/<int:comment_id>/", views_comments.comment_permalink, name="comment"),
    path(
        "comments/<int:comment_id>/replies/",
        views_comments.comment_replies,
        name="comment_replies",
    ),
    path("comments/<int:comment_id>/reply/", views_comments.comment_reply, name="comment_reply"),
    path("comments/<int:comment_id>/edit/", views_comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views_comments.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/pin/", views_comments.comment_pin, name="comment_pin"),
    path(
        "comments/<int:comment_id>/history/",
        views_comments.comment_history,
        name="comment_history",
    ),
    path(
        "records/<int:record_id>/comments/",
        views_comments.record_comments,
        name="record_comments",
    ),
    path(
        "productions/<int:production_id>/comments/",
        views_comments.production_comments,
        name="production_comments",
    ),
]
