import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.org.models import Department, Park

from .models import Category, Rating, Result, Source
from .selectors import Flag, figure_conditions
from .services import categories_raisable_by_hand, kinds_raised_by_hand
from .workflow import ATTACHMENTS, COMMENT_LABELS, Action, Status, kind_choices, module_fields

DATE = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


def _categories():
    return categories_raisable_by_hand().select_related("department")


class CaseRaiseForm(forms.Form):
    """企业提诉求 / 工作人员登记: the enterprise sees category and text; staff also say where it came from."""

    category = forms.ModelChoiceField(queryset=None, label=_("Category"), empty_label=_("Choose a category"))
    description = forms.CharField(
        label=_("Problem description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("What is the problem, since when, what you need")}),
    )
    # visits and symposia have forms of their own
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (v, label)
            for v, label in Source.choices
            if v not in (Source.VISIT, Source.SYMPOSIUM) and kinds_raised_by_hand(v)
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        if user.role == "enterprise_contact":
            del self.fields["source"]
        else:
            self.fields["source"].initial = Source.CALL


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number, enterprise or words")}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=lambda: [("", _("All kinds")), *kind_choices()])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices])
    flag = forms.ChoiceField(
        label=_("Time"),
        required=False,
        choices=[("", _("Any")), (Flag.RED, _("Overdue")), (Flag.YELLOW, _("Due soon")), (Flag.GREEN, _("In time"))],
    )
    category = forms.ModelChoiceField(
        Category.objects.all(), label=_("Category"), required=False, empty_label=_("All categories")
    )
    department = forms.ModelChoiceField(
        Department.objects.all(), label=_("Lead department"), required=False, empty_label=_("All departments")
    )
    park = forms.ModelChoiceField(Park.objects.all(), label=_("Park"), required=False, empty_label=_("All parks"))
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All sources")), *Source.choices])
    date_from = forms.DateField(label=_("Raised from"), required=False, widget=forms.DateInput(**DATE))
    date_to = forms.DateField(label=_("Raised to"), required=False, widget=forms.DateInput(**DATE))
    figure = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(k, k) for k in figure_conditions(timezone.localdate())],
        widget=forms.HiddenInput,
    )
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.role == "park_officer":
            self.fields["park"].queryset = Park.objects.filter(pk=user.park_id)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date"))
        return data


class FiguresForm(CaseFilterForm):
    group_by = forms.ChoiceField(
        label=_("Rank by"),
        required=False,
        choices=[("department", _("Department")), ("park", _("Park")), ("category", _("Category"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("q", "status", "flag", "source"):
            del self.fields[name]


# The fields each action asks for, beyond the comment; the detail page renders one small form per action.
ACTION_FIELDS = {
    Action.ASSIGN: ["department", "assisting", "deadline_workdays"],
    Action.TRANSFER: ["department", "deadline_workdays"],
    Action.REQUEST_EXTENSION: ["days"],
    Action.DECIDE_EXTENSION: ["approve"],
    Action.REPORT_RESULT: ["result", "attachments"],
    Action.REJECT_RESULT: ["attachments"],
    Action.RATE: ["rating"],
    Action.REOPEN: ["deadline_workdays"],
    Action.MERGE: ["master"],
    Action.SUPERVISE: ["reply_workdays"],
    Action.COMMENT: ["public", "attachments"],
}


def action_fields(action) -> list[str]:
    """The engine's fields of an action, or "attachments" for a module's action that takes them (its other fields
    come with it: workflow.FIELDS)."""
    return ACTION_FIELDS.get(action) or (["attachments"] if action in ATTACHMENTS else [])


class CaseActionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Lead department"), required=False)
    assisting = forms.ModelMultipleChoiceField(
        Department.objects.all(),
        label=_("Assisting departments"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    deadline_workdays = forms.IntegerField(
        label=_("Deadline (working days)"), required=False, min_value=1, max_value=120
    )
    days = forms.IntegerField(label=_("More working days"), required=False, min_value=1, max_value=60)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        required=False,
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=Result.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=Rating.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    master = forms.CharField(label=_("Number of the case it duplicates"), required=False, max_length=20)
    reply_workdays = forms.IntegerField(
        label=_("Reply due in (working days)"), required=False, min_value=1, max_value=20, initial=3
    )
    public = forms.BooleanField(label=_("Shown to the enterprise"), required=False, initial=True)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = {"comment", "expected_version", *ACTION_FIELDS.get(action, [])}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if action == Action.TRANSFER:
            # a transfer has no default: it goes to a department other than the one holding the case
            department = self.fields["department"]
            department.required = True
            department.empty_label = _("Choose the department taking it over")
            if case is not None:
                department.queryset = department.queryset.exclude(pk=case.lead_department_id)
        for name, field in module_fields(action, case).items():  # a module's own action's fields
            self.fields[name] = copy.deepcopy(field)
        if "comment" in self.fields and action in (Action.RATE,):
            self.fields["comment"].label = _("Your comments")
        if action == Action.SUPERVISE:
            self.fields["comment"].label = _("Requirement")
        if action == Action.REPORT_RESULT:
            self.fields["comment"].label = _("What was done")
        if action in COMMENT_LABELS:
            self.fields["comment"].label = COMMENT_LABELS[action]


class SymposiumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, initial=_("Enterprise symposium"))
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(**DATE))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be later than today"))
        return value


class SymposiumProblemForm(forms.Form):
    enterprise = forms.CharField(
        label=_("Enterprise"), max_length=100, widget=forms.TextInput(attrs={"list": "enterprise-names"})
    )
    category = forms.ModelChoiceField(queryset=None, label=_("Category"), empty_label=_("Choose a category"))
    description = forms.CharField(label=_("Problem raised"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        self.enterprises = enterprises

    def clean_enterprise(self):
        name = self.cleaned_data["enterprise"].strip()
        found = self.enterprises.filter(name=name).first() or self.enterprises.filter(credit_code=name.upper()).first()
        if found is None:
            raise forms.ValidationError(_("No enterprise of yours is named “%(name)s”") % {"name": name})
        return found


SymposiumProblemFormSet = forms.formset_factory(SymposiumProblemForm, extra=3, max_num=50, validate_max=True)


class VisitCasesForm(forms.Form):
    """One category choice per problem raised in a visit; problems left without a category stay as notes."""

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        for problem in self.problems:
            self.fields[f"p{problem.pk}"] = forms.ModelChoiceField(
                queryset=_categories(),
                label=problem.description,
                required=False,
                empty_label=_("(not a case)"),
            )

    def chosen(self) -> dict:
        return {p: self.cleaned_data[f"p{p.pk}"] for p in self.problems if self.cleaned_data.get(f"p{p.pk}")}
