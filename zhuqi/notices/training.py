"""Writes for training sessions (宣教培训): create, invite (through the outbox), sign in by the session's QR code,
the satisfaction answer, materials, and the follow-up of invited firms that did not come."""

import datetime
import re
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.attachments import attachment_store
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.sms_text import sms_fit
from zhuqi.enterprises.models import Contact, Enterprise, TimelineEntry
from zhuqi.notifications.models import Notification, OutboxMessage
from zhuqi.org.models import User

from . import selectors
from .models import (
    ANONYMISED,
    TRAINING_TIMELINE_KIND,
    Attendance,
    Invitation,
    NoticeKind,
    Satisfaction,
    TrainingSession,
)
from .services import NoticeError, unit_of


def _may_manage(by, session) -> None:
    if not selectors.can_write_notices(by) or not selectors.sessions_visible_to(by).filter(pk=session.pk).exists():
        raise DomainError(NoticeError.NOT_ALLOWED, _("Only the organising unit may do this"))


@transaction.atomic
def session_create(*, by, topic: str, starts_at: datetime.datetime, place: str = "", online_link: str = "",
                   description: str = "", organiser_name: str = "", kind: str = NoticeKind.POLICY,
                   satisfaction_question: str = "") -> TrainingSession:  # fmt: skip
    if not selectors.can_write_notices(by):
        raise DomainError(NoticeError.NOT_ALLOWED, _("Only staff organise training sessions"))
    if not topic.strip():
        raise DomainError(NoticeError.INVALID, _("Give the session a topic"), field="topic")
    if not place.strip() and not online_link.strip():
        raise DomainError(NoticeError.INVALID, _("Give a place or an online link"), field="place")
    session = TrainingSession.objects.create(
        topic=topic.strip()[:120], starts_at=starts_at, place=place.strip()[:120], online_link=online_link.strip(),
        description=description.strip(), kind=kind, created_by=by,
        organiser_name=(organiser_name.strip() or str(by.department or by.park or _("Zone office")))[:100],
        **({"satisfaction_question": satisfaction_question.strip()[:120]} if satisfaction_question.strip() else {}),
        **unit_of(by),
    )  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=session)
    return session


