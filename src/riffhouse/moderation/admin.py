"""Read-only views of moderation for staff: every change goes through the moderation pages
(and so through the services, with their audit rows and notices)."""

from django.contrib import admin
from django.http import HttpRequest

from riffhouse.moderation.models import Appeal, ModerationAction, Report

TARGETS = ["record", "comment", "production", "member"]


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["created_at", "reporter", "category", "status"]
    list_filter = ["status", "category"]
    raw_id_fields = ["reporter", "closed_by", *TARGETS]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnly):
    list_display = ["created_at", "moderator", "kind", "subject", "undone_at"]
    list_filter = ["kind"]
    raw_id_fields = ["moderator", "subject", "undone_by", *TARGETS]


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ["created_at", "member", "status", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["action", "member", "decided_by"]
