from django import forms
from django.utils.translation import gettext_lazy as _

from zhuqi.core import scopes
from zhuqi.enterprises.models import EnvironmentalGrade, Industry, Scale, Tag
from zhuqi.org.models import Grid, Park

from .models import Audience, NoticeKind, Requirement, Satisfaction, WarningLevel
from .selectors import audiences_for
from .training import firm_find

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MOMENT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of notice"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    issuer_name = forms.CharField(label=_("Issuing unit"), max_length=100, required=False)
    doc_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    requirement = forms.ChoiceField(label=_("Firms must"), choices=Requirement.choices, widget=forms.RadioSelect,
                                    initial=Requirement.READ)  # fmt: skip
    due_on = forms.DateField(label=_("Confirm by"), required=False, widget=DATE)
    due_workdays = forms.IntegerField(label=_("Or within working days"), required=False, min_value=1, max_value=60,
                                      help_text=_("Counted from today by the official calendar: weekends and "
                                                  "holidays are skipped"))  # fmt: skip
    confirm_prompt = forms.CharField(label=_("What the firm reports"), max_length=200, required=False,
                                     help_text=_("e.g. the measures taken and who is on duty"))  # fmt: skip
    level = forms.ChoiceField(label=_("Warning level"), choices=[("", "—"), *WarningLevel.choices], required=False)
    event = forms.CharField(label=_("Warning event"), max_length=60, required=False)
    area = forms.CharField(label=_("Area"), max_length=200, required=False)
    source_name = forms.CharField(label=_("Issuing agency"), max_length=100, required=False)
    expires_at = forms.DateTimeField(label=_("Valid until"), required=False, widget=MOMENT)
    measures = forms.CharField(label=_("Measures asked of the firms"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    audience = forms.ModelChoiceField(label=_("A saved audience"), queryset=Audience.objects.none(), required=False,
                                      empty_label=_("— none: choose the criteria below —"),
                                      help_text=_("Its criteria are used as saved; leave the criteria below empty"))  # fmt: skip
    parks = forms.ModelMultipleChoiceField(label=_("Parks"), queryset=Park.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.all(), required=False,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    scales = forms.MultipleChoiceField(label=_("Scale"), choices=Scale.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    industries = forms.MultipleChoiceField(label=_("Industry"), choices=Industry.choices, required=False)
    grades = forms.MultipleChoiceField(label=_("Environmental grade"), choices=EnvironmentalGrade.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    grids = forms.ModelMultipleChoiceField(label=_("Grids"), queryset=Grid.objects.none(), required=False)
    firms = forms.CharField(label=_("Firms chosen by hand"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One firm a line: its full name or credit code"))  # fmt: skip
    audience_name = forms.CharField(label=_("Save this audience as"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():  # each box and button with Bootstrap's look (the shared include lists them)
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.widget.attrs.setdefault("class", "form-check-input")
        firms = scopes.enterprises_visible_to(user)
        self.fields["audience"].queryset = audiences_for(user)
        if not self.fields["audience"].queryset.exists():
            del self.fields["audience"]
        self.fields["parks"].queryset = Park.objects.filter(pk__in=firms.values("park_id"))
        self.fields["grids"].queryset = Grid.objects.filter(pk__in=firms.values("grid_id")).order_by("code")

    def clean_firms(self):
        found, unknown = [], []
        visible = scopes.enterprises_visible_to(self.user)
        for line in self.cleaned_data["firms"].splitlines():
            if not line.strip():
                continue
            firm = firm_find(line)
            if firm is None or not visible.filter(pk=firm.pk).exists():
                unknown.append(line.strip())
            else:
                found.append(firm.pk)
        if unknown:
            raise forms.ValidationError(_("Not found among your firms: %(names)s") % {"names": "、".join(unknown)})
        return found

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {
            "parks": [p.pk for p in data["parks"]], "grids": [g.pk for g in data["grids"]],
            "tags": [t.pk for t in data["tags"]], "scales": data["scales"], "industries": data["industries"],
            "grades": data["grades"], "enterprises": data["firms"],
        }  # fmt: skip


class ConfirmForm(forms.Form):
    text = forms.CharField(label=_("What your firm did"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CorrectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    due_on = forms.DateField(label=_("Confirm by"), required=False, widget=DATE)
    reason = forms.CharField(label=_("What was corrected"), max_length=200)


class WarningImportForm(forms.Form):
    file = forms.FileField(label=_("Warning file (CAP 1.2 XML, GB/T 35965.1)"))
    measures = forms.CharField(label=_("Measures asked of the firms"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of notice"), choices=NoticeKind.choices, initial=NoticeKind.POLICY)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=MOMENT)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    organiser_name = forms.CharField(label=_("Organiser"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    firms = forms.CharField(label=_("Firms to invite"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One firm a line: its full name or credit code"))  # fmt: skip
    parks = forms.ModelMultipleChoiceField(label=_("Or every firm of"), queryset=Park.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    scales = forms.MultipleChoiceField(label=_("Scale"), choices=Scale.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["firms"].required = False
        self.fields["parks"].queryset = Park.objects.filter(
            pk__in=scopes.enterprises_visible_to(user).values("park_id")
        )

    def clean(self):
        data = super().clean()
        visible = scopes.enterprises_visible_to(self.user)
        chosen, unknown = set(), []
        for line in (data.get("firms") or "").splitlines():
            if line.strip():
                firm = firm_find(line)
                if firm is None or not visible.filter(pk=firm.pk).exists():
                    unknown.append(line.strip())
                else:
                    chosen.add(firm.pk)
        if unknown:
            self.add_error("firms", _("Not found among your firms: %(names)s") % {"names": "、".join(unknown)})
        if data.get("parks"):
            by_park = visible.filter(park__in=data["parks"])
            if data.get("scales"):
                by_park = by_park.filter(scale__in=data["scales"])
            chosen |= set(by_park.values_list("pk", flat=True))
        if not chosen and not unknown:
            raise forms.ValidationError(_("Choose the firms to invite"))
        data["enterprises"] = list(visible.filter(pk__in=chosen))
        return data


class SignInForm(forms.Form):
    firm = forms.CharField(label=_("Your firm (full name or credit code)"), max_length=100)
    person_name = forms.CharField(label=_("Your name"), max_length=40)


class SatisfactionForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label="", choices=Satisfaction.choices, coerce=int,
                                          widget=forms.RadioSelect)  # fmt: skip
