"""Sensor gateways' device tokens: made and revoked by the zone office or the firm's own contact (audited), and
checked on the readings endpoint. A person's session never writes readings."""

import base64
import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.org.models import Role

from .models import Gateway, MonitoringPoint
from .services import AlarmError

# a prefix naming the kind of secret (so a leaked token is recognised), not a secret
TOKEN_PREFIX = "zqgw_"  # noqa: S105  # nosec B105
LAST_USED_EVERY = datetime.timedelta(minutes=1)  # the time a token was last used, not one write per request


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mosquitto_password_hash(password: str, *, iterations: int = 101) -> str:
    """Mosquitto 2's password-file form: $7$<iterations>$<salt>$<PBKDF2-SHA512>, as mosquitto_passwd writes it
    (its default of 101 iterations: the password is a 256-bit random token, not something a person chose)."""
    salt = secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def may_manage_gateways(user, enterprise) -> bool:
    if user.role == Role.ZONE_COORDINATOR:
        return True
    return user.role == Role.ENTERPRISE_CONTACT and user.enterprise_id == enterprise.pk


@transaction.atomic
def gateway_create(*, by, enterprise, name: str) -> tuple[Gateway, str]:
    """A gateway for the firm and its token, returned this once (only its hashes are stored)."""
    if not may_manage_gateways(by, enterprise):
        raise DomainError(AlarmError.NOT_ALLOWED, _("You may not manage this enterprise's sensor gateways"))
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError(AlarmError.INVALID, _("Give the gateway a name of at most 60 characters"), field="name")
    if Gateway.objects.filter(enterprise=enterprise, name=name, revoked_at__isnull=True).exists():
        raise DomainError(AlarmError.INVALID, _("This enterprise already has a gateway of that name"), field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    gateway = Gateway.objects.create(
        enterprise=enterprise, name=name, token_hash=token_hash(token), mqtt_password_hash=mosquitto_password_hash(token),
        created_by=by,
    )  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=gateway,
                 detail=f"{enterprise.credit_code} {gateway.mqtt_username}")  # fmt: skip
    return gateway, token


@transaction.atomic
def gateway_revoke(*, by, gateway: Gateway) -> Gateway:
    gateway = Gateway.objects.select_for_update().select_related("enterprise").get(pk=gateway.pk)
    if not may_manage_gateways(by, gateway.enterprise):
        raise DomainError(AlarmError.NOT_ALLOWED, _("You may not manage this enterprise's sensor gateways"))
    if gateway.revoked_at is not None:
        raise DomainError(AlarmError.WRONG_STATUS, _("This gateway's token is already revoked"))
    gateway.revoked_at, gateway.revoked_by = timezone.now(), by
    gateway.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=gateway, changes={"revoked_at": [None, str(gateway.revoked_at)]},
                 detail=f"revoked {gateway.enterprise.credit_code} {gateway.mqtt_username}")  # fmt: skip
    return gateway


def gateway_for_token(token: str) -> Gateway | None:
    """The gateway whose token this is, unless revoked; notes when it was last used (at most once a minute)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    gateway = (
        Gateway.objects.select_related("enterprise")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if gateway is not None:
        now = timezone.now()
        if gateway.last_used_at is None or now - gateway.last_used_at > LAST_USED_EVERY:
            Gateway.objects.filter(pk=gateway.pk).update(last_used_at=now)
            gateway.last_used_at = now
    return gateway


def is_gateway(auth) -> bool:
    """Whether the API request was authenticated by a gateway's token (not a person's session)."""
    return isinstance(auth, Gateway)


def gateway_points(gateway: Gateway, codes) -> dict[str, int]:
    """The gateway's firm's active points among these codes that are linked to this gateway or to none: code -> id
    (another gateway's points are not this one's to report)."""
    points = MonitoringPoint.objects.filter(
        Q(gateway=gateway) | Q(gateway__isnull=True), enterprise=gateway.enterprise, code__in=set(codes), is_active=True
    )
    return dict(points.values_list("code", "pk"))
