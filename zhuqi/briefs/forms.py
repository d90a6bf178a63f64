import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BriefKind


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BriefKind.choices)
    unit = forms.ChoiceField(label=_("Unit"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    subject = forms.TypedChoiceField(label=_("Campaign or alert"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units, kinds, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["kind"].choices = [(k["value"], k["label"]) for k in kinds if k["available"]]
        self.fields["unit"].choices = units
        self.fields["start"].initial = today - datetime.timedelta(days=6)
        self.fields["end"].initial = today
        self.fields["subject"].choices = [("", "—")] + [(s["id"], s["label"]) for s in subjects]
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-select" if name in ("kind", "unit", "subject") else "form-control"


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    subtitle = forms.CharField(label=_("Issue line"), max_length=120, required=False)
    seen_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "subtitle"):
            self.fields[name].widget.attrs["class"] = "form-control"
