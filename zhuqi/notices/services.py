"""Writes for notices: write, send (the audience resolved once and frozen as receipts), open, confirm, withdraw,
correct, and the reminder and escalation job. Each is one transaction with its audit record.

Sending to thousands of firms is a handful of INSERT … SELECT statements (receipts, the SMS rows of the outbox,
the firms' inboxes, their files' timeline), so no row passes through Python."""

import datetime
from enum import Enum

from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.attachments import attachment_store
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.roles import Role
from zhuqi.core.sms_text import short_date, sms_fit
from zhuqi.core.workdays import add_workdays, workday_on_or_before
from zhuqi.enterprises.models import Contact, TimelineEntry
from zhuqi.notifications.models import Notification, OutboxMessage
from zhuqi.notifications.services import notify
from zhuqi.org.models import User

from . import selectors
from .models import (
    NOTICE_TIMELINE_KIND,
    Audience,
    Notice,
    NoticeKind,
    NoticeStatus,
    Receipt,
    Requirement,
)


class NoticeError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    NOT_DRAFT = "not_draft"
    NO_FIRMS = "no_firms"
    NOT_SENT = "not_sent"


def unit_of(user) -> dict:
    """The unit a member of staff writes for: their department or park (the zone office: neither)."""
    if user.role == Role.DEPARTMENT_HANDLER:
        return {"department_id": user.department_id, "park_id": None}
    if user.role == Role.PARK_OFFICER:
        return {"department_id": None, "park_id": user.park_id}
    return {"department_id": None, "park_id": None}


def _may_manage(by, notice) -> None:
    if not selectors.can_write_notices(by) or not selectors.notices_visible_to(by).filter(pk=notice.pk).exists():
        raise DomainError(NoticeError.NOT_ALLOWED, _("Only the issuing unit may do this"))


def criteria_clean(criteria: dict) -> dict:
    """Keeps the known criteria, each a sorted list of ids or codes; refuses anything else."""
    cleaned = {}
    for name in selectors.CRITERIA:
        values = criteria.get(name) or []
        if not isinstance(values, list | tuple):
            raise DomainError(NoticeError.INVALID, _("The audience is not understood"), field=name)
        if name in ("parks", "grids", "tags", "enterprises"):
            try:
                values = sorted({int(v) for v in values})
            except (TypeError, ValueError):
                raise DomainError(NoticeError.INVALID, _("The audience is not understood"), field=name) from None
        else:
            values = sorted({str(v) for v in values})
        if values:
            cleaned[name] = values
    return cleaned


