"""The pages a person sees when a request fails: the project's own, in the person's language, each with a way back.

Django's own handlers would show its English pages (and, with DEBUG on, the settings); these render ours. The 500
page is drawn without the context processors, which ask the database that may be what failed."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _page(request, status: int, title: str, message: str):
    return render(request, "errors/error.html", {"status": status, "title": title, "message": message}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(
        request, 400, _("Bad request"), _("The request could not be understood. Please go back and try again.")
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, 403, _("No access"), _("You may not open this page."))


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, 404, _("Page not found"), _("This page does not exist, or you may not see it."))


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("The form has expired"),
        _(
            "The page was open too long or the login has changed, so the form was not accepted. Please open the page again and fill it in once more."
        ),
    )


@requires_csrf_token
def server_error(request):
    template = loader.get_template("errors/error.html")
    context = {
        "request": request,
        "user": _user_if_known(request),
        "status": 500,
        "title": _("Something went wrong"),
        "message": _("Something went wrong; it has been logged. Please try again later."),
    }
    return HttpResponseServerError(template.render(context))


def _user_if_known(request):
    try:
        return request.user if request.user.is_authenticated else None
    except Exception:  # the failure may be the database itself: the page then offers the login
        return None
