from django.urls import path

from riffhouse.community import views

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="mark_read"),
]
