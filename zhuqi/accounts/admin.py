from django.contrib import admin

from .models import LoginSession


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "started_at", "ip_address"]
    search_fields = ["user__username", "user__full_name"]
    readonly_fields = ["user", "session_key", "started_at", "ip_address"]

    def has_add_permission(self, request):
        return False