def _due_date(requirement: str, due_on: datetime.date | None, due_workdays: int | None) -> datetime.date | None:
    """The date to confirm by: given as a date, or as working days from today (holidays and 调休 counted by the
    official calendar and the administrator's overrides)."""
    if requirement != Requirement.CONFIRM:
        return None
    if due_workdays is not None:
        if not 1 <= due_workdays <= 60:
            raise DomainError(NoticeError.INVALID, _("Give between 1 and 60 working days"), field="due_workdays")
        due_on = add_workdays(timezone.localdate(), due_workdays)
    if due_on is None:
        raise DomainError(NoticeError.INVALID, _("Say by when the firms confirm"), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(NoticeError.INVALID, _("The date to confirm by has passed"), field="due_on")
    return due_on


def _audience_criteria(by, criteria: dict | None, audience: Audience | None) -> tuple[dict, Audience | None]:
    """The criteria a notice goes out by: a saved audience's (one of the sender's unit), or those given."""
    criteria = criteria_clean(criteria or {})
    if audience is None:
        return criteria, None
    if not selectors.audiences_for(by).filter(pk=audience.pk).exists():
        raise DomainError(NoticeError.NOT_ALLOWED, _("Choose one of your unit's saved audiences"), field="audience")
    if criteria:
        raise DomainError(NoticeError.INVALID, _("Choose a saved audience or set the criteria, not both"),
                          field="audience")  # fmt: skip
    return criteria_clean(audience.criteria), audience


@transaction.atomic
def notice_create(*, by, title: str, body: str, kind: str = NoticeKind.WORK_TIP, issuer_name: str = "",
                  doc_number: str = "", requirement: str = Requirement.READ, due_on: datetime.date | None = None,
                  confirm_prompt: str = "", criteria: dict | None = None, audience_name: str = "", files=(),
                  audience: Audience | None = None, due_workdays: int | None = None, **warning) -> Notice:  # fmt: skip
    """A draft; `audience` is a saved audience (its criteria are the notice's); `due_workdays` sets the date to
    confirm by that many working days from today; `warning` takes a forwarded warning's level, event, area,
    source_name, effective_at, expires_at, identifier and measures."""
    if not selectors.can_write_notices(by):
        raise DomainError(NoticeError.NOT_ALLOWED, _("Only staff write notices"))
    title, body = title.strip(), body.strip()
    if not title:
        raise DomainError(NoticeError.INVALID, _("Give the notice a title"), field="title")
    if not body:
        raise DomainError(NoticeError.INVALID, _("Write the text of the notice"), field="body")
    if kind not in NoticeKind.values or requirement not in Requirement.values:
        raise DomainError(NoticeError.INVALID, _("Choose a kind of notice"), field="kind")
    due_on = _due_date(requirement, due_on, due_workdays)
    criteria, audience = _audience_criteria(by, criteria, audience)
    unit = unit_of(by)
    if not issuer_name:
        issuer_name = str(by.department or by.park or _("Zone office"))
    if audience is None and audience_name.strip():
        audience = Audience.objects.create(name=audience_name.strip()[:60], criteria=criteria, created_by=by, **unit)
    known = {"level", "event", "area", "source_name", "effective_at", "expires_at", "identifier", "measures"}
    notice = Notice.objects.create(
        kind=kind, title=title[:120], body=body, issuer_name=issuer_name[:100], doc_number=doc_number.strip()[:60],
        requirement=requirement, due_on=due_on, confirm_prompt=confirm_prompt.strip()[:200], criteria=criteria,
        audience=audience, created_by=by, **unit, **{k: v for k, v in warning.items() if k in known and v},
    )  # fmt: skip
    for upload in files:
        attachment_store(owner=notice, upload=upload, by=by)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=notice)
    return notice


def _sql(query) -> tuple[str, list]:
    sql, params = query.query.sql_with_params()
    return sql, list(params)


def _at(moment: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def _json_object(*pairs: str) -> str:
    function = "json_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{function}({', '.join(pairs)})"


def _tell_firms(notice, *, receipts: str, params: list, title: str, sms_text: str, timeline: str = "",
                now: datetime.datetime) -> None:  # fmt: skip
    """Each firm behind the receipts that `receipts` selects (SQL over the receipts table as r): an SMS to its
    primary contact through the outbox, a message in its accounts' inboxes and, given `timeline`, an entry in its
    file. The contact's number is copied as it is stored: sealed under a named key (core.crypto), it opens the
    same in the outbox, and the numbers never pass through Python."""
    receipt, contact, outbox = Receipt._meta.db_table, Contact._meta.db_table, OutboxMessage._meta.db_table
    inbox, users, entries = Notification._meta.db_table, User._meta.db_table, TimelineEntry._meta.db_table
    at, url = _at(now), reverse("notice-detail", args=[notice.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {outbox} (channel, recipient, subject, body, status, attempts, next_attempt_at,
                                      last_error, created_at)
                SELECT 'sms', c.phone, %s, %s, 'pending', 0, %s, '', %s FROM {contact} c
                WHERE c.id IN (SELECT (SELECT c2.id FROM {contact} c2
                                       WHERE c2.enterprise_id = r.enterprise_id AND c2.phone <> ''
                                       ORDER BY c2.is_primary DESC, c2.id LIMIT 1)
                               FROM {receipt} r WHERE {receipts})""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:200], sms_text, at, at, *params],
        )
        cursor.execute(
            f"""INSERT INTO {inbox} (recipient_id, title, body, url, created_at)
                SELECT u.id, %s, %s, %s, %s FROM {users} u JOIN {receipt} r ON r.enterprise_id = u.enterprise_id
                WHERE u.is_active = %s AND u.role = %s AND {receipts}""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:120], notice.issuer_name, url, at, True, Role.ENTERPRISE_CONTACT, *params],
        )
        if timeline:
            details = _json_object("'receipt'", "r.id", "'notice'", "r.notice_id")
            cursor.execute(
                f"""INSERT INTO {entries} (enterprise_id, occurred_at, kind, actor_id, summary, details)
                    SELECT r.enterprise_id, %s, %s, %s, %s, {details} FROM {receipt} r WHERE {receipts}""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
                [at, NOTICE_TIMELINE_KIND, notice.sent_by_id, timeline[:300], *params],
            )

    def deliver_soon():
        from zhuqi.core.background import run_in_background
        from zhuqi.notifications.tasks import outbox_deliver

        run_in_background(outbox_deliver)

    transaction.on_commit(deliver_soon)


