from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhuqi.core import scopes
from zhuqi.core.attachments import attachment_response
from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment
from zhuqi.core.permissions import allowed_if
from zhuqi.enterprises import selectors as enterprise_selectors
from zhuqi.enterprises.selectors import EnterpriseFilters

from . import ledger, selectors, services
from .forms import CampaignForm, InspectionRecordForm, InspectionStartForm, ReportForm, TeamForm
from .models import Answer, CampaignTarget, CampaignTeam, Outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEAMS_OFFERED = 3


def _report_filters(request) -> tuple[ReportForm, selectors.InspectionFilters]:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data:
        data.update({"date_from": f"{today:%Y}-01-01", "date_to": f"{today:%Y-%m-%d}"})
    form = ReportForm(data)
    if request.user.role == "department_handler":
        form.fields["department"].queryset = form.fields["department"].queryset.filter(pk=request.user.department_id)
    if request.user.role == "park_officer":
        form.fields["park"].queryset = form.fields["park"].queryset.filter(pk=request.user.park_id)
    if not form.is_valid():
        return form, selectors.InspectionFilters(date_from=today.replace(month=1, day=1), date_to=today)
    d = form.cleaned_data
    return form, selectors.InspectionFilters(
        date_from=d["date_from"],
        date_to=d["date_to"],
        department=d["department"] and d["department"].pk,
        park=d["park"] and d["park"].pk,
        campaign=d["campaign"],
        enterprise=d["enterprise"],
    )


def _report_links(filters: selectors.InspectionFilters) -> dict:
    inspections = f"{reverse('inspection-list')}?{urlencode(filters.as_query())}#records"
    hazards = filters.case_filters().as_query()
    cases = reverse("case-list")
    return {
        "outings": inspections,
        "visits": inspections,
        "found": f"{cases}?{urlencode(hazards)}",
        "rectified": f"{cases}?{urlencode(hazards | {'figure': 'finished'})}",
        "overdue": f"{cases}?{urlencode(hazards | {'flag': 'red'})}",
        "ledger": f"{reverse('hazard-ledger')}?{urlencode(filters.as_query())}",
    }


REPORT_SENTENCE = gettext_lazy(
    "In all, %(outings)s inspector-days out, %(visits)s enterprise inspections, %(found)s hazards found, "
    "%(rectified)s rectified"
)


def report_sentence(report: dict, links: dict) -> tuple[str, str]:
    """The sentence the bureau sends up, as linked HTML (each number opens its records) and as plain text."""
    names = ("outings", "visits", "found", "rectified")
    linked = {n: format_html('<a href="{}" id="report-{}">{}</a>', links[n], n, report[n]) for n in names}
    text = str(REPORT_SENTENCE) % {n: report[n] for n in names}
    # the translated sentence is escaped first; the links are built by format_html
    return mark_safe(conditional_escape(str(REPORT_SENTENCE)) % linked), text  # noqa: S308  # nosec B308 B703


@allowed_if(selectors.can_browse_inspections)
def inspection_list(request):
    """检查记录 with the report sentence for the chosen unit and period on top."""
    form, filters = _report_filters(request)
    user = request.user
    records = Paginator(selectors.inspection_list(user=user, filters=filters), 30).get_page(request.GET.get("page"))
    is_staff = user.role != "enterprise_contact"
    report = selectors.inspection_report(user=user, filters=filters) if is_staff else None
    links = _report_links(filters)
    context = {
        "form": form,
        "report": report,
        "sentence": report_sentence(report, links) if report else None,
        "links": links,
        "records": records,
        "query": urlencode(filters.as_query()),
        "drafts": selectors.inspection_list(user=user, drafts=True) if selectors.can_inspect(user) else [],
        "can_inspect": selectors.can_inspect(user),
        "can_plan": selectors.can_plan_campaigns(user),
        "campaign": selectors.campaigns_visible_to(user).filter(pk=filters.campaign).first()
        if filters.campaign
        else None,
        "is_staff": is_staff,
    }
    return render(request, "inspections/inspection_list.html", context)


