"""Notices (工作提示 · 预警信息 · 推送) for a firm's own client and for the issuing units: the same services and scopes
as the pages. A firm lists what was sent to it, opens one (the first opening is its read receipt) and confirms what
it did; staff list the notices of their unit with the receipts counted."""

import datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhuqi.core.attachments import attachments_of
from zhuqi.core.errors import DomainError
from zhuqi.notices import selectors, services
from zhuqi.notices.services import NoticeError

from .types import Day, Pages, PathId

router = Router(tags=["通知与预警 notices"])

FIRM_ONLY = "只有企业联系人接收和反馈通知"
STAFF_ONLY = "只有发文单位的工作人员查看其发出的通知"


class FileOut(Schema):
    name: str
    url: str


class NoticeOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    issuer_name: str
    doc_number: str
    status: str = Field(..., description="sent 已发送 · withdrawn 已撤回（员工另见 draft 草稿）")
    requirement: str = Field(..., description="read 阅知 · confirm 落实反馈")
    due_on: datetime.date | None = Field(None, description="落实反馈的截止日期")
    sent_at: datetime.datetime | None
    level: str = Field("", description="预警级别：blue · yellow · orange · red")
    expires_at: datetime.datetime | None = None


class ReceivedOut(Schema):
    """One notice as the firm received it."""

    notice: NoticeOut
    delivered_at: datetime.datetime
    read_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None


class IssuedOut(NoticeOut):
    recipient_count: int
    audience: str | None = Field(None, alias="audience.name", description="已保存的发送范围")
    read: int = Field(..., alias="receipts_read")
    confirmed: int = Field(..., alias="receipts_confirmed")
    escalated: int = Field(..., alias="receipts_escalated", description="逾期未反馈、已转首席服务官")
    unread: int
    not_confirmed: int

    @staticmethod
    def resolve_unread(obj):
        return obj.receipts_total - obj.receipts_read

    @staticmethod
    def resolve_not_confirmed(obj):
        return obj.receipts_total - obj.receipts_confirmed if obj.requirement == "confirm" else 0


class ReceiptOut(Schema):
    read_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    confirmation: str


class ProgressOut(Schema):
    total: int
    read: int
    unread: int
    confirmed: int
    on_time: int
    missing: int
    overdue: int
    escalated: int


class NoticeDetailOut(NoticeOut):
    body: str
    measures: str
    area: str
    source_name: str
    confirm_prompt: str
    withdrawn_reason: str
    correction_of: int | None = Field(None, alias="correction_of_id")
    files: list[FileOut]
    receipt: ReceiptOut | None = Field(None, description="企业联系人：本企业的阅读与反馈")
    progress: ProgressOut | None = Field(None, description="发文单位：阅读与反馈进度")


class IssuedQuery(Schema):
    kind: str = Field("", description="work_tip · warning · policy · safety")
    status: str = Field("", description="draft · sent · withdrawn")
    date_from: Day | None = Field(None, description="发送日期起")
    date_to: Day | None = Field(None, description="发送日期止")


class ConfirmIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, description="落实情况")


def _firm(user) -> None:
    if user.role != "enterprise_contact":
        raise DomainError(NoticeError.NOT_ALLOWED, FIRM_ONLY)


def _detail(request, pk: int):
    user = request.user
    if not selectors.can_browse_notices(user):
        raise DomainError(NoticeError.NOT_ALLOWED, "无权查看通知")
    notice = selectors.notice_get_for_user(user=user, pk=pk)
    notice.files = [{"name": a.original_name, "url": reverse("notice-file", args=[a.pk])} for a in
                    attachments_of(notice)]  # fmt: skip
    if user.role == "enterprise_contact":
        receipt = selectors.receipt_of(user=user, notice=notice)
        if receipt is None:
            raise DomainError(NoticeError.NOT_ALLOWED, FIRM_ONLY)
        notice.receipt = services.receipt_open(receipt=receipt, by=user)
    elif notice.status != "draft":
        notice.progress = selectors.notice_progress(notice=notice)
    return notice


@router.get("/received", response=list[ReceivedOut], summary="企业：本企业收到的通知（最新在前；unread=true 只列未读）")
@paginate(Pages, page_size=50)
def notices_received(request, unread: bool = False):
    _firm(request.user)
    return selectors.receipts_received(user=request.user, unread=unread)


@router.get("/issued", response=list[IssuedOut], summary="发文单位：本单位的通知，附送达、已读、已反馈、转办件数")
@paginate(Pages, page_size=50)
def notices_issued(request, filters: Query[IssuedQuery]):
    if not selectors.can_write_notices(request.user):
        raise DomainError(NoticeError.NOT_ALLOWED, STAFF_ONLY)
    return selectors.notices_issued(user=request.user, kind=filters.kind or None, status=filters.status or None,
                                    start=filters.date_from, end=filters.date_to)  # fmt: skip


@router.get(
    "/{notice_id}", response=NoticeDetailOut,
    summary="通知详情；企业联系人首次打开即记为本企业已读（与网页相同）；发文单位另见进度",
)  # fmt: skip
def notice_detail(request, notice_id: PathId):
    return _detail(request, notice_id)


@router.post("/{notice_id}/confirm", response=NoticeDetailOut, summary="企业：反馈落实情况（每个通知一次）")
def notice_confirm(request, notice_id: PathId, payload: ConfirmIn):
    _firm(request.user)
    notice = selectors.notice_get_for_user(user=request.user, pk=notice_id)
    receipt = selectors.receipt_of(user=request.user, notice=notice)
    if receipt is None:
        raise DomainError(NoticeError.NOT_ALLOWED, FIRM_ONLY)
    services.receipt_confirm(receipt=receipt, by=request.user, text=payload.text)
    return _detail(request, notice_id)
