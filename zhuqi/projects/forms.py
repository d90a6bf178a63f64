from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import LeadStatus


class AdvanceForm(forms.Form):
    reached_on = forms.DateField(label=_("Reached on"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
                                 error_messages={"required": _("Give the date"), "invalid": _("Give a valid date")})  # fmt: skip
    evidence = forms.CharField(
        label=pgettext_lazy("project", "Evidence"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), required=False
    )


class LeadMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=LeadStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