@allowed_if(selectors.can_inspect)
def inspection_new(request):
    user = request.user
    enterprise = campaign = None
    try:
        if request.GET.get("enterprise"):
            enterprise = enterprise_selectors.enterprise_get_for_user(user=user, pk=int(request.GET["enterprise"]))
        if request.GET.get("campaign"):
            campaign = get_object_or_404(selectors.campaigns_visible_to(user), pk=int(request.GET["campaign"]))
    except ValueError:
        raise Http404 from None
    if enterprise is None:
        q = request.GET.get("q", "").strip()
        found = enterprise_selectors.enterprise_list(user=user, filters=EnterpriseFilters(q=q))[:20] if q else []
        return render(request, "inspections/inspection_pick.html", {"q": q, "found": found})
    checklists = selectors.checklists_usable()
    if campaign is not None:
        checklists = checklists.filter(pk=campaign.checklist_id)
    form = InspectionStartForm(request.POST or None, checklists=checklists)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_start(
                by=user, enterprise=enterprise, checklist=form.cleaned_data["checklist"], campaign=campaign,
                inspected_on=form.cleaned_data["inspected_on"],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("inspection-detail", pk=inspection.pk)
    context = {"form": form, "enterprise": enterprise, "campaign": campaign}
    return render(request, "inspections/inspection_new.html", context)


@allowed_if(selectors.can_browse_inspections)
def inspection_detail(request, pk: int):
    user = request.user
    inspection = selectors.inspection_get_for_user(user=user, pk=pk)
    editable = inspection.status == "draft" and (
        inspection.lead_inspector_id == user.pk or inspection.inspectors.filter(pk=user.pk).exists()
    )
    if not editable:
        return _inspection_record(request, inspection)
    form = InspectionRecordForm(request.POST or None, inspection=inspection, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = {
            "inspectors": data["inspectors"],
            "representative": data["representative"],
            "summary": data["summary"],
        }
        answers = form.answer_inputs(request.FILES)
        try:
            # saved first, in its own transaction, so that a refused submission keeps the answers and photos
            services.inspection_save(by=user, inspection=inspection, answers=answers, **people)
            if "submit" in request.POST:
                for given in answers.values():
                    given.photos = []
                services.inspection_submit(
                    by=user, inspection=inspection, answers=answers,
                    inspector_signature=data["inspector_signature"],
                    representative_signature=data["representative_signature"],
                    latitude=data["latitude"], longitude=data["longitude"], **people,
                )  # fmt: skip
                messages.success(request, _("Inspection submitted; hazards found have gone to the enterprise"))
            else:
                messages.success(request, _("Saved; you can carry on later"))
        except DomainError as error:
            form.add_error(_record_error_field(form, error.field), error.message)
        else:
            return redirect("inspection-detail", pk=inspection.pk)
    photos = {}
    for attachment in Attachment.objects.filter(
        owner_type="inspections.answer", owner_id__in=[a.pk for a in form.answers]
    ):
        photos.setdefault(attachment.owner_id, []).append(attachment)
    context = {"form": form, "inspection": inspection, "photos": photos}
    return render(request, "inspections/inspection_form.html", context)


def _record_error_field(form, field: str | None) -> str | None:
    """Where a refusal's message stands: a photo's beside its item, the signatures' beside the pads."""
    if field and field.startswith("photos_"):
        field = "outcome_" + field.removeprefix("photos_")
    elif field == "signatures":
        field = "inspector_signature"
    return field if field in form.fields else None


def _inspection_record(request, inspection):
    answers = list(inspection.answers.select_related("item"))
    visible = scopes.cases_visible_to(request.user).filter(hazard__inspection=inspection)
    hazards = {case.hazard.item_id: case for case in visible.select_related("hazard")}
    photos = {}
    for attachment in Attachment.objects.filter(owner_type="inspections.answer", owner_id__in=[a.pk for a in answers]):
        photos.setdefault(attachment.owner_id, []).append(attachment)
    for answer in answers:
        answer.photos = photos.get(answer.pk, [])
        answer.hazard_case = hazards.get(answer.item_id)
    counts = {o: sum(1 for a in answers if a.outcome == o) for o in Outcome.values}
    context = {"inspection": inspection, "answers": answers, "counts": counts}
    return render(request, "inspections/inspection_detail.html", context)


@allowed_if(selectors.can_browse_inspections)
def inspection_signature(request, pk: int, who: str):
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    field = {"inspector": inspection.inspector_signature, "representative": inspection.representative_signature}.get(
        who
    )
    if not field:
        raise Http404
    return HttpResponse(field.open("rb").read(), content_type="image/png")


@allowed_if(selectors.can_browse_inspections)
def inspection_photo(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk, owner_type="inspections.answer")
    answer = get_object_or_404(Answer, pk=attachment.owner_id)
    selectors.inspection_get_for_user(user=request.user, pk=answer.inspection_id)
    return attachment_response(attachment)


@allowed_if(selectors.can_browse_inspections)
def campaign_list(request):
    campaigns = selectors.campaign_list(user=request.user)
    return render(
        request,
        "inspections/campaign_list.html",
        {"campaigns": campaigns, "can_plan": selectors.can_plan_campaigns(request.user)},
    )


@allowed_if(selectors.can_plan_campaigns)
def campaign_new(request):
    user = request.user
    people = selectors.team_candidates(user)
    form = CampaignForm(request.POST or None, checklists=selectors.checklists_usable())
    teams = [
        TeamForm(request.POST or None, prefix=f"team{n}", people=people, initial={"name": _("Team %(n)d") % {"n": n}})
        for n in range(1, TEAMS_OFFERED + 1)
    ]
    if request.method == "POST" and form.is_valid() and all(t.is_valid() for t in teams):
        d = form.cleaned_data
        enterprises = scopes.enterprises_visible_to(user)
        if d["parks"]:
            enterprises = enterprises.filter(park__in=d["parks"])
        if d["tags"]:
            enterprises = enterprises.filter(tags__in=d["tags"]).distinct()
        if d["industry"]:
            enterprises = enterprises.filter(industry=d["industry"])
        try:
            campaign = services.campaign_create(
                by=user, name=d["name"], checklist=d["checklist"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                enterprises=enterprises, targets_described=form.targets_described(),
                teams=[services.TeamPlan(t.cleaned_data["name"], list(t.cleaned_data["members"])) for t in teams],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Campaign planned: %(n)d enterprises split among the teams") % {
                "n": campaign.targets.count()})  # fmt: skip
            return redirect("campaign-detail", pk=campaign.pk)
    return render(request, "inspections/campaign_form.html", {"form": form, "teams": teams})


@allowed_if(selectors.can_browse_inspections)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    filters = selectors.InspectionFilters(campaign=campaign.pk)
    report, links = selectors.inspection_report(user=request.user, filters=filters), _report_links(filters)
    context = {
        "campaign": campaign,
        "teams": campaign.teams.prefetch_related("members").select_related("leader"),
        "progress": selectors.campaign_team_progress(campaign=campaign),
        "targets": selectors.campaign_targets(campaign=campaign),
        "report": report,
        "sentence": report_sentence(report, links),
        "links": links,
        "can_split": request.user.pk == campaign.created_by_id
        or (request.user.role == "department_handler" and request.user.department_id == campaign.department_id),
        "can_inspect": selectors.can_inspect(request.user),
    }
    return render(request, "inspections/campaign_detail.html", context)


@require_POST
@allowed_if(selectors.can_plan_campaigns)
def campaign_assign(request, pk: int):
    target = get_object_or_404(
        CampaignTarget.objects.select_related("campaign"), pk=pk,
        campaign__in=selectors.campaigns_visible_to(request.user),
    )  # fmt: skip
    team_pk = request.POST.get("team") or None
    team = get_object_or_404(CampaignTeam, pk=team_pk) if team_pk else None
    try:
        services.campaign_assign(by=request.user, target=target, team=team)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("campaign-detail", pk=target.campaign_id)


@allowed_if(selectors.can_inspect)
def hazard_ledger(request):
    """隐患排查治理台账 for the same unit and period as the report."""
    _form, filters = _report_filters(request)
    content = ledger.hazard_ledger_export(
        hazards=selectors.hazards_for_ledger(user=request.user, filters=filters.case_filters()), by=request.user
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="hazard-ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
