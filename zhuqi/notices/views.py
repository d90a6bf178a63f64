"""Pages: parse the request, call one service or selector, render."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.attachments import attachment_response, attachments_of
from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment
from zhuqi.core.permissions import allowed_if
from zhuqi.core.roles import Role

from . import cap, selectors, services, training
from .forms import (
    ConfirmForm,
    CorrectForm,
    InviteForm,
    NoticeForm,
    ReasonForm,
    SatisfactionForm,
    SessionForm,
    SignInForm,
    WarningImportForm,
)
from .models import NoticeStatus


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _period(request) -> dict:
    return {
        "unit": request.GET.get("unit") or None,
        "start": parse_date(request.GET.get("from") or "") if request.GET.get("from") else None,
        "end": parse_date(request.GET.get("to") or "") if request.GET.get("to") else None,
    }


@allowed_if(selectors.can_browse_notices)
def notice_list(request):
    user = request.user
    if user.role == Role.ENTERPRISE_CONTACT:
        receipts = selectors.receipts_visible_to(user).select_related("notice").order_by("-delivered_at")
        page = Paginator(receipts, 30).get_page(request.GET.get("page"))
        return render(request, "notices/firm_list.html", {"page": page, "query": request.GET})
    period = _period(request)
    notices = selectors.notices_sent(user=user, kind=request.GET.get("kind") or None, **period)
    drafts = selectors.notices_visible_to(user).filter(status=NoticeStatus.DRAFT).order_by("-created_at")
    page = Paginator(notices.select_related("department", "park"), 30).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "drafts": drafts[:20], "query": request.GET})


@allowed_if(selectors.can_write_notices)
def notice_create(request):
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_create(
                by=request.user, kind=data["kind"], title=data["title"], body=data["body"],
                issuer_name=data["issuer_name"], doc_number=data["doc_number"], requirement=data["requirement"],
                due_on=data["due_on"], due_workdays=data["due_workdays"], confirm_prompt=data["confirm_prompt"],
                criteria=form.criteria(), audience=data.get("audience"), audience_name=data["audience_name"],
                files=request.FILES.getlist("attachments"),
                level=data["level"], event=data["event"], area=data["area"], source_name=data["source_name"],
                expires_at=data["expires_at"], measures=data["measures"],
            )  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("notice-detail", pk=notice.pk)
    return render(request, "notices/form.html", {"form": form})


@allowed_if(selectors.can_browse_notices)
def notice_detail(request, pk: int):
    user = request.user
    notice = selectors.notice_get_for_user(user=user, pk=pk)
    context = {"notice": notice, "files": attachments_of(notice),
               "audience": selectors.criteria_described(notice.criteria)}  # fmt: skip
    if user.role == Role.ENTERPRISE_CONTACT:
        receipt = selectors.receipt_of(user=user, notice=notice)
        if receipt is None:
            raise Http404
        receipt = services.receipt_open(receipt=receipt, by=user)
        context |= {"receipt": receipt, "confirm_form": ConfirmForm(), "photos": attachments_of(receipt)}
        return render(request, "notices/firm_detail.html", context)
    if notice.status == NoticeStatus.DRAFT:
        context["matching"] = selectors.audience_resolve(by=user, criteria=notice.criteria).count()
    else:
        context["progress"] = selectors.notice_progress(notice=notice)
        receipts = selectors.receipts_listed(user=user, notice=notice, figure=request.GET.get("figure"))
        context["page"] = Paginator(receipts, 50).get_page(request.GET.get("page"))
        context["query"] = request.GET
    context |= {"withdraw_form": ReasonForm(), "may_manage": selectors.can_write_notices(user)}
    return render(request, "notices/detail.html", context)


@require_POST
@allowed_if(selectors.can_write_notices)
def notice_send(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    try:
        notice = services.notice_send(notice=notice, by=request.user)
        messages.success(request, _("Sent to %(n)d firms") % {"n": notice.recipient_count})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("notice-detail", pk=pk)


@require_POST
@allowed_if(selectors.can_write_notices)
def notice_withdraw(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(services.NoticeError.INVALID, _("Say why the notice is withdrawn"))
        services.notice_withdraw(notice=notice, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Withdrawn; every firm that got it is told"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("notice-detail", pk=pk)


@allowed_if(selectors.can_write_notices)
def notice_correct(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    initial = {"title": notice.title, "body": notice.body, "due_on": notice.due_on}
    form = CorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            corrected = services.notice_correct(notice=notice, by=request.user, title=data["title"], body=data["body"],
                                                reason=data["reason"], due_on=data["due_on"])  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The correction went to the same %(n)d firms") % {"n": corrected.recipient_count}
            )
            return redirect("notice-detail", pk=corrected.pk)
    return render(request, "notices/correct.html", {"form": form, "notice": notice})


@require_POST
@allowed_if(lambda user: getattr(user, "role", None) == Role.ENTERPRISE_CONTACT)
def receipt_confirm(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    receipt = selectors.receipt_of(user=request.user, notice=notice)
    if receipt is None:
        raise Http404
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(services.NoticeError.INVALID, _("Say what your firm did"))
        services.receipt_confirm(receipt=receipt, by=request.user, text=form.cleaned_data["text"],
                                 files=request.FILES.getlist("photos"))  # fmt: skip
        messages.success(request, _("Confirmed; thank you"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("notice-detail", pk=pk)


@allowed_if(selectors.can_write_notices)
def warning_import(request):
    form = WarningImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = cap.warning_import(by=request.user, data=form.cleaned_data["file"].read(cap.MAX_BYTES + 1),
                                        measures=form.cleaned_data["measures"])  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Warning read; choose the firms and send it"))
            return redirect("notice-edit-audience", pk=notice.pk)
    return render(request, "notices/warning_import.html", {"form": form})


@allowed_if(selectors.can_write_notices)
def notice_edit_audience(request, pk: int):
    """A draft's audience (an imported warning arrives without one)."""
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    if notice.status != NoticeStatus.DRAFT:
        return redirect("notice-detail", pk=pk)
    form = NoticeForm(request.POST or None, user=request.user, initial={
        "kind": notice.kind, "title": notice.title, "body": notice.body, "issuer_name": notice.issuer_name,
        "requirement": notice.requirement, "level": notice.level, "event": notice.event, "area": notice.area,
        "source_name": notice.source_name, "expires_at": notice.expires_at, "measures": notice.measures,
        "due_on": notice.due_on, "confirm_prompt": notice.confirm_prompt, "audience": notice.audience_id,
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_audience_set(notice=notice, by=request.user, criteria=form.criteria(),
                                         audience=data.get("audience"), requirement=data["requirement"],
                                         due_on=data["due_on"], due_workdays=data["due_workdays"],
                                         confirm_prompt=data["confirm_prompt"], measures=data["measures"])  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("notice-detail", pk=pk)
    return render(request, "notices/form.html", {"form": form, "notice": notice})


@allowed_if(selectors.can_browse_notices)
def receipt_list(request):
    """The firms behind a figure (read, confirmed, on time …) for a unit and period, or of one notice."""
    figure = request.GET.get("figure")
    receipts = selectors.receipts_listed(user=request.user, figure=figure, **_period(request))
    page = Paginator(receipts.order_by("-notice__sent_at", "enterprise__name"), 50).get_page(request.GET.get("page"))
    return render(request, "notices/receipts.html", {"page": page, "query": request.GET,
                                                     "figure": selectors.RECEIPT_FIGURES.get(figure) and figure})  # fmt: skip


@allowed_if(lambda user: getattr(user, "role", None) == Role.PARK_OFFICER)
def follow_up(request):
    return render(request, "notices/follow_up.html", {"receipts": selectors.officer_follow_up(user=request.user)})


@allowed_if(selectors.can_write_notices)
def figures(request):
    period = _period(request)
    if not period["start"] and not period["end"]:
        today = timezone.localdate()
        period["start"], period["end"] = today.replace(month=1, day=1), today
    rows = selectors.outreach_figures(user=request.user, start=period["start"], end=period["end"])
    query = f"from={period['start'] or ''}&to={period['end'] or ''}"
    return render(request, "notices/figures.html", {"rows": rows, "period": period, "query": query})


@allowed_if(selectors.can_browse_notices)
def file_download(request, pk: int):
    """A notice's attachment, a confirmation's photo or a session's materials, to those who see what owns it."""
    attachment = get_object_or_404(Attachment, pk=pk, owner_type__in=[
        "notices.notice", "notices.receipt", "notices.trainingsession"])  # fmt: skip
    user = request.user
    owner = {
        "notices.notice": lambda: selectors.notices_visible_to(user),
        "notices.receipt": lambda: selectors.receipts_visible_to(user),
        "notices.trainingsession": lambda: selectors.sessions_visible_to(user),
    }[attachment.owner_type]()
    if not owner.filter(pk=attachment.owner_id).exists():
        raise Http404
    return attachment_response(attachment)


# --- training ------------------------------------------------------------------------------------------------
@allowed_if(selectors.can_browse_notices)
def training_list(request):
    period = _period(request)
    sessions = selectors.sessions_held(user=request.user, **period).select_related("department", "park")
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(request, "notices/training_list.html", {"page": page, "query": request.GET})


@allowed_if(selectors.can_write_notices)
def training_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = training.session_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("training-detail", pk=session.pk)
    return render(request, "notices/training_form.html", {"form": form})


def _qr(link: str) -> str:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
    return mark_safe(buffer.getvalue().decode())  # noqa: S308  # nosec B308 B703  (segno's SVG of our own URL)


@allowed_if(selectors.can_browse_notices)
def training_detail(request, pk: int):
    user = request.user
    session = selectors.session_get_for_user(user=user, pk=pk)
    context = {"session": session, "materials": attachments_of(session)}
    if user.role == Role.ENTERPRISE_CONTACT:
        context["mine"] = selectors.attendances_visible_to(user).filter(session=session)
        return render(request, "notices/training_firm.html", context)
    link = f"{settings.ZHUQI_SITE_URL}{reverse('training-sign-in', args=[session.sign_in_token])}"
    context |= selectors.session_overview(session=session)
    context |= {"link": link, "qr_svg": _qr(link), "invite_form": InviteForm(user=user),
                "may_manage": selectors.can_write_notices(user)}  # fmt: skip
    return render(request, "notices/training_detail.html", context)


@require_POST
@allowed_if(selectors.can_write_notices)
def training_invite(request, pk: int):
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    form = InviteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            n = training.session_invite(session=session, by=request.user, enterprises=form.cleaned_data["enterprises"])
            messages.success(request, _("%(n)d firms invited") % {"n": n})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training-detail", pk=pk)


@require_POST
@allowed_if(selectors.can_write_notices)
def training_materials(request, pk: int):
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    try:
        n = training.materials_add(session=session, by=request.user, files=request.FILES.getlist("materials"))
        messages.success(request, _("%(n)d files added") % {"n": n})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("training-detail", pk=pk)


@require_POST
@allowed_if(selectors.can_write_notices)
def training_follow_up(request, pk: int):
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    try:
        n = training.session_follow_up(session=session, by=request.user)
        messages.success(request, _("Materials sent to %(n)d absent firms") % {"n": n})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("training-detail", pk=pk)


@allowed_if(selectors.can_browse_notices)
def attendance_list(request):
    rows = selectors.attendance_listed(user=request.user, **_period(request)).order_by("-session__starts_at")
    if request.GET.get("firms"):
        rows = rows.order_by("enterprise__name", "-session__starts_at")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notices/attendance.html", {"page": page, "query": request.GET})


# --- sign-in on the person's own phone, by the session's QR code (no account needed) ---------------------------
def sign_in(request, token: str):
    session = training.session_by_token(token)
    if session is None:
        raise Http404
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = training.sign_in(session=session, firm=form.cleaned_data["firm"],
                                          person_name=form.cleaned_data["person_name"])  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
        else:
            request.session["notices.attendance"] = attendance.pk
            return redirect("training-signed-in", token=token)
    return render(request, "notices/sign_in.html", {"session": session, "form": form})


def signed_in(request, token: str):
    session = training.session_by_token(token)
    attendance = session and session.attendances.filter(pk=request.session.get("notices.attendance")).first()
    if attendance is None:
        raise Http404
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training.satisfaction_answer(attendance=attendance, answer=form.cleaned_data["satisfaction"])
        except DomainError as error:
            _form_error(form, error)
    return render(request, "notices/signed_in.html", {"session": session, "attendance": attendance, "form": form,
                                                      "answered": attendance.satisfaction is not None})  # fmt: skip
