from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from riffhouse.accounts import services
from riffhouse.accounts.models import ApiToken, AuditEvent, User
from riffhouse.core.errors import ApplicationError


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "display_name", "email", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "email")
    ordering = ("-date_joined",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("display_name", "email", "bio", "links", "avatar")}),
        ("Access", {"fields": ("role", "is_active", "email_confirmed_at")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )
    readonly_fields = ("avatar", "email_confirmed_at", "last_login", "date_joined")
    actions = ["delete_accounts"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Removing the row would take remix requests and notifications with it and leave
        # records without an author: accounts are deleted by anonymising them instead.
        return False

    @admin.action(
        description="Delete the selected accounts (their credits stay, as “a former member”)"
    )
    def delete_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        deleted = 0
        for user in queryset.order_by("pk"):
            try:
                services.account_delete_by_staff(actor=request.user, user=user)  # type: ignore[arg-type]
            except ApplicationError as error:
                self.message_user(request, f"{user.username}: {error.detail}", messages.ERROR)
            else:
                deleted += 1
        if deleted:
            self.message_user(request, f"Deleted {deleted} account(s).", messages.SUCCESS)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if not change or "role" in form.changed_data:
            # Roles decide admin access; the service derives Django's flags and audits.
            services.user_set_role(actor=request.user, user=obj, role=obj.role)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")
    search_fields = ("user__username", "name", "prefix")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "action", "subject", "actor")
    list_filter = ("action",)
    readonly_fields = ("created_at", "action", "subject", "actor", "data")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
