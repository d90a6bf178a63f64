from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import needs_second_factor, password_expired
from .signals import SESSION_STARTED


def _away(request, url: str):
    if getattr(request, "htmx", False):  # htmx swaps fragments: the page itself must go
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


class SessionLifetimeMiddleware:
    """Idle sessions end by their cookie age (ZHUQI_SESSION_IDLE_MINUTES, renewed by every request); this ends
    any session once it is ZHUQI_SESSION_MAX_HOURS old, however busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = timezone.now().timestamp()
            elif timezone.now().timestamp() - started > settings.ZHUQI_SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, _("Your session has ended after %(hours)d hours; please log in again.")
                              % {"hours": settings.ZHUQI_SESSION_MAX_HOURS})  # fmt: skip
                return _away(request, reverse("login"))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A staff member whose password has expired may only change it (or log out) until it is changed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request):
        if self.open_paths is None:
            self.open_paths = (reverse("password-change"), reverse("logout"), "/static/", "/i18n/")
        if password_expired(request.user) and not request.path.startswith(self.open_paths):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Your password has expired; change it before going on.")}, status=403)
            messages.warning(
                request,
                _("Your password is more than %(days)d days old; change it before going on.")
                % {"days": settings.ZHUQI_PASSWORD_MAX_AGE_DAYS},
            )
            return _away(request, reverse("password-change"))
        return self.get_response(request)


class SecondFactorMiddleware:
    """The administrators (and anyone with the admin's rights) get no further than the second-factor pages
    until their TOTP code is verified for this session."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request):
        if self.open_paths is None:
            self.open_paths = ("/account/second-factor/", reverse("logout"), "/static/", "/i18n/")
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not request.path.startswith(self.open_paths):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Verify the code of your authenticator first.")}, status=403)
            return _away(request, reverse("second-factor"))
        return self.get_response(request)
