"""The public pages behind the QR board: no login, CSRF on, nothing about the firm but its name."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhuqi.core import scopes
from zhuqi.core.context import client_ip
from zhuqi.core.errors import DomainError
from zhuqi.enterprises import selectors as enterprise_selectors

from . import board
from .models import BoardSubmission

SESSION_KEY = "board_submission"


class BoardDemandForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=40)
    phone = forms.CharField(
        label=gettext_lazy("Mobile"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    category = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Category"), empty_label=gettext_lazy("Choose a category")
    )
    description = forms.CharField(
        label=gettext_lazy("Problem description"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": gettext_lazy("What is the problem, since when, what you need")}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = board.board_categories()


class BoardCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the SMS"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


def _enterprise(token):
    enterprise = board.board_enterprise(token=token)
    if enterprise is None:
        raise Http404
    return enterprise


def board_demand(request, token: str):
    enterprise = _enterprise(token)
    form = BoardDemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = board.board_demand_start(
                enterprise=enterprise, address=client_ip(request), **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            request.session[SESSION_KEY] = submission.pk
            return redirect("board-confirm", token=token)
    return render(request, "cases/board_demand.html", {"firm": enterprise.name, "form": form, "token": token})


def board_confirm(request, token: str):
    enterprise = _enterprise(token)
    pk = request.session.get(SESSION_KEY)
    submission = BoardSubmission.objects.filter(pk=pk, enterprise=enterprise).first() if pk else None
    if submission is None:
        return redirect("board-demand", token=token)
    form = BoardCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = board.board_demand_confirm(submission_pk=submission.pk, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(SESSION_KEY, None)
            context = {"firm": enterprise.name, "number": case.number, "token": token}
            return render(request, "cases/board_done.html", context)
    context = {"firm": enterprise.name, "form": form, "token": token, "phone_end": submission.phone[-4:]}
    return render(request, "cases/board_confirm.html", context)


@require_POST
@login_required
def board_rotate(request, pk: int):
    enterprise = enterprise_selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    revoke = request.POST.get("revoke") == "1"
    board.board_key_rotate(enterprise=enterprise, by=request.user, revoke=revoke)
    messages.success(
        request,
        _("The QR board is withdrawn; boards printed before no longer open the form")
        if revoke
        else _("A new QR code is issued; boards printed before no longer open the form"),
    )
    return redirect("enterprise-board", pk=pk)
