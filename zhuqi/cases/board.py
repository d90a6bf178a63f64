"""扫码反映: the public form behind each enterprise's printed QR board.

The board's link carries the enterprise and a random key, signed with the site's secret; a new key (rotate) or
no key (revoke) stops every board printed before. An employee gives name, phone and the demand; the phone is
confirmed by a six-digit SMS code (kept only as a keyed hash, good for 10 minutes and 5 tries), and codes are
limited per phone and per address. Once confirmed, the demand is raised as a case of the firm through the case
engine, by the board's own account (it has no password and cannot log in)."""

import datetime
import hmac
import secrets
from enum import Enum

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.crypto import blind_index
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.sms_text import firm_short, sms_fit
from zhuqi.notifications.outbox import outbox_write
from zhuqi.org.models import Role, User

from .models import BoardKey, BoardSubmission, Category, Kind, Source
from .services import case_raise

BOARD_USERNAME = "qr.board"
CODE_MINUTES = 10
CODE_TRIES = 5
PER_PHONE_PER_HOUR = 3
PER_ADDRESS_PER_HOUR = 10
_SIGNER = signing.Signer(salt="zhuqi.cases.board")


class BoardError(Enum):
    CLOSED = "closed"
    INVALID = "invalid"
    TOO_MANY = "too_many"
    CODE = "code"


def board_token(*, enterprise, by=None) -> str:
    """The token printed on the enterprise's board; a key is made the first time."""
    board, _created = BoardKey.objects.get_or_create(
        enterprise=enterprise, defaults={"key": secrets.token_urlsafe(24), "issued_by": by}
    )
    if not board.key:
        raise DomainError(BoardError.CLOSED, _("This enterprise's QR board has been withdrawn"))
    return _SIGNER.sign(f"{enterprise.pk}.{board.key}")


@transaction.atomic
def board_key_rotate(*, enterprise, by, revoke: bool = False) -> BoardKey:
    """A new key (every board printed before stops working) or, to revoke, none (the public form closes)."""
    board, _created = BoardKey.objects.select_for_update().get_or_create(enterprise=enterprise)
    board.key = "" if revoke else secrets.token_urlsafe(24)
    board.issued_at, board.issued_by = timezone.now(), by
    board.save()
    audit_record(
        actor=by, event=AuditEvent.UPDATE, obj=enterprise,
        detail="QR board revoked" if revoke else "QR board key rotated",
    )  # fmt: skip
    return board


def board_enterprise(*, token: str):
    """The enterprise a board's token opens, or None (tampered, rotated, revoked, deleted)."""
    try:
        enterprise_pk, key = _SIGNER.unsign(token).split(".", 1)
    except (signing.BadSignature, ValueError):
        return None
    board = (
        BoardKey.objects.filter(enterprise_id=enterprise_pk, enterprise__deleted_at__isnull=True)
        .select_related("enterprise").first()
    )  # fmt: skip
    if board is None or not board.key or not hmac.compare_digest(board.key, key):
        return None
    return board.enterprise


def board_categories():
    return Category.objects.filter(is_active=True, kind=Kind.DEMAND)


def _code_hash(submission_nonce: str, code: str) -> str:
    return salted_hmac("zhuqi.cases.board.code", f"{submission_nonce}:{code}", algorithm="sha256").hexdigest()


def _valid_phone(phone: str) -> str:
    phone = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(phone) != 11 or not phone.startswith("1"):
        raise DomainError(BoardError.INVALID, _("Enter an 11-digit mobile number"), field="phone")
    return phone


