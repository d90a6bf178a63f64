"""The assessment's indicators in the system administrator's configuration: a version in effect is kept as it was
(its months were scored by it); a change is a new version from a date, made with 'save as new'."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.indicators.engine import CEL_ERRORS, IndicatorInfo, RuleBook, RuleSpec, names_in
from zhuqi.indicators.models import ValueKind

from .models import AssessmentIndicator, Scoring, Source
from .scoring import figures_over


def known_figures() -> set[str]:
    today = timezone.localdate()
    return set(figures_over(today - datetime.timedelta(days=1), today)[0])


class AssessmentIndicatorForm(forms.ModelForm):
    class Meta:
        model = AssessmentIndicator
        fields = ["code", "version", "valid_from", "name", "unit", "kind", "direction", "applies_to", "source",
                  "formula", "scoring", "params", "max_points", "order", "source_document"]  # fmt: skip

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.valid_from <= timezone.localdate():
            raise forms.ValidationError(
                _("This version is in effect and scored its months: give a new version number and the date it takes "
                  "effect, then use 'Save as new'.")
            )  # fmt: skip
        formula = (data.get("formula") or "").strip()
        if data.get("source") == Source.FORMULA:
            if not formula:
                self.add_error("formula", _("An indicator counted from the figures needs its formula"))
            else:
                self._check_formula(formula)
        self._check_params(data.get("scoring"), data.get("params") or {})
        return data

    def _check_formula(self, formula: str) -> None:
        reads = sorted({code for (_last, code), _s, _e in names_in(formula)})
        unknown = [code for code in reads if code not in known_figures()]
        if unknown:
            self.add_error("formula", _("No module counts these figures: %(names)s") % {"names": "、".join(unknown)})
            return
        try:
            RuleBook([RuleSpec(code="check", expression=formula, message="", name="check")],
                     {code: IndicatorInfo(code, code, ValueKind.DECIMAL) for code in reads})  # fmt: skip
        except CEL_ERRORS as error:
            self.add_error("formula", _("The formula cannot be read: %(error)s") % {"error": error})

    def _check_params(self, scoring: str | None, params) -> None:
        if not isinstance(params, dict):
            self.add_error("params", _('The scoring parameters are an object, e.g. {"per": 2}'))
            return
        try:
            if scoring == Scoring.BANDS:
                bands = params.get("bands")
                if not bands or not all(len(b) == 2 for b in bands):
                    raise ValueError
                [(Decimal(str(bound)), Decimal(str(points))) for bound, points in bands]
            elif scoring == Scoring.DEDUCTION:
                Decimal(str(params.get("per", 1)))
        except (TypeError, ValueError, InvalidOperation):
            self.add_error("params", _('Bands are {"bands": [[bound, points], ...]}; a deduction is {"per": points}'))


@admin.register(AssessmentIndicator)
class AssessmentIndicatorAdmin(admin.ModelAdmin):
    form = AssessmentIndicatorForm
    save_as = True
    list_display = ["code", "version", "valid_from", "name", "unit", "scoring", "max_points", "source_document"]
    list_filter = ["kind", "source", "scoring", "applies_to"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False
