from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StageKind


class StageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Stage"), choices=StageKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    number = forms.CharField(
        label=_("Certificate or register number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    granted_on = forms.DateField(label=_("Granted or entered on"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
                                 error_messages={"required": _("Give the date"), "invalid": _("Give a valid date")})  # fmt: skip
    plan = forms.CharField(
        label=_("Service plan"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    target_year = forms.IntegerField(label=_("Recognition expected in"), required=False, min_value=2000,
                                     max_value=2100, widget=forms.NumberInput(attrs={"class": "form-control"}))  # fmt: skip
