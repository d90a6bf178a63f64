from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import registry, scopes
from zhuqi.core.attachments import attachment_response, attachments_of
from zhuqi.core.errors import DomainError
from zhuqi.core.excel import write_sheet
from zhuqi.core.permissions import allowed_if
from zhuqi.core.roles import Role

from . import selectors, services
from .forms import (
    ContactForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    LedgerUploadForm,
    OfficerAssignForm,
    QualificationForm,
    VisitForm,
)
from .ledger import COLUMNS, ledger_export
from .models import LedgerImport


def _filters(request) -> tuple[EnterpriseFilterForm, selectors.EnterpriseFilters]:
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, selectors.EnterpriseFilters(
            q=d["q"],
            park=d["park"] and d["park"].pk,
            grid=d["grid"] and d["grid"].pk,
            tag=d["tag"] and d["tag"].pk,
            qualification=d["qualification"],
            scale=d["scale"],
            overdue=d["overdue"],
            officer=d["officer"],
        )
    return form, selectors.EnterpriseFilters()


@allowed_if(scopes.can_browse_enterprises)
def enterprise_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.enterprise_list(user=request.user, filters=filters), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "can_register": scopes.can_register_enterprises(request.user),
        "can_import": scopes.can_import_enterprises(request.user),
        "query": request.GET.urlencode(),
    }
    if request.htmx and request.htmx.target == "enterprise-results":
        return render(request, "enterprises/enterprise_list.html#results", context)
    return render(request, "enterprises/enterprise_list.html", context)


@allowed_if(scopes.can_browse_enterprises)
def enterprise_export(request):
    _form, filters = _filters(request)
    content = ledger_export(
        enterprises=selectors.enterprises_for_export(user=request.user, filters=filters), by=request.user
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"enterprises-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    user = request.user
    status = (
        selectors.with_visit_status(type(enterprise).objects.filter(pk=pk))
        .values("last_visit", "visit_frequency", "visit_overdue")
        .get()
    )
    context = {
        "enterprise": enterprise,
        "timeline": selectors.enterprise_timeline(user=user, enterprise=enterprise)[:100],
        "visit_status": status,
        "full_phone": scopes.can_see_full_phone(user, enterprise),
        "can_edit": scopes.can_edit_enterprise(user, enterprise),
        "can_visit": scopes.can_log_visit(user, enterprise),
        "can_raise": scopes.can_raise_case(user),
        "officer_history": enterprise.officer_assignments.select_related("officer", "assigned_by")[:20],
        "today": timezone.localdate(),
        # the firm's own contact sees its file without the zone's internal marks (visit overdue, officer history)
        "is_enterprise": user.role == Role.ENTERPRISE_CONTACT,
    }
    # panels other modules add to the enterprise file (the inspections' safety panel: `safety`, `can_inspect`)
    for name, panel in registry.selectors().items():
        if name.startswith("enterprise."):
            context |= panel(user=user, enterprise=enterprise)
    return render(request, "enterprises/enterprise_detail.html", context)


def _form_error(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@allowed_if(scopes.can_register_enterprises)
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("tags", "expected_version")}
        try:
            enterprise = services.enterprise_register(by=request.user, tags=form.cleaned_data["tags"], **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Registered: %(name)s") % {"name": enterprise.name})
            return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "title": _("Register an enterprise")})


@login_required
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = EnterpriseForm(
        request.POST or None, instance=enterprise, user=request.user, initial={"expected_version": enterprise.version}
    )
    form.fields["expected_version"].required = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "tags"}
        enterprise.refresh_from_db()
        try:
            services.enterprise_update(enterprise=enterprise, by=request.user, tags=form.cleaned_data["tags"], **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved"))
            return redirect("enterprise-detail", pk=pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "title": _("Edit the enterprise file"), "enterprise": enterprise},
    )


