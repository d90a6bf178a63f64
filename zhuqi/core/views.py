from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import deletion, personal, registry, scopes, selectors
from .audit import audit_record
from .errors import DomainError
from .excel import write_sheet
from .models import AuditEvent
from .permissions import allowed_if
from .roles import Role


@login_required
def workbench(request):
    """工作台: the cards the modules register (core.registry.workbench_card_register), in their order."""
    user = request.user
    if user.role == Role.AUDITOR:
        return redirect("audit-list")
    if user.role == Role.SYSTEM_ADMIN:
        return redirect("admin:index")
    context = {"cards": []}
    for card, card_context in registry.workbench_cards(user):
        context["cards"].append(card)
        context |= card_context
    return render(request, "core/workbench.html", context)


class AuditFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=gettext_lazy("Event"), required=False, choices=[("", gettext_lazy("All events")), *AuditEvent.choices]
    )
    username = forms.CharField(label=gettext_lazy("Account"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


def _audit_records(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.audit_list(**{k: v for k, v in filters.items() if v})


@allowed_if(scopes.can_read_audit)
def audit_list(request):
    form, records = _audit_records(request)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": request.GET.urlencode()})


@allowed_if(scopes.can_read_audit)
def audit_export(request):
    _form, records = _audit_records(request)
    rows = (
        [
            timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"),
            r.actor_username,
            r.ip_address or "",
            r.get_event_display(),
            r.object_type,
            r.object_id,
            r.object_repr,
            r.outcome,
            r.detail,
            "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in r.changes.items()) if isinstance(r.changes, dict) else "",
        ]
        for r in records.iterator(chunk_size=2000)
    )
    content = write_sheet(
        _("Audit trail"),
        ["时间", "账号", "地址", "事件", "对象类型", "对象编号", "对象", "结果", "说明", "变更字段"],
        rows,
        widths=[20, 14, 16, 10, 22, 10, 30, 8, 30, 60],
    )
    audit_record(
        actor=request.user,
        event=AuditEvent.EXPORT,
        object_type="core.auditrecord",
        detail=_("Exported the audit trail"),
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _back(request, default: str) -> str:
    wanted = request.POST.get("next", "")
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) else default


@require_POST
@allowed_if(scopes.can_delete_records)
def record_delete(request, kind: str, pk: int):
    try:
        obj = get_object_or_404(deletion.deletable_model(kind).objects, pk=pk)
        deletion.record_delete(obj, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_back(request, reverse("recycle-bin")))
    messages.success(request, _("Deleted: %(record)s. It can be restored from the recycle bin.") % {"record": obj})
    return redirect("recycle-bin")


@require_POST
@allowed_if(scopes.can_delete_records)
def record_restore(request, kind: str, pk: int):
    try:
        obj = deletion.record_restore(
            get_object_or_404(deletion.deletable_model(kind).everything, pk=pk), by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Restored: %(record)s") % {"record": obj})
    return redirect("recycle-bin")


@allowed_if(scopes.can_delete_records)
def recycle_bin(request):
    found = deletion.deleted_records(request.user)
    groups = [(kind, deletion.kind_label(kind), records) for kind, records in found.items()]
    return render(request, "core/recycle_bin.html", {"groups": groups})


@login_required
def phone_unmask(request, kind: str, pk: int):
    """The whole number in place of the masked one (htmx), for those who may see it; audited."""
    number = personal.phone_unmask(user=request.user, kind=kind, pk=pk)
    if number is None:
        raise Http404
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', number))
