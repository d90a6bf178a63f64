from django import forms
from django.utils.translation import gettext_lazy as _


class ObjectionForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Item objected to"), required=False)
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", _("The whole score"))] + list(items)

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        name = evidence.name.lower()
        if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(_("Attach a PDF, JPG or PNG file"))
        if evidence.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB"))
        return evidence


class DecisionForm(forms.Form):
    upheld = forms.ChoiceField(label=_("Decision"), choices=[("no", _("Reject")), ("yes", _("Uphold"))])
    reason = forms.CharField(label=_("Reason"), max_length=300)
    corrected_value = forms.CharField(label=_("Corrected value of the item"), required=False, max_length=30)
