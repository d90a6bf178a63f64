"""The catalogue's texts (summary, full text, attachment, contacts, materials) kept in the admin; conditions and
amounts change only by a new version (services.policy_revise), so versions are shown, not edited."""

from django.contrib import admin

from .models import Policy, PolicyVersion


class VersionInline(admin.TabularInline):
    model = PolicyVersion
    fields = ["number", "valid_from", "valid_to", "conditions", "exclusions", "benefit", "benefit_text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "mode", "issuer", "doc_number", "valid_from", "valid_to"]
    list_filter = ["category", "mode", "level"]
    search_fields = ["title", "doc_number", "issuer"]
    inlines = [VersionInline]
