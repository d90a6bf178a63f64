"""账号管理 for the system administrator, and the one-time password link (企业账号开通: enterprises.account_views)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if
from zhuqi.org.models import ADMIN_ROLES, Department, Park, Role

from . import provisioning

User = get_user_model()


def _is_system_admin(user) -> bool:
    return user.is_active and user.role == Role.SYSTEM_ADMIN


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Account"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=40)
    # administrators' roles are the security administrator's; enterprises' accounts the zone opens from the registry
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(v, label) for v, label in Role.choices if v not in (*ADMIN_ROLES, Role.ENTERPRISE_CONTACT)],
    )
    department = forms.ModelChoiceField(Department.objects.all(), label=gettext_lazy("Department"), required=False)
    park = forms.ModelChoiceField(Park.objects.all(), label=gettext_lazy("Park"), required=False)
    phone = forms.CharField(label=gettext_lazy("Mobile"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)


class MoveForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.all(), label=gettext_lazy("Department"), required=False)
    park = forms.ModelChoiceField(Park.objects.all(), label=gettext_lazy("Park"), required=False)


def _refusal(request, form, error: DomainError):
    if form is not None:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        messages.error(request, error.message)


@allowed_if(_is_system_admin)
def account_list(request):
    q = request.GET.get("q", "").strip()
    accounts = User.objects.select_related("department", "park", "enterprise").order_by("role", "username")
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page, "q": q})


@allowed_if(_is_system_admin)
def account_new(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _token = provisioning.account_open(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _refusal(request, form, error)
        else:
            messages.success(
                request, _("Account %(name)s opened; the password link has been sent") % {"name": user.username}
            )
            return redirect("account-detail", pk=user.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@allowed_if(_is_system_admin)
def account_detail(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    move = MoveForm(initial={"department": account.department_id, "park": account.park_id})
    if account.role == Role.DEPARTMENT_HANDLER:
        del move.fields["park"]
    elif account.role == Role.PARK_OFFICER:
        del move.fields["department"]
    else:
        move = None
    return render(request, "accounts/account_detail.html", {"account": account, "move": move})


@require_POST
@allowed_if(_is_system_admin)
def account_act(request, pk: int, action: str):
    account = get_object_or_404(User, pk=pk)
    try:
        if action == "disable":
            provisioning.account_close(user=account, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Account disabled; its sessions have ended"))
        elif action == "enable":
            provisioning.account_reopen(user=account, by=request.user)
            messages.success(request, _("Account enabled"))
        elif action == "reset":
            provisioning.account_password_reset(user=account, by=request.user)
            messages.success(request, _("Password reset; a link to set a new one has been sent"))
        elif action == "unlock":
            provisioning.account_unlock(user=account, by=request.user)
            messages.success(request, _("Account unlocked"))
        elif action == "move":
            form = MoveForm(request.POST)
            form.is_valid()
            provisioning.account_move(user=account, by=request.user, **form.cleaned_data)
            messages.success(request, _("Moved to %(unit)s") % {"unit": User.objects.get(pk=pk).unit_name})
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("account-detail", pk=pk)


def account_invite(request, token: str):
    """The one-time link: the person sets their own password, then logs in."""
    invite = provisioning.invite_user(token)
    if invite is None:
        return render(request, "accounts/invite_used.html", status=404)
    form = SetPasswordForm(invite.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provisioning.invite_use(invite=invite, password=form.cleaned_data["new_password1"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Password set; log in with your account %(name)s") % {"name": invite.user.username}
            )
            return redirect("login")
    return render(request, "accounts/invite.html", {"form": form, "account": invite.user})
