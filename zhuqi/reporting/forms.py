from django import forms
from django.utils.translation import gettext_lazy as _

from zhuqi.enterprises.models import Scale, Tag
from zhuqi.org.models import Park

from .models import FormVersion


class CampaignForm(forms.Form):
    version = forms.ModelChoiceField(FormVersion.objects.select_related("form"), label=_("Form version"))
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("For a yearly form: 2024"))
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    parks = forms.ModelMultipleChoiceField(Park.objects.all(), label=_("Parks"), required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    tags = forms.ModelMultipleChoiceField(Tag.objects.all(), label=_("Tags"), required=False,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    scale = forms.ChoiceField(label=_("Scale"), choices=[("", _("Any"))] + Scale.choices, required=False)
    high_tech = forms.BooleanField(label=_("High-tech enterprises only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif not isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-control"
            else:
                widget.attrs["class"] = "form-check-input"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("The form's Excel sheet"))