@login_required
def enterprise_assign_officer(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = OfficerAssignForm(
        request.POST or None,
        officers=scopes.officers_assignable_by(request.user),
        initial={"officer": enterprise.service_officer},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_assign_officer(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Chief service officer updated"))
            return redirect("enterprise-detail", pk=pk)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "title": _("Assign chief service officer"), "enterprise": enterprise},
    )


@login_required
def contact_add(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("enterprise-detail", pk=pk)
    return render(
        request, "enterprises/simple_form.html", {"form": form, "title": _("Add a contact"), "enterprise": enterprise}
    )


@login_required
def qualification_add(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("enterprise-detail", pk=pk)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "title": _("Record a qualification"), "enterprise": enterprise},
    )


@login_required
def visit_create(request, pk: int):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not scopes.can_log_visit(request.user, enterprise):
        raise PermissionDenied
    form = VisitForm(request.POST or None, request.FILES or None, colleagues=scopes.colleagues_of(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.visit_log(
                enterprise=enterprise,
                by=request.user,
                officers=d["officers"],
                visited_on=d["visited_on"],
                topics=d["topics"],
                people_met=d["people_met"],
                other_officers=d["other_officers"],
                findings=d["findings"],
                problems=d["problems"].splitlines(),
                files=request.FILES.getlist("attachments"),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Visit logged"))
            return redirect("enterprise-detail", pk=pk)
    return render(request, "enterprises/visit_form.html", {"form": form, "enterprise": enterprise})


@login_required
def visit_detail(request, pk: int):
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    context = {
        "visit": visit,
        "attachments": attachments_of(visit),
        "problems": visit.problems.select_related("case"),
        "can_raise": scopes.can_raise_case(request.user) and scopes.can_log_visit(request.user, visit.enterprise),
    }
    return render(request, "enterprises/visit_detail.html", context)


@login_required
def attachment_download(request, pk: int):
    from zhuqi.core.models import Attachment

    attachment = get_object_or_404(Attachment, pk=pk)
    if attachment.owner_type != "enterprises.visit":
        raise Http404
    selectors.visit_get_for_user(user=request.user, pk=attachment.owner_id)
    return attachment_response(attachment)


@allowed_if(scopes.can_see_coverage)
def coverage(request):
    rows = selectors.visit_coverage(user=request.user)
    totals = {
        "assigned": sum(r.assigned for r in rows),
        "month": sum(r.visited_this_month for r in rows),
        "quarter": sum(r.visited_this_quarter for r in rows),
        "overdue": sum(r.overdue for r in rows),
    }
    chart = {
        "legend": [_("Assigned enterprises"), _("Visited this month"), _("Visit overdue")],
        "names": [r.name for r in rows],
        "assigned": [r.assigned for r in rows],
        "month": [r.visited_this_month for r in rows],
        "overdue": [r.overdue for r in rows],
    }
    return render(
        request,
        "enterprises/coverage.html",
        {"rows": rows, "totals": totals, "rows_chart": chart, "today": timezone.localdate()},
    )


@allowed_if(scopes.can_browse_enterprises)
def qualifications_expiring(request):
    days = 90
    items = selectors.qualifications_expiring(user=request.user, within_days=days)
    return render(
        request,
        "enterprises/qualifications_expiring.html",
        {"items": items, "days": days, "today": timezone.localdate()},
    )


@allowed_if(scopes.can_import_enterprises)
def ledger_upload(request):
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.ledger_import_start(by=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("ledger-import", pk=job.pk)
    recent = LedgerImport.objects.filter(uploaded_by=request.user)[:10]
    return render(
        request,
        "enterprises/ledger_upload.html",
        {"form": form, "recent": recent, "columns": [names[0] for names in COLUMNS.values()]},
    )


@allowed_if(scopes.can_import_enterprises)
def ledger_template(request):
    headers = [names[0] for names in COLUMNS.values()]
    sample = [
        [
            "示例科技有限公司",
            "91410400MA00000000",
            "创新创业服务园区",
            "",
            "制造业",
            "规下",
            "张三",
            "13800000000",
            "平顶山高新区某路1号",
            50,
            "",
            "",
        ]
    ]
    content = write_sheet(
        _("Enterprise ledger"), headers, sample, widths=[30, 22, 18, 14, 12, 8, 10, 14, 30, 10, 16, 12]
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="enterprise-ledger-template.xlsx"'
    return response


@allowed_if(scopes.can_import_enterprises)
def ledger_import(request, pk: int):
    job = get_object_or_404(LedgerImport, pk=pk, uploaded_by=request.user)
    if request.method == "POST":
        step = services.ledger_import_retry if "retry" in request.POST else services.ledger_import_confirm
        try:
            step(job=job, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("ledger-import", pk=pk)
    interrupted = job.interrupted()
    context = {
        "job": job,
        "interrupted": interrupted,
        "busy": job.running and not interrupted,
        "taken": [c for c in job.columns if c["field"]],
        "ignored": [c for c in job.columns if not c["field"]],
    }
    if request.htmx:
        return render(request, "enterprises/ledger_import.html#status", context)
    return render(request, "enterprises/ledger_import.html", context)
