from django.contrib import admin

from riffhouse.community.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "verb", "actor", "read_at"]
    list_filter = ["verb"]
    raw_id_fields = ["recipient", "actor", "record", "source", "remix_request"]
    date_hierarchy = "created_at"