def _sms_for(notice, pattern: str, **fixed) -> str:
    return sms_fit(pattern, shrink={"title": notice.title, "unit": notice.issuer_name}, **fixed)


def _sent_text(notice) -> str:
    if notice.requirement == Requirement.CONFIRM:
        return _sms_for(notice, "{unit}{kind}《{title}》，请于{due}前登录助企平台反馈落实情况。",
                        kind=notice.get_kind_display(), due=short_date(notice.due_on))  # fmt: skip
    return _sms_for(notice, "{unit}{kind}《{title}》，请登录助企平台查阅。", kind=notice.get_kind_display())


def _corrected_text(notice) -> str:
    """One SMS for a correction: which notice was corrected and how (never "withdrawn" and "sent" apart)."""
    old = notice.correction_of
    shrink = {"unit": notice.issuer_name, "title": old.title, "reason": old.withdrawn_reason}
    if notice.requirement == Requirement.CONFIRM:
        return sms_fit("{unit}《{title}》已更正：{reason}。请于{due}前登录助企平台反馈。", shrink=shrink,
                       due=short_date(notice.due_on))  # fmt: skip
    return sms_fit("{unit}《{title}》已更正：{reason}。请登录助企平台查阅。", shrink=shrink)


def notice_send(*, notice, by, now: datetime.datetime | None = None) -> Notice:
    """Resolves the audience once and keeps who it reached: one receipt per firm, each firm told by SMS and in its
    inbox, the notice on each firm's file. Sending twice is refused (the row is locked first)."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        _may_manage(by, notice)
        if notice.status != NoticeStatus.DRAFT:
            raise DomainError(NoticeError.NOT_DRAFT, _("This notice has been sent already"))
        if notice.requirement == Requirement.CONFIRM and notice.due_on < timezone.localdate(now):
            raise DomainError(NoticeError.INVALID, _("The date to confirm by has passed"), field="due_on")
        firms = selectors.audience_resolve(by=by, criteria=notice.criteria)
        if notice.correction_of_id:  # a correction reaches exactly those who got the notice it corrects
            firms = firms.model.objects.filter(
                pk__in=Receipt.objects.filter(notice_id=notice.correction_of_id).values("enterprise_id")
            ).order_by()
        elif not notice.criteria:
            raise DomainError(NoticeError.NO_FIRMS, _("Choose who receives the notice"), field="criteria")
        sql, params = _sql(firms.values(firm=F("pk")))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {Receipt._meta.db_table} (notice_id, enterprise_id, delivered_at, confirmation)
                    SELECT %s, f.firm, %s, '' FROM ({sql}) f""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
                [notice.pk, _at(now), *params],
            )
            count = cursor.rowcount
        if not count:
            raise DomainError(NoticeError.NO_FIRMS, _("No firm matches the chosen audience"), field="criteria")
        notice.status, notice.sent_at, notice.sent_by, notice.recipient_count = NoticeStatus.SENT, now, by, count
        notice.save(update_fields=["status", "sent_at", "sent_by", "recipient_count"])
        if notice.correction_of_id:
            _tell_firms(notice, receipts="r.notice_id = %s", params=[notice.pk], now=now,
                        title=_("Corrected: %(title)s") % {"title": notice.title}, sms_text=_corrected_text(notice),
                        timeline=f"{notice.issuer_name}更正{notice.get_kind_display()}：{notice.title}")  # fmt: skip
        else:
            _tell_firms(notice, receipts="r.notice_id = %s", params=[notice.pk], title=notice.title,
                        sms_text=_sent_text(notice), now=now,
                        timeline=f"{notice.issuer_name}{notice.get_kind_display()}：{notice.title}")  # fmt: skip
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=notice, changes={"status": ["draft", "sent"]},
                     detail=f"sent to {count} firms")  # fmt: skip
    return notice


def _receipt_locked(receipt, by) -> Receipt:
    receipt = Receipt.objects.select_for_update().select_related("notice").get(pk=receipt.pk)
    if by.role != Role.ENTERPRISE_CONTACT or by.enterprise_id != receipt.enterprise_id:
        raise DomainError(NoticeError.NOT_ALLOWED, _("Only the firm that received the notice answers it"))
    return receipt


@transaction.atomic
def receipt_open(*, receipt, by) -> Receipt:
    """The first opening by one of the firm's people is kept (when and who); later ones change nothing."""
    if receipt.read_at is not None or by.role != Role.ENTERPRISE_CONTACT:
        return receipt
    receipt = _receipt_locked(receipt, by)
    if receipt.read_at is None:
        receipt.read_at, receipt.read_by = timezone.now(), by
        receipt.save(update_fields=["read_at", "read_by"])
    return receipt