def _tell(session, *, firms: str, params: list, title: str, sms_text: str, now) -> None:
    """The firms `firms` selects (SQL over enterprise ids as f): an SMS to each one's first contact with a number
    (copied sealed, as notices do) and a message in its accounts' inboxes."""
    contact, outbox = Contact._meta.db_table, OutboxMessage._meta.db_table
    inbox, users = Notification._meta.db_table, User._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    url = reverse("training-detail", args=[session.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {outbox} (channel, recipient, subject, body, status, attempts, next_attempt_at,
                                      last_error, created_at)
                SELECT 'sms', c.phone, %s, %s, 'pending', 0, %s, '', %s FROM {contact} c
                WHERE c.id IN (SELECT (SELECT c2.id FROM {contact} c2 WHERE c2.enterprise_id = f.firm AND c2.phone <> ''
                                       ORDER BY c2.is_primary DESC, c2.id LIMIT 1) FROM ({firms}) f)""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:200], sms_text, at, at, *params],
        )
        cursor.execute(
            f"""INSERT INTO {inbox} (recipient_id, title, body, url, created_at)
                SELECT u.id, %s, %s, %s, %s FROM {users} u
                WHERE u.is_active = %s AND u.role = 'enterprise_contact' AND u.enterprise_id IN (SELECT f.firm FROM ({firms}) f)""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:120], session.organiser_name, url, at, True, *params],
        )  # fmt: skip

    def deliver_soon():
        from zhuqi.core.background import run_in_background
        from zhuqi.notifications.tasks import outbox_deliver

        run_in_background(outbox_deliver)

    transaction.on_commit(deliver_soon)


@transaction.atomic
def session_invite(*, session, by, enterprises) -> int:
    """Invites firms the organiser sees (again-invited firms are skipped); each is told through the outbox."""
    _may_manage(by, session)
    ids = set(scopes.enterprises_visible_to(by).filter(pk__in=[e.pk for e in enterprises]).values_list("pk", flat=True))
    ids -= set(Invitation.objects.filter(session=session).values_list("enterprise_id", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    Invitation.objects.bulk_create([Invitation(session=session, enterprise_id=pk, invited_at=now) for pk in ids])
    local = timezone.localtime(session.starts_at)
    text = sms_fit("{unit}邀请贵单位参加“{topic}”，{when}，{place}。", shrink={"unit": session.organiser_name,
                   "topic": session.topic, "place": session.place or "线上"},
                   when=f"{local.month}月{local.day}日{local:%H:%M}")  # fmt: skip
    firms = Enterprise.objects.filter(pk__in=ids).values(firm=F("pk")).order_by()
    sql, params = firms.query.sql_with_params()
    _tell(session, firms=sql, params=list(params), now=now, sms_text=text,
          title=_("Invitation: %(topic)s") % {"topic": session.topic})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=session, detail=f"invited {len(ids)} firms")
    return len(ids)


_SPACES = re.compile(r"\s+")


def _normalised(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def firm_find(name_or_code: str) -> Enterprise | None:
    """The firm a person names at sign-in: its full name (as on the licence, spaces and full-width letters aside)
    or its credit code."""
    wanted = _normalised(name_or_code)
    if len(wanted) < 4:
        return None
    return Enterprise.objects.filter(credit_code=wanted).first() or Enterprise.objects.filter(name=wanted).first() \
        or Enterprise.objects.filter(name=name_or_code.strip()).first()  # fmt: skip


def session_by_token(token: str) -> TrainingSession | None:
    return TrainingSession.objects.filter(sign_in_token=token).first() if token else None


def sign_in(*, session, firm: str, person_name: str, now: datetime.datetime | None = None) -> Attendance:
    """签到 on the person's own phone: the firm they name must be in the registry, and a person signs in once."""
    now = now or timezone.now()
    person = _SPACES.sub("", person_name or "")
    if not 2 <= len(person) <= 40 or person == ANONYMISED:
        raise DomainError(NoticeError.INVALID, _("Write your full name"), field="person_name")
    enterprise = firm_find(firm)
    if enterprise is None:
        raise DomainError(NoticeError.INVALID, _("No firm by that name is registered in the zone; write the full "
                                                 "name on the business licence or the credit code"), field="firm")  # fmt: skip
    local_day = timezone.localtime(session.starts_at).date()
    if abs((timezone.localdate(now) - local_day).days) > 1:
        raise DomainError(NoticeError.INVALID, _("Sign-in is open only around the day of the session"))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(session=session, enterprise=enterprise, person_name=person,
                                                   signed_at=now)  # fmt: skip
            TimelineEntry.objects.create(
                enterprise=enterprise, kind=TRAINING_TIMELINE_KIND, occurred_at=now,
                # no name here: the file is append-only, and the name must go when its keeping period ends
                summary=f"参加{session.organiser_name}“{session.topic}”", details={"attendance": attendance.pk},
            )  # fmt: skip
    except IntegrityError:
        raise DomainError(NoticeError.INVALID, _("%(person)s of %(firm)s has signed in already")
                          % {"person": person, "firm": enterprise.name}, field="person_name") from None  # fmt: skip
    return attendance


@transaction.atomic
def satisfaction_answer(*, attendance, answer: int) -> Attendance:
    if answer not in Satisfaction.values:
        raise DomainError(NoticeError.INVALID, _("Choose one answer"), field="satisfaction")
    Attendance.objects.filter(pk=attendance.pk).update(satisfaction=answer)
    attendance.satisfaction = answer
    return attendance


@transaction.atomic
def materials_add(*, session, by, files) -> int:
    _may_manage(by, session)
    for upload in files:
        attachment_store(owner=session, upload=upload, by=by)
    return len(files)


@transaction.atomic
def session_follow_up(*, session, by) -> int:
    """The invited firms that did not come get the materials (their inbox links to the session page, where they
    are) and an SMS; each is sent once."""
    _may_manage(by, session)
    now = timezone.now()
    absent = (
        Invitation.objects.select_for_update()
        .filter(session=session, followed_up_at__isnull=True)
        .exclude(enterprise_id__in=Attendance.objects.filter(session=session).values("enterprise_id"))
    )
    ids = list(absent.values_list("enterprise_id", flat=True))
    if not ids:
        return 0
    Invitation.objects.filter(session=session, enterprise_id__in=ids).update(followed_up_at=now)
    session.followed_up_at = now
    session.save(update_fields=["followed_up_at"])
    sql, params = Enterprise.objects.filter(pk__in=ids).values(firm=F("pk")).order_by().query.sql_with_params()
    text = sms_fit("{unit}“{topic}”的培训材料已发送，请登录助企平台查看。",
                   shrink={"unit": session.organiser_name, "topic": session.topic})  # fmt: skip
    _tell(session, firms=sql, params=list(params), now=now, sms_text=text,
          title=_("Materials: %(topic)s") % {"topic": session.topic})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=session, detail=f"followed up {len(ids)} firms")
    return len(ids)


def attendees_anonymise_expired(cutoff) -> int:
    """The names people gave at sign-in are personal data (registered with core.registry.personal_data_register):
    past the keeping period, counted from the sign-in or from the deletion of the firm named, they are replaced;
    the attendance itself stays, so the people trained are still counted."""
    expired = Attendance.objects.filter(
        Q(signed_at__lt=cutoff) | Q(enterprise__in=Enterprise.everything.filter(deleted_at__lt=cutoff))
    ).exclude(person_name=ANONYMISED)
    done = expired.update(person_name=ANONYMISED)
    if done:
        audit_record(actor=None, actor_username="系统", event=AuditEvent.ANONYMISE,
                     object_type=Attendance._meta.label_lower, detail=f"培训签到人员姓名 {done} 人超过保存期限")  # fmt: skip
    return done
