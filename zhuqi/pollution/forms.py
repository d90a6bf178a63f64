from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Grade, Level, SpotResult


class AlertForm(forms.Form):
    level = forms.ChoiceField(label=_("Alert level"), choices=Level.choices)
    document = forms.CharField(label=_("Issuing document"), max_length=120)
    region = forms.CharField(label=_("Region"), max_length=60, initial="平顶山市")
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip


class CheckInForm(forms.Form):
    output = forms.DecimalField(
        label=pgettext_lazy("pollution", "Output today"), min_value=0, max_digits=12, decimal_places=2
    )
    lines_stopped = forms.IntegerField(label=_("Lines stopped"), min_value=0, max_value=1000)
    lines_cut = forms.IntegerField(label=_("Lines cut back"), min_value=0, max_value=1000, required=False)
    old_trucks_used = forms.IntegerField(label=_("国四-or-older heavy trucks used"), min_value=0, max_value=100000,
                                         required=False, initial=0)  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    photo = forms.FileField(label=_("Photo of the site"), required=False)


class SpotCheckForm(forms.Form):
    result = forms.ChoiceField(label=pgettext_lazy("pollution", "Result"), choices=[(SpotResult.COMPLIANT, SpotResult.COMPLIANT.label),
                                                          (SpotResult.NON_COMPLIANT, SpotResult.NON_COMPLIANT.label)],
                               widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label=_("What was found"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Performance grade"), choices=Grade.choices)
    graded_on = forms.DateField(label=_("Graded on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    document = forms.CharField(label=_("Grading document"), max_length=120)
