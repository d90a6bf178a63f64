"""The second factor (TOTP, django-otp): setting up a phone's authenticator and verifying its code at login.
A code works once (django-otp keeps the last time step used); setting or replacing the authenticator asks for
the password again."""

import base64

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent

DEVICE_NAME = "手机令牌"


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: a new secret until it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (base32, in groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@transaction.atomic
def device_confirm(request, *, password: str, token: str) -> bool:
    """The pending authenticator becomes the account's only one when the password and its code are right."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not user.check_password(password) or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit_record(actor=user, event=AuditEvent.SECOND_FACTOR, obj=user, detail=DEVICE_NAME)
    return True


def code_verify(request, token: str) -> bool:
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    return True


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
