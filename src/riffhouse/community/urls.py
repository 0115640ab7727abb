from django.urls import path

from riffhouse.community import views, views_comments, views_feeds, views_social

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="mark_read"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path("notifications/<int:notification_id>/", views.notification_open, name="notification_open"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_mark_read,
        name="notification_read",
    ),
    path(
        "settings/notifications/",
        views.notification_settings,
        name="notification_settings",
    ),
    path("feed/", views_feeds.home_feed_more, name="feed"),
    path("discover/", views_feeds.discover, name="discover"),
    path("discover/<slug:tab>/", views_feeds.discover, name="discover_list"),
    # Follows and hearts (views_social.py, decision 0031).
    path("@<str:username>/follow/", views_social.follow_member, name="follow_member"),
    path("@<str:username>/followers/", views_social.followers, name="followers"),
    path("@<str:username>/following/", views_social.following, name="following"),
    path(
        "productions/<int:production_id>/follow/",
        views_social.follow_production,
        name="follow_production",
    ),
    path(
        "productions/<int:production_id>/heart/",
        views_social.heart_production,
        name="heart_production",
    ),
    path("records/<int:record_id>/heart/", views_social.heart_record, name="heart_record"),
]

# Comments (decision 0032): the permalink `community:comment` is what notifications link to.
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