@transaction.atomic
def receipt_confirm(*, receipt, by, text: str, files=()) -> Receipt:
    """落实反馈: what the firm did, in words and (optionally) photos; once."""
    receipt = _receipt_locked(receipt, by)
    notice = receipt.notice
    if notice.status != NoticeStatus.SENT:
        raise DomainError(NoticeError.NOT_SENT, _("This notice was withdrawn; nothing to confirm"))
    if notice.requirement != Requirement.CONFIRM:
        raise DomainError(NoticeError.INVALID, _("This notice asks only to be read"))
    if receipt.confirmed_at is not None:
        raise DomainError(NoticeError.INVALID, _("Your firm has confirmed this notice already"))
    text = text.strip()
    if len(text) < 2:
        raise DomainError(NoticeError.INVALID, _("Say what your firm did"), field="text")
    now = timezone.now()
    receipt.confirmed_at, receipt.confirmed_by, receipt.confirmation = now, by, text[:2000]
    if receipt.read_at is None:
        receipt.read_at, receipt.read_by = now, by
    receipt.save(update_fields=["confirmed_at", "confirmed_by", "confirmation", "read_at", "read_by"])
    for upload in files:
        attachment_store(owner=receipt, upload=upload, by=by)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=receipt, changes={"confirmed": [False, True]})
    return receipt


