from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent

from . import second_factor as factor
from .second_factor import device_confirm, has_device, manual_key, pending_device, qr_svg


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own view (the old password asked again, the rules applied, this session kept and the others
    ended by the changed session hash), audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("workbench")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, event=AuditEvent.PASSWORD_CHANGE, obj=self.request.user)
        messages.success(self.request, _("Password changed."))
        return response


class CodeForm(forms.Form):
    token = forms.RegexField(label=gettext_lazy("Code"), regex=r"^\d{6}$", error_messages={"invalid": gettext_lazy("Six digits")},
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))  # fmt: skip


class DeviceForm(CodeForm):
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)
    field_order = ["password", "token"]


@login_required
def second_factor(request):
    """After the password: the code from the phone's authenticator, or setting one up when there is none."""
    if not has_device(request.user):
        return redirect("second-factor-setup")
    if request.user.is_verified():
        return redirect("workbench")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factor.code_verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("Wrong or already used code; wait for the next one"))
    return render(request, "accounts/second_factor.html", {"form": form})


@login_required
def second_factor_setup(request):
    """Set up (or replace) the authenticator: scan the code, then give the password and the first code."""
    if has_device(request.user) and not request.user.is_verified():
        return redirect("second-factor")  # replacing one needs it first
    device = pending_device(request.user)
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device_confirm(request, password=form.cleaned_data["password"], token=form.cleaned_data["token"]):
            messages.success(request, _("The authenticator is set up; from now on log in with its code too."))
            return redirect("workbench")
        form.add_error(None, _("Wrong password or code"))
    context = {"form": form, "qr": qr_svg(device), "secret": manual_key(device)}
    return render(request, "accounts/second_factor_setup.html", context)


def _next(request) -> str:
    wanted = request.GET.get("next", "")
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) else "workbench"
