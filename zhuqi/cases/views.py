import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core import registry, scopes
from zhuqi.core.attachments import attachment_response, attachments_of
from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment
from zhuqi.core.permissions import allowed_if
from zhuqi.enterprises import selectors as enterprise_selectors

from . import board, documents, selectors, services
from .forms import (
    CaseActionForm,
    CaseFilterForm,
    CaseRaiseForm,
    FiguresForm,
    SymposiumForm,
    SymposiumProblemFormSet,
    VisitCasesForm,
    action_fields,
)
from .ledger import ledger_export
from .models import CaseEvent, SupervisionNotice
from .selectors import FIGURE_LABELS as FIGURES
from .workflow import TRANSITIONS, Action, action_label, as_action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request, form_class=CaseFilterForm):
    form = form_class(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "group_by"}
        for name in ("category", "department", "park"):
            data[name] = data.get(name) and data[name].pk
        return form, selectors.CaseFilters(**data)
    return form, selectors.CaseFilters()


@allowed_if(scopes.can_browse_cases)
def case_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.case_list(user=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    page.object_list = selectors.with_time_left(page.object_list)
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "can_export": scopes.can_see_case_figures(request.user),
        "can_raise": scopes.can_raise_case(request.user),
        "figure_label": FIGURES.get(filters.figure, ""),
    }
    template = (
        "cases/case_list.html#results" if request.htmx and request.htmx.target == "results" else "cases/case_list.html"
    )
    return render(request, template, context)


