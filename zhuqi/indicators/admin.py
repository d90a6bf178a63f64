from django import forms
from django.contrib import admin

from .models import Indicator, IndicatorValue, Obtained, Rule, RuleSet


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "value_kind", "unit", "period_kind", "obtained", "formula", "definition", "choices"]

    def clean(self):
        data = super().clean()
        if data.get("obtained") == Obtained.COMPUTED and data.get("code"):
            from .computed import formula_check

            _reads, problems = formula_check(code=data["code"], formula=data.get("formula") or "",
                                             value_kind=data.get("value_kind") or "")  # fmt: skip
            if problems:
                self.add_error("formula", "；".join(problems))
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ["code", "name", "value_kind", "unit", "period_kind", "obtained"]
    list_filter = ["value_kind", "period_kind", "obtained"]
    search_fields = ["code", "name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "indicator", "period", "number", "text", "version", "is_current", "origin",
                    "recorded_by", "recorded_at"]  # fmt: skip
    list_filter = ["is_current", "origin", "period"]
    search_fields = ["enterprise__name", "indicator__code"]
    list_select_related = ["enterprise", "indicator", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False  # values change through a correction, which keeps the old version

    def has_add_permission(self, request):
        return False


class RuleInline(admin.TabularInline):
    model = Rule
    fields = ["code", "name", "severity", "status", "valid_from", "valid_to", "source_document"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "frozen_at"]
    readonly_fields = ["frozen_at"]
    inlines = [RuleInline]
