"""Device tokens in the admin: see, revoke, un-revoke never (issue a new one instead)."""
from django.contrib import admin, messages

from ..models import DeviceToken
from .tokens import revoke


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), ("competition", admin.EmptyFieldListFilter))
    search_fields = ("name",)
    readonly_fields = ("name", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_selected"]

    @admin.display(description="Competition", ordering="competition")
    def scope(self, token):
        return token.competition.name if token.competition_id else "unscoped: every competition"

    def has_add_permission(self, request):
        # A token is only useful when its secret is shown, which `manage.py devicetoken` does once.
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke_selected(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke(token)
        self.message_user(request, f"Revoked {len(tokens)} token(s).", messages.SUCCESS)
