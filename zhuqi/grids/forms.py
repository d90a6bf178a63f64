from django import forms
from django.utils.translation import gettext_lazy as _

from zhuqi.cases.models import Category

from .models import INCIDENT_KIND


class IncidentForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=None, label=_("Grid"), empty_label=None)
    category = forms.ModelChoiceField(queryset=None, label=_("Incident type"), empty_label=_("Choose a type"))
    description = forms.CharField(
        label=_("What is happening"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. east gate of 祁营村 market")}),
    )
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, widget=forms.HiddenInput
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["category"].queryset = Category.objects.filter(kind=INCIDENT_KIND, is_active=True)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("The position was only half received; try locating again"))
        return data


class PatrolEndForm(forms.Form):
    notes = forms.CharField(
        label=_("What you saw"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
