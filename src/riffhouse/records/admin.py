from django.contrib import admin

from riffhouse.records.models import Record, RecordVersion, Rendition


class VersionInline(admin.TabularInline[RecordVersion, Record]):
    model = RecordVersion
    fk_name = "record"
    extra = 0
    fields = ("number", "title", "status", "failure_reason", "mime", "original_size", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin[Record]):
    list_display = ("title", "kind", "author", "visibility", "published_at", "deleted_at")
    list_filter = ("kind", "visibility")
    search_fields = ("title", "author__username")
    raw_id_fields = ("author", "current_version", "live_version")
    # Changes of these run records' hooks (records/hooks.py), which only its services call.
    readonly_fields = ("licence", "visibility", "published_at", "deleted_at", "remix_count")
    inlines = [VersionInline]


@admin.register(RecordVersion)
class RecordVersionAdmin(admin.ModelAdmin[RecordVersion]):
    list_display = ("record", "number", "status", "attempts", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("record", "created_by")


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin[Rendition]):
    list_display = ("version", "label", "mime", "width", "height", "size")
    raw_id_fields = ("version",)