@allowed_if(scopes.can_see_case_figures)
def case_export(request):
    _form, filters = _filters(request)
    content = ledger_export(cases=selectors.case_list(user=request.user, filters=filters), by=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="problem-ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@allowed_if(scopes.can_raise_case)
def case_new(request):
    user = request.user
    enterprise = None
    if user.role == "enterprise_contact":
        enterprise = user.enterprise
    elif request.GET.get("enterprise"):
        try:
            enterprise = enterprise_selectors.enterprise_get_for_user(user=user, pk=int(request.GET["enterprise"]))
        except ValueError:
            raise Http404 from None
    form = CaseRaiseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_submit(
                by=user,
                enterprise=enterprise,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                source=form.cleaned_data.get("source", "enterprise"),
                files=request.FILES.getlist("attachments"),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Submitted as %(number)s; you will be told as it moves") % {"number": case.number}
            )
            return redirect("case-detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form, "enterprise": enterprise})


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _action_initial(case, action: Action) -> dict:
    """What an action's form shows before anyone types: the category's department and deadline, which the
    service would use anyway, so the person sees them and changes them if needed."""
    initial = {"expected_version": case.version}
    if action in (Action.ASSIGN, Action.TRANSFER, Action.REOPEN):
        initial["deadline_workdays"] = case.category.deadline_workdays
    if action == Action.ASSIGN:
        initial["department"] = case.category.department_id
    return initial


def _detail_context(request, case, refused: tuple[Action, CaseActionForm] | None = None) -> dict:
    """The case page; a refused action's form comes back as it was sent, with its errors beside its fields."""
    user = request.user
    actions = services.actions_available(user=user, case=case)
    is_staff = user.role != "enterprise_contact"
    forms = []
    for action in actions:
        if refused and refused[0] == action:
            forms.append(refused)
        else:
            form = CaseActionForm(action=action, case=case, initial=_action_initial(case, action), prefix=action.value)
            forms.append((action, form))
    if not is_staff:
        for _action, form in forms:
            form.fields.pop("public", None)
    events = list(selectors.case_events_for(user=user, case=case))
    files = {}
    for attachment in Attachment.objects.filter(owner_type="cases.caseevent", owner_id__in=[e.pk for e in events]):
        files.setdefault(attachment.owner_id, []).append(attachment)
    for event in events:
        event.files = files.get(event.pk, [])
    [case] = selectors.with_time_left([case])
    return {
        "case": case,
        "forms": forms,
        "refused_action": refused[0] if refused else None,
        "action_fields": {action: action_fields(action) for action in TRANSITIONS},
        "events": events,
        "attachments": attachments_of(case),
        "notices": selectors.supervision_notices_of(case=case) if is_staff else [],
        "duplicates": selectors.likely_duplicates(case=case) if Action.MERGE in actions else [],
        "is_staff": is_staff,
        # what a module adds to the case's facts (the inspections' hazard: grade, place, the five in place)
        "detail_panels": [
            found
            for name, panel in registry.selectors().items()
            if name.startswith("case_detail.") and (found := panel(user=user, case=case))
        ],
    }


# the fields a service's DomainError names, as the action form calls them
_ERROR_FIELDS = {"deadline": "deadline_workdays"}


@require_POST
@login_required
def case_action(request, pk: int, action: str):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if action not in TRANSITIONS:
        raise Http404
    form = CaseActionForm(request.POST, request.FILES, action=as_action(action), case=case, prefix=action)
    if not form.is_valid():
        return _refused(request, case, as_action(action), form)
    data = dict(form.cleaned_data)
    details = {
        k: v for k, v in data.items() if k not in ("comment", "expected_version", "public") and v not in (None, "")
    }
    if "master" in details:
        details["master"] = (
            scopes.cases_visible_to(request.user).filter(number=details["master"].strip().upper()).first()
        )
    try:
        services.case_act(
            case=case,
            action=action,
            by=request.user,
            comment=data.get("comment", ""),
            expected_version=data["expected_version"],
            public=data.get("public", True) if "public" in form.fields else True,
            files=request.FILES.getlist(f"{action}-attachments"),
            **details,
        )
    except DomainError as error:
        field = _ERROR_FIELDS.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        return _refused(request, case, as_action(action), form)
    messages.success(request, _("Done: %(action)s") % {"action": action_label(action)})
    return redirect("case-detail", pk=pk)


def _refused(request, case, action: Action, form: CaseActionForm):
    """The case page again with what was typed kept and the message beside the field. The form carries the
    case's current version, so sending it again after reading what changed meanwhile goes through; an action
    no longer open to the person is told as a message above the page."""
    case.refresh_from_db()
    if action not in services.actions_available(user=request.user, case=case):
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("case-detail", pk=case.pk)
    form.data = form.data.copy()
    form.data[form.add_prefix("expected_version")] = case.version
    context = _detail_context(request, case, refused=(action, form))
    return render(request, "cases/case_detail.html", context)


@login_required
def case_attachment(request, pk: int):
    """A case's or a case event's file, to whoever may see the case (and, for an enterprise, the event)."""
    attachment = get_object_or_404(Attachment, pk=pk, owner_type__in=["cases.case", "cases.caseevent"])
    if attachment.owner_type == "cases.case":
        selectors.case_get_for_user(user=request.user, pk=attachment.owner_id)
    else:
        event = get_object_or_404(CaseEvent, pk=attachment.owner_id)
        case = selectors.case_get_for_user(user=request.user, pk=event.case_id)
        if not selectors.case_events_for(user=request.user, case=case).filter(pk=event.pk).exists():
            raise Http404
    return attachment_response(attachment)


@allowed_if(scopes.can_see_case_figures)
def case_figures(request):
    if not request.GET:  # offices report the year to date unless they ask otherwise
        today = timezone.localdate()
        return redirect(f"{reverse('case-figures')}?date_from={today:%Y}-01-01&date_to={today:%Y-%m-%d}")
    form, filters = _filters(request, FiguresForm)
    group_by = form.cleaned_data.get("group_by") if form.is_bound and form.is_valid() else "department"
    figures = selectors.case_figures(user=request.user, filters=filters, group_by=group_by or "department")
    base = filters.as_query()
    group_key = {"lead_department": "department", "park": "park", "category": "category"}[figures["group_by"]]

    def links(extra: dict) -> dict:
        return {name: urlencode(base | extra | {"figure": name}) for name in FIGURES}

    for row in figures["rows"]:
        # the row of cases not assigned yet has no department to filter by; its links show all pending cases
        row["links"] = links({group_key: row["id"]} if row["id"] else {"status": "pending"})
    t = figures["total"]
    totals = [
        ("received", _("Received"), t["received"], ""),
        ("finished", _("Closure rate"), t["finish_rate"], "%"),
        ("on_time", _("On-time rate"), t["on_time_rate"], "%"),
        ("solved", _("Solved rate"), t["solve_rate"], "%"),
        ("satisfied", _("Satisfaction"), t["satisfaction_rate"], "%"),
        ("reworked", _("Rework rate"), t["rework_rate"], "%"),
        ("overdue", _("Overdue"), t["overdue"], ""),
        ("finished", _("Average working days"), t["avg_workdays"], ""),
    ]
    # cases with no department (not assigned yet) or no park are no unit to rank: they are told beside the ranking
    rows = [r for r in figures["rows"] if r["id"]]
    unplaced = next((r for r in figures["rows"] if not r["id"]), None)
    chart = {
        "names": [r["name"] for r in rows],
        "received": [r["received"] for r in rows],
        "finished": [r["finished"] for r in rows],
        "overdue": [r["overdue"] for r in rows],
        "on_time_rate": [r["on_time_rate"] for r in rows],
        "satisfaction_rate": [r["satisfaction_rate"] for r in rows],
        "labels": {
            "received": _("Received"),
            "finished": _("Closed"),
            "overdue": _("Overdue"),
            "on_time_rate": _("Closed on time %"),
            "satisfaction_rate": _("Satisfaction %"),
        },
    }
    context = {
        "form": form, "figures": figures, "ranked": rows, "unplaced": unplaced, "totals": totals, "links": links({}),
        "chart": chart,
        "unplaced_label": _("Not assigned yet") if group_key == "department" else _("Outside any park"),
    }  # fmt: skip
    # panels the modules add (the inspections' hazard rectification): each a template and its context, or None
    context["panels"] = [
        found
        for name, panel in registry.selectors().items()
        if name.startswith("case_figures.") and (found := panel(user=request.user, filters=filters))
    ]
    return render(request, "cases/figures.html", context)


@login_required
def visit_cases(request, pk: int):
    """走访收集的问题转为诉求: the officer picks a category for each problem; all become cases at once."""
    visit = enterprise_selectors.visit_get_for_user(user=request.user, pk=pk)
    if not scopes.can_raise_case(request.user) or not scopes.can_log_visit(request.user, visit.enterprise):
        raise PermissionDenied
    open_problems = enterprise_selectors.visit_problems_open(visit=visit)
    form = VisitCasesForm(request.POST or None, problems=open_problems)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        if not chosen:
            form.add_error(None, _("Choose a category for at least one problem"))
        else:
            try:
                cases = services.cases_from_visit(by=request.user, problems=chosen)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(n)d cases raised") % {"n": len(cases)})
                return redirect("visit-detail", pk=visit.pk)
    return render(request, "cases/visit_cases.html", {"visit": visit, "form": form})


@allowed_if(scopes.can_record_symposium)
def symposium_new(request):
    user = request.user
    enterprises = scopes.enterprises_visible_to(user)
    form = SymposiumForm(request.POST or None)
    formset = SymposiumProblemFormSet(request.POST or None, form_kwargs={"enterprises": enterprises}, prefix="p")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        problems = [
            (f.cleaned_data["enterprise"], f.cleaned_data["category"], f.cleaned_data["description"])
            for f in formset.forms
            if f.cleaned_data
        ]
        try:
            symposium = services.symposium_record(by=user, problems=problems, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Symposium recorded; %(n)d cases raised") % {"n": symposium.cases.count()})
            return redirect(reverse("case-list") + "?source=symposium")
    names = enterprises.order_by("name").values_list("name", flat=True)[:2000]
    return render(request, "cases/symposium_form.html", {"form": form, "formset": formset, "names": names})


@login_required
def supervision_notice_document(request, pk: int):
    """督办单 as a Word document, to print, stamp and file."""
    notice = get_object_or_404(SupervisionNotice.objects.select_related("case", "department", "issued_by"), pk=pk)
    selectors.case_get_for_user(user=request.user, pk=notice.case_id)
    if request.user.role == "enterprise_contact":
        raise Http404
    content = documents.supervision_notice_docx(notice)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-{notice.pk}.docx"'
    return response


@login_required
def enterprise_board(request, pk: int):
    """助企公示牌: the enterprise's service officer and a QR code that opens the demand form."""
    enterprise = enterprise_selectors.enterprise_get_for_user(user=request.user, pk=pk)
    context = {
        "enterprise": enterprise,
        "officer": enterprise.service_officer,
        "may_reissue": scopes.can_edit_enterprise(request.user, enterprise),
    }
    try:
        link = board.board_link(board.board_token(enterprise=enterprise, by=request.user))
    except DomainError as withdrawn:
        context["withdrawn"] = withdrawn.message
    else:
        qr = segno.make(link, error="m")
        buffer = io.BytesIO()
        qr.save(buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True)
        # generated by segno from our own URL
        context["qr_svg"] = mark_safe(buffer.getvalue().decode())  # noqa: S308  # nosec B308 B703
        context["link"] = link
    return render(request, "cases/enterprise_board.html", context)
