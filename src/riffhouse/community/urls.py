from django.urls import path

from riffhouse.community import views, views_feeds, views_social

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
    # Follows and hearts (views_social.py, decision 0110).
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
