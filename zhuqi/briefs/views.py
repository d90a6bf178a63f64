"""Pages: parse the request, call one service or selector, render."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .forms import DraftForm, EditForm
from .models import BriefKind
from .render import brief_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@allowed_if(selectors.can_use_briefs)
def brief_list(request):
    kind = request.GET.get("kind", "")
    briefs = selectors.brief_list(user=request.user, kind=kind)[:200]
    return render(request, "briefs/list.html", {"briefs": briefs, "kinds": BriefKind.choices, "kind": kind})


@allowed_if(selectors.can_use_briefs)
def brief_new(request):
    user = request.user
    kinds = selectors.kinds_for(user)
    subjects = [s for k in (BriefKind.CAMPAIGN, BriefKind.ALERT) for s in selectors.subjects_for(user, k)]
    form = DraftForm(request.POST or None, units=selectors.units_for(user), kinds=kinds, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            brief = services.brief_draft(kind=d["kind"], unit_key=d["unit"], start=d["start"], end=d["end"],
                                         subject=d["subject"], by=user)  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("brief-detail", brief.pk)
    return render(request, "briefs/new.html", {"form": form, "kinds": kinds})


@allowed_if(selectors.can_use_briefs)
def brief_detail(request, pk):
    brief = selectors.brief_get_for_user(user=request.user, pk=pk)
    form = EditForm(request.POST or None, initial={"title": brief.title, "subtitle": brief.subtitle,
                                                   "seen_at": brief.updated_at})  # fmt: skip
    texts = [p["text"] for p in brief.paragraphs]
    if request.method == "POST":
        texts = request.POST.getlist("paragraph")
        if form.is_valid():
            try:
                services.brief_edit(brief=brief, title=form.cleaned_data["title"], texts=texts, by=request.user,
                                    subtitle=form.cleaned_data["subtitle"], seen_at=form.cleaned_data["seen_at"])  # fmt: skip
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved"))
                return redirect("brief-detail", brief.pk)
    paragraphs = [{"text": t, "heading": (brief.paragraphs[n].get("heading") if n < len(brief.paragraphs) else False)}
                  for n, t in enumerate(texts)]  # fmt: skip
    context = {
        "brief": brief,
        "form": form,
        "paragraphs": paragraphs,
        "versions": brief.versions.select_related("issued_by").defer("docx"),
        "events": brief.events.select_related("by"),
    }
    return render(request, "briefs/detail.html", context)


@require_POST
@allowed_if(selectors.can_use_briefs)
def brief_issue(request, pk):
    brief = selectors.brief_get_for_user(user=request.user, pk=pk)
    version = services.brief_issue(brief=brief, by=request.user, base_url=request.build_absolute_uri("/"))
    messages.success(request, _("Issued as version %(n)s") % {"n": version.number})
    return redirect("brief-detail", brief.pk)


@require_POST
@allowed_if(selectors.can_use_briefs)
def brief_redraft(request, pk):
    brief = selectors.brief_get_for_user(user=request.user, pk=pk)
    try:
        services.brief_redraft(brief=brief, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("brief-detail", brief.pk)


@allowed_if(selectors.can_use_briefs)
def brief_download(request, pk):
    brief = selectors.brief_get_for_user(user=request.user, pk=pk)
    content = brief_docx(brief, base_url=request.build_absolute_uri("/"))
    return _docx(content, f"brief-{brief.pk}-draft.docx")


@allowed_if(selectors.can_use_briefs)
def version_download(request, pk, number):
    brief = selectors.brief_get_for_user(user=request.user, pk=pk)
    version = selectors.version_get(brief=brief, number=number)
    return _docx(bytes(version.docx), f"brief-{brief.pk}-v{number}.docx")
