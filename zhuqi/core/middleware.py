from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .context import client_ip, current_ip


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the switch; a browser's Accept-Language does not decide,
    since offices' machines often run English-language systems."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NulCharacterRefusedMiddleware:
    """Text with a NUL character is refused at the door with a Chinese message: PostgreSQL cannot store it,
    and a query or body carrying one is never a person's input (found by the API's schema fuzzing). Django's
    forms refuse it field by field; this covers the API and every query string. File uploads are left alone."""

    TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspect = "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in [vs[0], *vs[1]])
        if not suspect and request.content_type in self.TEXT_BODIES:
            suspect = b"\x00" in request.body or b"\\u0000" in request.body
        if suspect:
            message = "请求中含有空字符（NUL），已拒绝"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "field": None}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