@transaction.atomic
def board_demand_start(
    *, enterprise, name: str, phone: str, category: Category, description: str, address: str | None,
    now: datetime.datetime | None = None,
) -> BoardSubmission:  # fmt: skip
    """Keeps the demand and sends the confirmation code by SMS, within the limits per phone and per address."""
    now = now or timezone.now()
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise DomainError(BoardError.INVALID, _("Give your name"), field="name")
    phone = _valid_phone(phone)
    if not description:
        raise DomainError(BoardError.INVALID, _("Describe the problem"), field="description")
    if len(description) > 2000:
        raise DomainError(BoardError.INVALID, _("Keep the description under 2,000 characters"), field="description")
    if not board_categories().filter(pk=category.pk).exists():
        raise DomainError(BoardError.INVALID, _("Choose a category"), field="category")
    hour_ago = now - datetime.timedelta(hours=1)
    recent = BoardSubmission.objects.filter(created_at__gte=hour_ago)
    if recent.filter(phone_hash=blind_index(phone)).count() >= PER_PHONE_PER_HOUR:
        raise DomainError(
            BoardError.TOO_MANY, _("Too many codes sent to this number: please try again in an hour"), field="phone"
        )
    if address and recent.filter(address=address).count() >= PER_ADDRESS_PER_HOUR:
        raise DomainError(BoardError.TOO_MANY, _("Too many submissions from this network: please try again in an hour"))
    code = f"{secrets.randbelow(10**6):06d}"
    nonce = secrets.token_hex(8)
    submission = BoardSubmission.objects.create(
        enterprise=enterprise, category=category, name=name[:40], phone=phone, description=description,
        address=address, code_hash=f"{nonce}${_code_hash(nonce, code)}",
        code_expires_at=now + datetime.timedelta(minutes=CODE_MINUTES), created_at=now,
    )  # fmt: skip
    outbox_write(
        phones=[phone],
        subject="扫码反映验证码",
        sms_text=sms_fit(
            "验证码{code}，{minutes}分钟内有效，用于向{firm}所在园区反映问题。如非本人操作请忽略",
            shrink={"firm": firm_short(enterprise.name)}, code=code, minutes=CODE_MINUTES,
        ),
    )  # fmt: skip
    return submission


def board_account() -> User:
    """The reporter of the board's cases: like the platform's monitoring account it has no password, so nobody
    logs in to it and the idle-account sweep leaves it alone."""
    user, created = User.objects.get_or_create(
        username=BOARD_USERNAME, defaults={"full_name": "扫码反映", "role": Role.ZONE_COORDINATOR}
    )
    if created:
        user.password = make_password(None)
        user.save(update_fields=["password"])
    return user


def board_demand_confirm(*, submission_pk: int, code: str, now: datetime.datetime | None = None):
    """The code checked (at most CODE_TRIES times, within CODE_MINUTES); a right one raises the case."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = (
            BoardSubmission.objects.select_for_update().select_related("enterprise", "category").get(pk=submission_pk)
        )
        if submission.case_id:
            return submission.case
        if submission.code_expires_at < now:
            raise DomainError(BoardError.CODE, _("The code has expired: please send the form again"), field="code")
        if submission.tries >= CODE_TRIES:
            raise DomainError(BoardError.CODE, _("Too many wrong codes: please send the form again"), field="code")
        nonce, expected = submission.code_hash.split("$", 1)
        if not hmac.compare_digest(expected, _code_hash(nonce, (code or "").strip())):
            submission.tries += 1
            submission.save(update_fields=["tries"])
            left = CODE_TRIES - submission.tries
            message = (
                _("Wrong code: %(n)d tries left") % {"n": left}
                if left
                else _("Too many wrong codes: please send the form again")
            )
            wrong = DomainError(BoardError.CODE, message, field="code")
        else:
            wrong = None
    if wrong:
        raise wrong
    with transaction.atomic():
        submission = BoardSubmission.objects.select_for_update().get(pk=submission_pk)
        if submission.case_id:
            return submission.case
        case = case_raise(
            by=board_account(),
            enterprise=submission.enterprise,
            category=submission.category,
            source=Source.QR_BOARD,
            description=f"{submission.description}\n\n（扫码反映人：{submission.name}，{submission.phone}）",
        )
        submission.case = case
        submission.save(update_fields=["case"])
    return case


def board_link(token: str) -> str:
    from django.urls import reverse

    return f"{settings.ZHUQI_SITE_URL}{reverse('board-demand', args=[token])}"
