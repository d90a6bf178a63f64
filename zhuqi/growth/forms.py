from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StageKind


class StageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Stage"), choices=StageKind.choices)
    number = forms.CharField(label=_("Certificate or register number"), max_length=60, required=False)
    granted_on = forms.DateField(label=_("Granted or entered on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 error_messages={"required": _("Give the date"), "invalid": _("Give a valid date")})  # fmt: skip
    plan = forms.CharField(label=_("Service plan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    target_year = forms.IntegerField(label=_("Recognition expected in"), required=False, min_value=2000,
                                     max_value=2100)  # fmt: skip
