from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from zhuqi.core.audit import audit_record
from zhuqi.core.context import client_ip
from zhuqi.core.models import AuditEvent

from .models import LoginSession
from .services import session_opened, sessions_end

SESSION_STARTED = "zhuqi_session_started"


@receiver(user_logged_in)
def _opened(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_STARTED] = timezone.now().timestamp()
    request.session.save()  # the key is final now: login() has cycled it
    session_opened(user, request.session.session_key, client_ip(request))


@receiver(user_logged_out)
def _closed(sender, request, user, **kwargs):
    if user is not None:
        sessions_end(user)


@receiver(post_save, sender=get_user_model())
def _disabled(sender, instance, created, update_fields=None, **kwargs):
    if not created and not instance.is_active and LoginSession.objects.filter(user=instance).exists():
        sessions_end(instance)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        actor=None, actor_username=str(username or "")[:150], event=AuditEvent.LOCKOUT, outcome="failure",
        detail=f"连续登录失败，已锁定（地址 {ip_address}）",
    )  # fmt: skip