def _withdrawn(notice, *, by, reason: str, now) -> Notice:
    """The notice locked, checked and marked withdrawn (nobody told yet), with its audit record."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _may_manage(by, notice)
    if notice.status != NoticeStatus.SENT:
        raise DomainError(NoticeError.NOT_SENT, _("Only a sent notice can be withdrawn"))
    reason = reason.strip()
    if not reason:
        raise DomainError(NoticeError.INVALID, _("Say why the notice is withdrawn"), field="reason")
    notice.status, notice.withdrawn_at, notice.withdrawn_reason = NoticeStatus.WITHDRAWN, now, reason[:200]
    notice.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=notice, changes={"status": ["sent", "withdrawn"]},
                 detail=reason)  # fmt: skip
    return notice


@transaction.atomic
def notice_withdraw(*, notice, by, reason: str) -> Notice:
    """Withdrawn with a reason; every firm that got it is told."""
    now = timezone.now()
    notice = _withdrawn(notice, by=by, reason=reason, now=now)
    reason = notice.withdrawn_reason
    _tell_firms(notice, receipts="r.notice_id = %s", params=[notice.pk], now=now,
                title=_("Withdrawn: %(title)s") % {"title": notice.title},
                sms_text=_sms_for(notice, "{unit}《{title}》已撤回，原因：{reason}", reason=reason[:20]))  # fmt: skip
    return notice


def notice_correct(*, notice, by, title: str, body: str, reason: str, due_on=None) -> Notice:
    """更正: the notice is withdrawn and its corrected text sent to exactly the firms that got it, each told once
    (one SMS saying what was corrected)."""
    with transaction.atomic():
        old = _withdrawn(notice, by=by, reason=reason or _("Corrected"), now=timezone.now())
        corrected = notice_create(
            by=by, title=title, body=body, kind=old.kind, issuer_name=old.issuer_name, doc_number=old.doc_number,
            requirement=old.requirement, due_on=due_on or old.due_on, confirm_prompt=old.confirm_prompt,
            criteria=old.criteria, level=old.level, event=old.event, area=old.area, source_name=old.source_name,
            effective_at=old.effective_at, expires_at=old.expires_at, identifier=old.identifier,
            measures=old.measures,
        )  # fmt: skip
        corrected.correction_of = old
        corrected.save(update_fields=["correction_of"])
        return notice_send(notice=corrected, by=by)


def notices_remind(*, now: datetime.datetime | None = None) -> dict:
    """Run by the task queue, in working days (the official calendar and the administrator's overrides): from the
    working day before a notice's date, each firm that has not confirmed is reminded once; from the first working
    day after the date, each firm still missing is passed to its service officer once. A date on a Monday is
    reminded on the Friday and escalated on the Tuesday; one after a holiday, on the last day before it. The marks
    are set under the rows' locks before anything is written, so two clusters never remind twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # reminded when no working day is left between today and the date: the date is at most the next working day
    remind_until = add_workdays(today, 1)
    # passed once a working day has begun after the date
    passed_before = workday_on_or_before(today)
    open_ = Q(notice__status=NoticeStatus.SENT, notice__requirement=Requirement.CONFIRM, confirmed_at__isnull=True)
    reminded = escalated = 0
    with transaction.atomic():
        due = Receipt.objects.select_for_update(of=("self",)).filter(
            open_, reminded_at__isnull=True, notice__due_on__lte=remind_until, notice__due_on__gte=today,
        )  # fmt: skip
        by_notice: dict[int, list[int]] = {}
        for pk, notice_id in due.values_list("pk", "notice_id"):
            by_notice.setdefault(notice_id, []).append(pk)
        for notice in Notice.objects.filter(pk__in=by_notice):
            ids = by_notice[notice.pk]
            Receipt.objects.filter(pk__in=ids).update(reminded_at=now)
            reminded += len(ids)
            _tell_firms(notice, receipts="r.notice_id = %s AND r.reminded_at = %s", params=[notice.pk, _at(now)],
                        now=now, title=_("Reminder: %(title)s") % {"title": notice.title},
                        sms_text=_sms_for(notice, "提醒：{unit}《{title}》请于{due}前反馈落实情况。",
                                          due=short_date(notice.due_on)))  # fmt: skip
    with transaction.atomic():
        late = Receipt.objects.select_for_update(of=("self",)).filter(
            open_, escalated_at__isnull=True, notice__due_on__lt=passed_before
        )
        rows = list(late.values_list("pk", "enterprise__service_officer_id"))
        if rows:
            Receipt.objects.filter(pk__in=[pk for pk, _officer in rows]).update(escalated_at=now)
            escalated = len(rows)
            counts: dict[int, int] = {}
            for _pk, officer in rows:
                if officer:
                    counts[officer] = counts.get(officer, 0) + 1
            for officer in User.objects.filter(pk__in=counts):
                notify([officer], title=_("%(n)d of your firms have not confirmed a notice in time")
                       % {"n": counts[officer.pk]}, url=reverse("notice-follow-up"))  # fmt: skip
    return {"reminded": reminded, "escalated": escalated}


@transaction.atomic
def notice_audience_set(*, notice, by, criteria: dict, requirement: str = Requirement.READ, due_on=None,
                        confirm_prompt: str = "", measures: str = "", audience: Audience | None = None,
                        due_workdays: int | None = None) -> Notice:  # fmt: skip
    """A draft's audience and what it asks (an imported warning arrives without them)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _may_manage(by, notice)
    if notice.status != NoticeStatus.DRAFT:
        raise DomainError(NoticeError.NOT_DRAFT, _("This notice has been sent already"))
    if requirement not in Requirement.values:
        raise DomainError(NoticeError.INVALID, _("Choose a kind of notice"), field="requirement")
    notice.due_on = _due_date(requirement, due_on, due_workdays)
    notice.criteria, notice.audience = _audience_criteria(by, criteria, audience)
    notice.requirement = requirement
    notice.confirm_prompt = confirm_prompt.strip()[:200]
    notice.measures = measures.strip() or notice.measures
    notice.save(update_fields=["criteria", "audience", "requirement", "due_on", "confirm_prompt", "measures"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=notice, changes={"criteria": [None, notice.criteria]})
    return notice
