"""Writes of the evaluations: methods (imported as data, checked against their hand-worked firms, published),
the yearly run (scored in bulk, published for objections, objections decided, finalised and frozen), and the
zone's hand-entered figures for the national index. Every write in one transaction, with its audit record; the
changes of a firm's score are appended to ScoreChange."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.bulk import cycle_collection_paused, insert_rows
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.indicators.engine import RuleProblem
from zhuqi.notifications.services import notify
from zhuqi.org.models import Role, User

from . import selectors, workflow
from .models import (
    TIMELINE_KIND,
    Item,
    Method,
    MethodStatus,
    Objection,
    ObjectionStatus,
    Run,
    Score,
    ScoreChange,
    WorkedFirm,
    ZoneFigure,
)  # fmt: skip
from .scoring import as_decimal, grade_of, item_points, quantize


class EvaluationError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    WORKED_FIRM_MISMATCH = "worked_firm_mismatch"
    WRONG_STATUS = "wrong_status"
    ALREADY_OBJECTED = "already_objected"


def _refuse(message, code=EvaluationError.INVALID, field=None):
    raise DomainError(code, message, field=field)


# -- methods -------------------------------------------------------------------------------------------------------


@transaction.atomic
def method_import(*, spec: dict, park, by) -> Method:
    """A method as data (the TOML of data/*.toml, or the same dict from the API): a new draft version."""
    if not selectors.can_manage_runs(by, park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    head = spec["method"]
    last = Method.objects.filter(code=head["code"]).order_by("-version").first()
    method = Method.objects.create(
        park=park, code=head["code"], version=(last.version + 1) if last else 1, name=head["name"],
        document=head["document"], valid_from=head["valid_from"], valid_to=head.get("valid_to"),
        grades=head["grades"], exclusions=spec.get("exclusions", []),
    )  # fmt: skip
    _contents_write(method, spec)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=method)
    return method


def _contents_write(method: Method, spec: dict) -> None:
    Item.objects.bulk_create([
        Item(method=method, code=i["code"], name=i["name"], expression=i["expression"], unit=i.get("unit", ""),
             weight=as_decimal(i["weight"]), scoring=i["scoring"], params=i.get("params", {}), order=n)
        for n, i in enumerate(spec["items"])
    ])  # fmt: skip
    WorkedFirm.objects.bulk_create([
        WorkedFirm(method=method, label=w["label"], facts=w["facts"], points=w.get("points", {}),
                   total=as_decimal(w["total"]) if w.get("total") is not None else None, grade=w.get("grade", ""),
                   excluded=w.get("excluded", ""))
        for w in spec.get("worked", [])
    ])  # fmt: skip


@transaction.atomic
def method_create(*, park, code: str, name: str, document: str, valid_from, grades: list, by) -> Method:
    """A park's new method, version 1, a draft without items yet: they and the hand-worked firms are added by editing
    it."""
    if Method.objects.filter(code=code).exists():
        _refuse(_("A method with this code exists: make a new version of it"), field="code")
    return method_import(spec={"method": {"code": code, "name": name, "document": document, "valid_from": valid_from,
                                          "grades": grades}, "items": []}, park=park, by=by)  # fmt: skip


@transaction.atomic
def method_new_version(*, method: Method, by) -> Method:
    """The next version of a method, a draft copied from this one to be edited: the published version stays as it
    is, in force, until the new one reproduces its hand-worked firms and is published."""
    if not selectors.can_manage_runs(by, method.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    draft = selectors.method_draft_of(method)
    if draft is not None or method.status == MethodStatus.DRAFT:
        draft = draft or method
        _refuse(_("Version %(version)s of this method is a draft already: edit it") % {"version": draft.version},
                EvaluationError.WRONG_STATUS)  # fmt: skip
    return method_import(spec=selectors.method_spec_of(method), park=method.park, by=by)


@transaction.atomic
def method_update(*, method: Method, spec: dict, by) -> Method:
    """A draft's head, grades, exclusions, items and hand-worked firms replaced by those given (the same dict as an
    import). A published version is never edited: a new version is. Refused when an item or exclusion cannot be
    compiled, naming it."""
    method = Method.objects.select_for_update().get(pk=method.pk)
    if not selectors.can_manage_runs(by, method.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    if method.status != MethodStatus.DRAFT:
        _refuse(_("A published method is not edited: make a new version"), EvaluationError.WRONG_STATUS)
    head = spec["method"]
    if not spec["items"]:
        _refuse(_("A method has at least one item"), field="items")
    if not head["grades"]:
        _refuse(_("Give the grades and the points each needs"), field="grades")
    if head.get("valid_to") and head["valid_to"] < head["valid_from"]:
        _refuse(_("The end of validity is before its start"), field="valid_to")
    try:
        selectors.scorer_of_spec(spec)
    except RuleProblem as exc:
        _refuse(_("The method cannot be compiled: %(error)s") % {"error": exc}, field="items")
    before = {"items": method.items.count(), "worked": method.worked.count()}
    for name in ("name", "document", "valid_from", "valid_to", "grades"):
        setattr(method, name, head.get(name))
    method.exclusions = spec.get("exclusions", [])
    method.save()
    method.items.all().delete()
    method.worked.all().delete()
    _contents_write(method, spec)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=method, changes={
        "items": [before["items"], len(spec["items"])], "worked": [before["worked"], len(spec.get("worked", []))]})  # fmt: skip
    return method


def method_check(*, method: Method) -> list[str]:
    """What the method gets wrong about its hand-worked firms, one Chinese sentence each (empty: all reproduced)."""
    try:
        scorer = selectors.scorer_for(method)
    except RuleProblem as exc:
        return [_("The method cannot be compiled: %(error)s") % {"error": exc}]
    problems = []
    worked = list(method.worked.all())
    if not worked:
        return [_("The method has no hand-worked firms to check it against")]
    names = {item.code: item.name for item in scorer.items}
    labels = {e.code: e.label for e in scorer.exclusions}
    for firm in worked:
        result = scorer.score(firm.facts)
        if firm.excluded:
            if result.excluded != labels.get(firm.excluded, firm.excluded):
                problems.append(_("Firm %(firm)s: should be excluded (%(why)s), the method scores it")
                                % {"firm": firm.label, "why": labels.get(firm.excluded, firm.excluded)})  # fmt: skip
            continue
        if result.excluded:
            problems.append(_("Firm %(firm)s: the method excludes it (%(why)s), the worked sheet scores it")
                            % {"firm": firm.label, "why": result.excluded})  # fmt: skip
            continue
        for n, item in enumerate(scorer.items):
            if item.code in firm.points and quantize(as_decimal(firm.points[item.code])) != result.points[n]:
                problems.append(_("Firm %(firm)s, item %(item)s: %(expected)s points by hand, %(got)s by the method")
                                % {"firm": firm.label, "item": names[item.code], "expected":
                                   quantize(as_decimal(firm.points[item.code])), "got": result.points[n]})  # fmt: skip
        if firm.total is not None and quantize(firm.total) != result.total:
            problems.append(_("Firm %(firm)s: total %(expected)s by hand, %(got)s by the method")
                            % {"firm": firm.label, "expected": quantize(firm.total), "got": result.total})  # fmt: skip
        if firm.grade and firm.grade != result.grade:
            problems.append(_("Firm %(firm)s: grade %(expected)s by hand, %(got)s by the method")
                            % {"firm": firm.label, "expected": firm.grade, "got": result.grade})  # fmt: skip
    return problems


@transaction.atomic
def method_publish(*, method: Method, by) -> Method:
    """Publish a draft method: refused, naming the firm and item, unless it reproduces every hand-worked firm."""
    method = Method.objects.select_for_update().get(pk=method.pk)
    if not selectors.can_manage_runs(by, method.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    if method.status != MethodStatus.DRAFT:
        _refuse(_("Only a draft method can be published"), EvaluationError.WRONG_STATUS)
    problems = method_check(method=method)
    if problems:
        _refuse(_("The method does not reproduce its hand-worked firms: %(problems)s")
                % {"problems": "；".join(problems)}, EvaluationError.WORKED_FIRM_MISMATCH)  # fmt: skip
    Method.objects.filter(code=method.code, status=MethodStatus.PUBLISHED).update(status=MethodStatus.RETIRED)
    method.status, method.published_at, method.published_by = MethodStatus.PUBLISHED, timezone.now(), by
    method.save(update_fields=["status", "published_at", "published_by"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=method, changes={"status": ["draft", "published"]})
    return method


# -- the yearly run ------------------------------------------------------------------------------------------------


def _locked(run: Run, action: str, by) -> Run:
    run = Run.objects.select_for_update().select_related("method", "park").get(pk=run.pk)
    if not workflow.allowed(action, run.status):
        _refuse(_("This cannot be done while the list is %(status)s") % {"status": run.get_status_display()},
                EvaluationError.WRONG_STATUS)  # fmt: skip
    return run


@transaction.atomic
def run_create(*, method: Method, year: int, by) -> Run:
    if not selectors.can_manage_runs(by, method.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    if method.status != MethodStatus.PUBLISHED:
        _refuse(_("Only a published method can be used"), EvaluationError.WRONG_STATUS)
    if Run.objects.filter(park=method.park, year=year).exists():
        _refuse(_("This park's evaluation of %(year)s exists already") % {"year": year}, field="year")
    run = Run.objects.create(method=method, park=method.park, year=year, created_by=by)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=run)
    return run


@transaction.atomic
def run_score(*, run: Run, by, enterprise_ids: list[int] | None = None) -> int:
    """Score every firm of the park (or those given) from its facts of the year: facts in a few queries, one
    compiled method, the scores written in bulk. Only a draft list is (re)scored."""
    run = _locked(run, "score", by)
    if not selectors.can_manage_runs(by, run.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    firms = enterprise_ids if enterprise_ids is not None else selectors.firms_of_run(run)
    Score.objects.filter(run=run).delete()
    with cycle_collection_paused():  # a few small objects per firm, no cycles (in a worker process only)
        scores = selectors.scores_compute(method=run.method, enterprises=firms, year=run.year)
        ranked = sorted((-s.total, eid) for eid, s in scores.items() if s.total is not None)
        rank = {eid: n for n, (_total, eid) in enumerate(ranked, 1)}
        insert_rows(Score, ["enterprise_id", "total", "grade", "excluded", "rank", "items"],
                    ((eid, s.total, s.grade, s.excluded, rank.get(eid), s.compact()) for eid, s in scores.items()),
                    constants={"run_id": run.pk})  # fmt: skip
    run.scored_at = timezone.now()
    run.save(update_fields=["scored_at"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=run, detail=f"scored {len(scores)}")
    return len(scores)


@transaction.atomic
def run_publish_draft(*, run: Run, by, objections_until: datetime.date) -> Run:
    """The draft list goes to the firms, who may object until the date given."""
    run = _locked(run, "publish_draft", by)
    if not selectors.can_manage_runs(by, run.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    if not run.scores.exists():
        _refuse(_("Score the firms before publishing the list"), EvaluationError.WRONG_STATUS)
    run.status, run.published_at, run.objections_until = (
        workflow.target("publish_draft"),
        timezone.now(),
        objections_until,
    )
    run.save(update_fields=["status", "published_at", "objections_until"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=run, changes={"status": ["draft", run.status]})
    notify(_firm_people(run), url=reverse("evaluation-run-detail", args=[run.pk]),
           title=_("%(park)s's evaluation of %(year)s is published: objections until %(day)s")
           % {"park": run.park.name, "year": run.year, "day": objections_until},
           body=_("Your firm's score is on the list, item by item. If an item is wrong, object once, with evidence, "
                  "before the day given."))  # fmt: skip
    return run


def _firm_people(run: Run):
    """The contacts of the firms on a run's list (its published list is theirs to see)."""
    return User.objects.filter(role=Role.ENTERPRISE_CONTACT, is_active=True,
                               enterprise_id__in=Score.objects.filter(run=run).values("enterprise_id"))  # fmt: skip


@transaction.atomic
def objection_file(*, run: Run, by, text: str, evidence, item_code: str = "") -> Objection:
    """A firm's one objection to its draft score, with evidence."""
    run = _locked(run, "object", by)
    enterprise_id = getattr(by, "enterprise_id", None)
    if not selectors.can_object(by) or not run.scores.filter(enterprise_id=enterprise_id).exists():
        _refuse(_("Only a firm on this list may object to its own score"), EvaluationError.NOT_ALLOWED)
    if run.objections_until and timezone.localdate() > run.objections_until:
        _refuse(_("The time for objections ended on %(day)s") % {"day": run.objections_until},
                EvaluationError.WRONG_STATUS)  # fmt: skip
    text = (text or "").strip()
    if len(text) < 5:
        _refuse(_("Say what is wrong with the score (at least 5 characters)"), field="text")
    if evidence is None:
        _refuse(_("Attach the evidence (a PDF or a photo)"), field="evidence")
    if item_code and item_code not in {i.code for i in run.method.items.all()}:
        _refuse(_("Choose an item of the method"), field="item_code")
    if Objection.objects.filter(run=run, enterprise_id=enterprise_id).exists():
        _refuse(_("Your firm has objected already: one objection per firm"), EvaluationError.ALREADY_OBJECTED)
    objection = Objection.objects.create(run=run, enterprise_id=enterprise_id, item_code=item_code, text=text,
                                         evidence=evidence, filed_by=by)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=objection)
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, by, upheld: bool, reason: str, corrected_value=None) -> Objection:
    """The park decides an objection with a reason; upheld with a corrected value of the item objected to, the
    firm's score is recomputed and the change appended to the log."""
    objection = Objection.objects.select_for_update().select_related("run").get(pk=objection.pk)
    run = _locked(objection.run, "decide", by)
    if not selectors.can_manage_runs(by, run.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    if objection.status != ObjectionStatus.PENDING:
        _refuse(_("This objection has been decided"), EvaluationError.WRONG_STATUS)
    reason = (reason or "").strip()
    if len(reason) < 5:
        _refuse(_("Give the reason of the decision (at least 5 characters)"), field="reason")
    if upheld and objection.item_code:
        if corrected_value in (None, ""):
            _refuse(_("Give the corrected value of the item"), field="corrected_value")
        try:
            value = Decimal(str(corrected_value))
        except InvalidOperation:
            _refuse(_("The corrected value must be a number"), field="corrected_value")
        score_item_correct(run=run, enterprise_id=objection.enterprise_id, item_code=objection.item_code,
                           value=value, by=by, reason=reason)  # fmt: skip
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.reason, objection.decided_by, objection.decided_at = reason, by, timezone.now()
    objection.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=objection, changes={"status": ["pending", objection.status]})
    score = Score.objects.get(run=run, enterprise_id=objection.enterprise_id)
    people = User.objects.filter(Q(pk=objection.filed_by_id) | Q(role=Role.ENTERPRISE_CONTACT,
                                                                  enterprise_id=objection.enterprise_id))  # fmt: skip
    notify(people, url=reverse("evaluation-score-detail", args=[score.pk]),
           title=(_("Your objection to the evaluation of %(year)s is upheld") if upheld
                  else _("Your objection to the evaluation of %(year)s is rejected")) % {"year": run.year},
           body=_("Reason: %(reason)s. Your score now: %(total)s points, grade %(grade)s.")
           % {"reason": reason, "total": score.total, "grade": score.grade or "—"})  # fmt: skip
    return objection


def score_item_correct(*, run: Run, enterprise_id: int, item_code: str, value, by, reason: str) -> Score:
    """One item's value corrected (an upheld objection): its points, the total and the grade recomputed, the
    change logged. Called inside the decision's transaction, on a list not yet final."""
    score = Score.objects.select_for_update().get(run=run, enterprise_id=enterprise_id)
    items = list(run.method.items.all())
    n = next(i for i, item in enumerate(items) if item.code == item_code)
    spec = selectors.item_spec(items[n])
    before = {"value": score.items["v"][n], "points": score.items["p"][n], "total": str(score.total),
              "grade": score.grade}  # fmt: skip
    points = item_points(spec, value)
    score.items["v"][n], score.items["p"][n] = float(value), float(points)
    total = max(Decimal(0), sum((Decimal(str(p)) for p in score.items["p"]), Decimal(0)))
    score.total, score.grade = quantize(total), grade_of(quantize(total), sorted(
        run.method.grades, key=lambda g: -as_decimal(g["min"])))  # fmt: skip
    score.save(update_fields=["items", "total", "grade"])
    ScoreChange.objects.create(run=run, enterprise_id=enterprise_id, item_code=item_code, before=before, reason=reason,
                               after={"value": float(value), "points": float(points), "total": str(score.total),
                                      "grade": score.grade}, by=by)  # fmt: skip
    _rerank(run)
    return score


def _rerank(run: Run) -> None:
    scores = list(Score.objects.filter(run=run, total__isnull=False).order_by("-total", "enterprise_id"))
    for n, score in enumerate(scores, 1):
        score.rank = n
    Score.objects.bulk_update(scores, ["rank"], batch_size=2000)


@transaction.atomic
def run_finalise(*, run: Run, by) -> Run:
    """The final list: every objection decided; frozen from now on, and each firm's grade on its file."""
    run = _locked(run, "finalise", by)
    if not selectors.can_manage_runs(by, run.park):
        _refuse(_("You may not manage this park's evaluation"), EvaluationError.NOT_ALLOWED)
    pending = run.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        _refuse(_("%(n)d objections are still to be decided") % {"n": pending}, EvaluationError.WRONG_STATUS)
    run.status, run.finalised_at = workflow.target("finalise"), timezone.now()
    run.save(update_fields=["status", "finalised_at"])
    TimelineEntry.objects.bulk_create([
        TimelineEntry(enterprise_id=s.enterprise_id, kind=TIMELINE_KIND, actor=by, occurred_at=run.finalised_at,
                      summary=(f"{run.year} 年度企业绩效综合评价：{s.grade} 级，{s.total} 分，园区第 {s.rank} 名"
                               if s.grade else f"{run.year} 年度企业绩效综合评价：不参评（{s.excluded}）"),
                      details={"evaluation_score": s.pk, "evaluation_run": run.pk, "grade": s.grade})
        for s in run.scores.all()
    ])  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=run, changes={"status": ["objections", "final"]})
    notify(_firm_people(run), url=reverse("evaluation-run-detail", args=[run.pk]),
           title=_("%(park)s's evaluation of %(year)s is final") % {"park": run.park.name, "year": run.year},
           body=_("The final list is published and will not change; your firm's grade is on its file."))  # fmt: skip
    return run


# -- the national index --------------------------------------------------------------------------------------------


@transaction.atomic
def zone_figure_enter(*, year: int, code: str, value, source: str, by) -> ZoneFigure:
    if not selectors.can_enter_zone_figures(by):
        _refuse(_("Only the zone office enters the zone's figures"), EvaluationError.NOT_ALLOWED)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        _refuse(_("The value must be a number"), field="value")
    if not (source or "").strip():
        _refuse(_("Say where the figure comes from"), field="source")
    before = ZoneFigure.objects.filter(year=year, code=code).values_list("value", flat=True).first()
    figure, created = ZoneFigure.objects.update_or_create(
        year=year, code=code, defaults={"value": number, "source": source.strip(), "entered_by": by,
                                        "entered_at": timezone.now()})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE if created else AuditEvent.UPDATE, obj=figure,
                 changes={"value": ["" if before is None else str(before), str(number)]})  # fmt: skip
    return figure
