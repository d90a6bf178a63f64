from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user=request.user, unread_only=unread_only), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "query": request.GET.urlencode()},
    )


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_open(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("inbox")


@require_POST
@login_required
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("inbox")
