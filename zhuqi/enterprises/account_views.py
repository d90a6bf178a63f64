"""企业账号开通: the zone office opens its enterprises' accounts in bulk from the registry."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhuqi.core.permissions import allowed_if
from zhuqi.org.models import Park, Role

from . import accounts


def _is_zone(user) -> bool:
    return user.is_active and user.role == Role.ZONE_COORDINATOR


@allowed_if(_is_zone)
def enterprise_accounts(request):
    """企业账号开通: the registry's enterprises that have no account yet, to open in bulk."""
    waiting = accounts.enterprises_without_account()
    park = request.GET.get("park")
    if park and park.isdigit():
        waiting = waiting.filter(park_id=int(park))
    if request.method == "POST":
        chosen = waiting.filter(pk__in=[int(v) for v in request.POST.getlist("enterprise") if v.isdigit()])
        if not chosen.exists():
            messages.error(request, _("Choose the enterprises to open accounts for"))
        else:
            result = accounts.enterprise_accounts_open(by=request.user, enterprises=chosen)
            messages.success(
                request,
                _("%(n)d accounts opened; each contact has been sent a link by SMS") % {"n": len(result.opened)},
            )
            for enterprise, reason in result.skipped:
                messages.warning(request, f"{enterprise.name}：{reason}")
            return redirect(request.get_full_path())
    page = Paginator(waiting, 100).get_page(request.GET.get("page"))
    for enterprise in page.object_list:
        enterprise.contact = next((c for c in enterprise.contacts.all() if c.phone), None)
    context = {"page": page, "parks": Park.objects.order_by("sort_order"), "park": park}
    return render(request, "accounts/enterprise_accounts.html", context)
