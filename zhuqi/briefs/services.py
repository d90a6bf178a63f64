"""Writes of briefs: drafted from the data, edited by the office, issued as a frozen version with its Word file.
Each records who did it and when (BriefEvent) and in the audit trail."""

import datetime
from enum import Enum

from django.db import transaction
from django.utils import timezone

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent

from . import drafting, selectors
from .models import Brief, BriefAction, BriefEvent, BriefKind, BriefStatus, BriefVersion
from .render import brief_docx


class BriefError(Enum):
    UNIT = "只能为本单位起草简报"
    UNAVAILABLE = "平台暂无该类简报所需的数据"
    SUBJECT = "请选择专项检查或预警"
    PERIOD = "结束日期不能早于开始日期"
    EMPTY = "简报至少要有一段正文"
    CHANGED = "简报已被他人修改，请刷新后重试"


def _apply(brief: Brief, draft: drafting.Draft) -> None:
    brief.title, brief.subtitle, brief.issuer = draft.title[:120], draft.subtitle[:120], draft.issuer[:60]
    brief.paragraphs, brief.charts, brief.rows = draft.paragraphs, draft.charts, draft.rows


@transaction.atomic
def brief_draft(
    *, kind: str, unit_key: str, start: datetime.date, end: datetime.date, subject: int | None = None, by
) -> Brief:
    unit = selectors.unit_of(by, unit_key)
    if unit is None:
        raise DomainError(BriefError.UNIT, field="unit")
    if end < start:
        raise DomainError(BriefError.PERIOD, field="end")
    if kind in (BriefKind.CAMPAIGN, BriefKind.ALERT) and not subject:
        raise DomainError(BriefError.SUBJECT, field="subject")
    try:
        draft = drafting.draft(kind=kind, unit=unit, start=start, end=end, subject=subject)
    except drafting.Unavailable:
        raise DomainError(BriefError.UNAVAILABLE, field="kind") from None
    brief = Brief(kind=kind, department_id=unit.department, park_id=unit.park, period_start=start, period_end=end,
                  subject_id=subject, created_by=by)  # fmt: skip
    _apply(brief, draft)
    brief.save()
    BriefEvent.objects.create(brief=brief, action=BriefAction.DRAFT, by=by)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=brief)
    return brief


def _locked(brief: Brief, updated_at) -> Brief:
    row = Brief.objects.select_for_update().get(pk=brief.pk)
    if updated_at is not None and row.updated_at != updated_at:
        raise DomainError(BriefError.CHANGED)
    return row


@transaction.atomic
def brief_edit(*, brief: Brief, title: str, subtitle: str, texts: list[str], by, seen_at=None) -> Brief:
    """The office's text: paragraph n keeps paragraph n's heading mark and the links whose numbers it still has."""
    brief = _locked(brief, seen_at)
    kept = [t.strip() for t in texts]
    if not any(kept):
        raise DomainError(BriefError.EMPTY, field="paragraphs")
    old = brief.paragraphs
    paragraphs = []
    for n, text in enumerate(kept):
        if not text:
            continue
        before = old[n] if n < len(old) else {}
        links = [link for link in before.get("links", []) if link["text"] in text]
        paragraphs.append({"text": text, "heading": before.get("heading", False), "links": links})
    changes = {"title": [brief.title, title]} if title != brief.title else {}
    brief.title, brief.subtitle, brief.paragraphs = title.strip()[:120], subtitle.strip()[:120], paragraphs
    brief.status, brief.updated_at = BriefStatus.DRAFT, timezone.now()
    brief.save()
    BriefEvent.objects.create(brief=brief, action=BriefAction.EDIT, by=by)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=brief, changes=changes)
    return brief


@transaction.atomic
def brief_redraft(*, brief: Brief, by) -> Brief:
    """The text drafted again from today's data (the office's edits are replaced; issued versions stay)."""
    brief = _locked(brief, None)
    unit = drafting.Unit(department=brief.department_id, park=brief.park_id, name=brief.unit_name)
    try:
        draft = drafting.draft(kind=brief.kind, unit=unit, start=brief.period_start, end=brief.period_end,
                               subject=brief.subject_id)  # fmt: skip
    except drafting.Unavailable:
        raise DomainError(BriefError.UNAVAILABLE) from None
    _apply(brief, draft)
    brief.status, brief.updated_at = BriefStatus.DRAFT, timezone.now()
    brief.save()
    BriefEvent.objects.create(brief=brief, action=BriefAction.REDRAFT, by=by)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=brief, detail="redraft")
    return brief


@transaction.atomic
def brief_issue(*, brief: Brief, by, base_url: str | None = None) -> BriefVersion:
    """Issue the brief as it stands: a new version (1, 2 …) with its text and Word file, frozen; the earlier stay."""
    brief = _locked(brief, None)
    number = brief.issued_versions + 1
    now = timezone.now()
    content = brief_docx(brief, base_url=base_url, dated=timezone.localtime(now).date())
    version = BriefVersion.objects.create(brief=brief, number=number, title=brief.title, paragraphs=brief.paragraphs,
                                          docx=content, issued_by=by, issued_at=now)  # fmt: skip
    brief.issued_versions, brief.status, brief.updated_at = number, BriefStatus.ISSUED, now
    brief.save(update_fields=["issued_versions", "status", "updated_at"])
    BriefEvent.objects.create(brief=brief, action=BriefAction.ISSUE, by=by, version=number)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=brief, detail=f"issued version {number}")
    return version
