from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .context import client_ip, current_ip
from .models import AuditEvent


def _with_ip(request):
    if request is not None and current_ip.get() is None:
        current_ip.set(client_ip(request))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    _with_ip(request)
    audit_record(actor=user, event=AuditEvent.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _with_ip(request)
        audit_record(actor=user, event=AuditEvent.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    _with_ip(request)
    audit_record(
        actor=None,
        actor_username=str(credentials.get("username", ""))[:150],
        event=AuditEvent.LOGIN_FAILED,
        outcome="failure",
    )
