from django.urls import path

from riffhouse.community import views, views_feeds

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
]
