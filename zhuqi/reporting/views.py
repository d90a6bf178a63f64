"""Pages: the firm fills its return on a phone one section at a time, the rules' messages beside each field as it
types (htmx); staff review it beside last year's values and approve or send it back; the zone runs campaigns."""

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import exports, selectors, services
from .forms import CampaignForm, UploadForm
from .models import ReturnState
from .workflow import Action, Part


@allowed_if(selectors.can_browse_returns)
def return_list(request):
    return render(
        request, "reporting/return_list.html", {"returns": selectors.returns_of_user(user=request.user)[:200]}
    )


def _posted_values(request, fields) -> dict:
    """The fields of the section posted, as typed (a boolean as 是/否, nothing for an unanswered one)."""
    return {f.indicator.code: request.POST.get(f"v-{f.indicator.code}", "").strip() for f in fields
            if f"v-{f.indicator.code}" in request.POST}  # fmt: skip


def _explanations(request, ret) -> dict:
    posted = {k.removeprefix("x-"): v for k, v in request.POST.items() if k.startswith("x-")}
    return {**ret.explanations, **posted}


@allowed_if(selectors.can_browse_returns)
def return_page(request, pk: int):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    page = selectors.return_page(ret=ret, user=request.user, section=request.GET.get("section", ""))
    template = "reporting/return_fill.html" if page["filling"] else "reporting/return_review.html"
    return render(request, template, {"ret": ret, **page})


@require_POST
@allowed_if(selectors.can_browse_returns)
def return_check(request, pk: int):
    """htmx: the section's values as typed so far, checked by every rule; each field's messages swapped in."""
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    page = selectors.return_page(ret=ret, user=request.user, section=request.POST.get("section", ""),
                                 typed=_posted_values(request, selectors.version_fields(ret.campaign.version)))  # fmt: skip
    return render(request, "reporting/_field_messages.html", {"ret": ret, **page})


@require_POST
@allowed_if(selectors.can_browse_returns)
def return_act(request, pk: int):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    section = request.POST.get("section", "")
    values = explanations = None
    if Part.FIRM in selectors.parts_of(request.user, ret):
        fields = selectors.version_fields(ret.campaign.version)
        values = {**ret.values, **_posted_values(request, fields)}
        explanations = _explanations(request, ret)
    try:
        services.return_act(ret=ret, action=action, by=request.user, comment=request.POST.get("comment", ""),
                            values=values, explanations=explanations,
                            seen_version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None)  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('return-page', args=[pk])}?section={section}")
    if action == Action.SAVE:
        messages.success(request, _("Saved"))
        return redirect(f"{reverse('return-page', args=[pk])}?section={request.POST.get('next', section)}")
    messages.success(request, _("Done: %(action)s") % {"action": Action(action).label})
    return redirect("return-page", pk=pk)


@allowed_if(selectors.can_browse_returns)
def return_template(request, pk: int):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    content = exports.return_template(ret=ret, by=request.user)
    return _xlsx(content, f"{ret.campaign.title}-{ret.enterprise.name}.xlsx")


@require_POST
@allowed_if(selectors.can_browse_returns)
def return_upload(request, pk: int):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            problems = exports.return_upload(ret=ret, fileobj=form.cleaned_data["file"], by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("return-page", pk=pk)
        if not problems:
            messages.success(request, _("The sheet was read and the return saved"))
            return redirect("return-page", pk=pk)
    page = selectors.return_page(ret=ret, user=request.user, section="")
    return render(request, "reporting/return_fill.html", {"ret": ret, **page, "problems": problems,
                                                           "upload_form": form}, status=400)  # fmt: skip


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _can_see_campaigns(user) -> bool:
    return user.role in ("zone_coordinator", "department_handler", "park_officer")


@allowed_if(_can_see_campaigns)
def campaign_list(request):
    form = None
    if selectors.can_run_campaigns(request.user):
        form = CampaignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    version=data["version"], period=data["period"], title=data["title"], opens_on=data["opens_on"],
                    due_on=data["due_on"], closes_on=data["closes_on"], by=request.user,
                    enterprise_ids=services.targets_resolve(parks=[p.pk for p in data["parks"]], scale=data["scale"],
                                                            tags=[t.pk for t in data["tags"]], high_tech=data["high_tech"]),
                    criteria={"parks": [p.name for p in data["parks"]], "tags": [t.name for t in data["tags"]],
                              "scale": data["scale"], "high_tech": data["high_tech"]},
                )  # fmt: skip
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("stats-campaign-detail", pk=campaign.pk)
    elif request.method == "POST":
        raise Http404
    campaigns = selectors.campaigns_visible_to(request.user).select_related("version__form")[:100]
    return render(request, "reporting/campaign_list.html", {"campaigns": campaigns, "form": form})


@allowed_if(_can_see_campaigns)
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    park = request.GET.get("park", "")
    state = request.GET.get("state", "")
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress(campaign=campaign, user=request.user),
        "returns": selectors.campaign_returns(
            campaign=campaign,
            user=request.user,
            park=int(park) if park.isdigit() else None,
            state=state if state in ReturnState.values else None,
        )[:500],  # fmt: skip
        "states": ReturnState.choices,
        "park": park,
        "state": state,
        "can_run": selectors.can_run_campaigns(request.user),
    }
    return render(request, "reporting/campaign_detail.html", context)


@require_POST
@allowed_if(selectors.can_run_campaigns)
def campaign_remind(request, pk: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    count = services.campaign_remind(campaign=campaign, by=request.user)
    messages.success(request, _("%(count)d enterprises reminded") % {"count": count})
    return redirect("stats-campaign-detail", pk=pk)


@allowed_if(_can_see_campaigns)
def campaign_export(request, pk: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return _xlsx(exports.campaign_export(campaign=campaign, user=request.user), f"{campaign.title}.xlsx")
