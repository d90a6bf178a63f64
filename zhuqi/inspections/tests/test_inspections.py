"""Checklists kept by version, campaigns split among teams, the inspection record from start to signed
submission, and the bureau's report sentence with each number opening its records."""

import datetime

import pytest
from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.cases.workflow import Status
from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment
from zhuqi.enterprises.models import Tag, TimelineEntry
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.inspections import selectors, services
from zhuqi.inspections.models import Campaign, CampaignTarget, Hazard, HazardGrade, Inspection, Outcome, RiskColour
from zhuqi.inspections.services import AnswerInput, TeamPlan
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import UserFactory

from .factories import ITEMS, SIGNATURE, make_checklist, photo


@pytest.fixture
def bureau(zone):
    inspector = zone.users["department"]
    colleague = UserFactory(username="inspector2", role=Role.DEPARTMENT_HANDLER, department=inspector.department)
    checklist = make_checklist(inspector.department, by=inspector)
    return {"inspector": inspector, "colleague": colleague, "checklist": checklist, "zone": zone}


def answers_for(inspection, hazard_at=None, **hazard):
    result = {}
    for answer in inspection.answers.select_related("item"):
        if answer.item.position == hazard_at:
            result[answer.item_id] = AnswerInput(outcome=Outcome.HAZARD, photos=[photo()], **hazard)
        else:
            result[answer.item_id] = AnswerInput(outcome=Outcome.PASSED)
    return result


def submit(bureau, inspection, by=None, **overrides):
    arguments = {
        "by": by or bureau["inspector"],
        "inspection": inspection,
        "answers": answers_for(inspection, hazard_at=2, place="二号车间"),
        "inspectors": [bureau["colleague"]],
        "representative": "王安全",
        "inspector_signature": SIGNATURE,
        "representative_signature": SIGNATURE,
    }
    return services.inspection_submit(**(arguments | overrides))


def test_an_inspection_keeps_the_checklist_version_it_used(bureau):
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=bureau["zone"].enterprise_a, checklist=bureau["checklist"]
    )
    revised = [*ITEMS, {"text": "应急预案已修订并演练", "legal_basis": "《生产安全事故应急条例》"}]
    services.checklist_publish(
        by=bureau["inspector"], checklist=bureau["checklist"], items=revised, note="增加应急预案"
    )
    inspection.refresh_from_db()
    assert inspection.checklist_version.number == 1
    assert inspection.answers.count() == 3
    assert bureau["checklist"].current_version.number == 2
    later = services.inspection_start(
        by=bureau["inspector"], enterprise=bureau["zone"].enterprise_b, checklist=bureau["checklist"]
    )
    assert later.answers.count() == 4


def test_a_checklist_item_must_say_what_is_checked(bureau):
    with pytest.raises(DomainError, match="第 2 项"):
        services.checklist_publish(
            by=bureau["inspector"], checklist=bureau["checklist"], items=[{"text": "消防通道畅通"}, {"text": " "}]
        )
    assert bureau["checklist"].versions.count() == 1


def test_submitting_sends_each_hazard_to_the_enterprise_with_its_deadline(bureau):
    zone = bureau["zone"]
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=zone.enterprise_a, checklist=bureau["checklist"]
    )
    submit(bureau, inspection)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SUBMITTED
    assert inspection.inspector_signature and inspection.representative_signature
    case = Case.objects.get(kind="hazard")
    assert case.enterprise == zone.enterprise_a and case.status == Status.IN_PROGRESS
    assert case.lead_department == bureau["inspector"].department
    assert case.deadline > inspection.inspected_on
    hazard = case.hazard
    # the item was 较大 (serious): a general hazard in orange unless the inspector says otherwise
    assert (hazard.grade, hazard.colour, hazard.place, hazard.inspection) == (
        HazardGrade.GENERAL, RiskColour.ORANGE, "二号车间", inspection,
    )  # fmt: skip
    assert Attachment.objects.filter(owner_type="cases.case", owner_id=case.pk).count() == 1
    assert zone.users["enterprise_a"].notifications.filter(title__contains=case.number).exists()
    assert TimelineEntry.objects.filter(enterprise=zone.enterprise_a, kind="inspection").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"representative": ""}, "企业陪同人员"),
        ({"representative_signature": ""}, "必须签名"),
        ({"inspector_signature": "data:image/png;base64,bm90IGEgcG5n"}, "无法读取"),
    ],
)
def test_a_record_missing_a_signature_or_representative_is_refused_whole(bureau, change, message):
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=bureau["zone"].enterprise_a, checklist=bureau["checklist"]
    )
    with pytest.raises(DomainError, match=message):
        submit(bureau, inspection, **change)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT
    assert not Case.objects.exists() and not Hazard.objects.exists()


def test_every_item_must_be_answered_and_a_hazard_photographed(bureau):
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=bureau["zone"].enterprise_a, checklist=bureau["checklist"]
    )
    answers = answers_for(inspection)
    first = next(iter(answers))
    answers[first] = AnswerInput()
    with pytest.raises(DomainError, match="尚未填写：1"):
        submit(bureau, inspection, answers=answers)
    answers[first] = AnswerInput(outcome=Outcome.HAZARD)
    with pytest.raises(DomainError, match="隐患照片"):
        submit(bureau, inspection, answers=answers)
    assert not Case.objects.exists()


def test_a_draft_keeps_its_answers_and_only_its_inspectors_fill_it(bureau):
    zone = bureau["zone"]
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=zone.enterprise_a, checklist=bureau["checklist"]
    )
    answers = answers_for(inspection, hazard_at=3)
    services.inspection_save(by=bureau["inspector"], inspection=inspection, answers=answers, representative="王安全")
    assert inspection.answers.filter(outcome=Outcome.HAZARD).count() == 1
    assert Attachment.objects.filter(owner_type="inspections.answer").count() == 1
    with pytest.raises(DomainError, match="只有参加检查的人员"):
        services.inspection_save(by=zone.users["coordinator"], inspection=inspection, answers={})
    submit(bureau, inspection, answers={k: AnswerInput(outcome=v.outcome) for k, v in answers.items()})
    # the photo saved with the draft is the hazard's evidence
    case = Case.objects.get(kind="hazard")
    assert case.hazard.grade == HazardGrade.MAJOR and case.hazard.colour == RiskColour.RED
    assert Attachment.objects.filter(owner_type="cases.case", owner_id=case.pk).exists()
    with pytest.raises(DomainError, match="已提交"):
        services.inspection_save(by=bureau["inspector"], inspection=inspection, answers={})


def test_a_park_officer_inspects_only_the_parks_own_enterprises(bureau):
    zone = bureau["zone"]
    services.inspection_start(by=zone.users["officer_a"], enterprise=zone.enterprise_a, checklist=bureau["checklist"])
    with pytest.raises(DomainError):
        services.inspection_start(
            by=zone.users["officer_a"], enterprise=zone.enterprise_b, checklist=bureau["checklist"]
        )


def test_person_times_count_each_inspector_once_a_day_and_visits_each_record(bureau):
    """Two inspectors visiting two firms on one day: 2 人次, 2 家次; a third firm the next day: 4 人次, 3 家次."""
    zone = bureau["zone"]
    third = EnterpriseFactory(name="平顶山宁科商贸有限公司", park=zone.park_a)
    day = datetime.date(2026, 11, 2)
    for enterprise, on in ((zone.enterprise_a, day), (zone.enterprise_b, day), (third, day + datetime.timedelta(1))):
        inspection = services.inspection_start(
            by=bureau["inspector"], enterprise=enterprise, checklist=bureau["checklist"], inspected_on=on
        )
        submit(bureau, inspection, answers=answers_for(inspection, hazard_at=1 if enterprise == third else None))
    report = selectors.inspection_report(user=bureau["inspector"], filters=selectors.InspectionFilters())
    assert (report["outings"], report["visits"], report["found"], report["rectified"]) == (4, 3, 1, 0)
    one_day = selectors.InspectionFilters(date_from=day, date_to=day)
    assert selectors.inspection_report(user=bureau["inspector"], filters=one_day)["outings"] == 2
    # a hazard found on an earlier day counts on that day
    assert Case.objects.get(kind="hazard").created_at.date() == day + datetime.timedelta(1)


def test_each_number_of_the_report_opens_the_records_it_counts(bureau, client_as):
    zone = bureau["zone"]
    for enterprise in (zone.enterprise_a, zone.enterprise_b):
        inspection = services.inspection_start(
            by=bureau["inspector"], enterprise=enterprise, checklist=bureau["checklist"]
        )
        submit(bureau, inspection)
    client = client_as(bureau["inspector"])
    page = client.get(reverse("inspection-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-outings">2</a>' in html and 'id="report-visits">2</a>' in html
    assert 'id="report-found">2</a>' in html and 'id="report-rectified">0</a>' in html
    links = page.context["links"]
    found = client.get(links["found"])
    assert found.context["page"].paginator.count == 2
    listed = client.get(links["visits"].split("#")[0])
    assert listed.context["records"].paginator.count == 2
    rectified = client.get(links["rectified"])
    assert rectified.context["page"].paginator.count == 0


def test_a_campaign_splits_its_targets_among_the_teams_and_tracks_coverage(bureau):
    zone = bureau["zone"]
    chemicals = Tag.objects.create(name="危化企业")
    firms = [
        EnterpriseFactory(name=f"平顶山化工{n}有限公司", park=zone.park_a if n < 3 else zone.park_b) for n in range(5)
    ]
    for firm in firms:
        firm.tags.add(chemicals)
    third = UserFactory(username="inspector3", role=Role.DEPARTMENT_HANDLER, department=bureau["inspector"].department)
    campaign = services.campaign_create(
        by=bureau["inspector"], name="节后危化企业安全检查", checklist=bureau["checklist"],
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 11, 30),
        enterprises=zone.enterprise_a.__class__.objects.filter(tags=chemicals),
        teams=[TeamPlan("第一组", [bureau["inspector"], bureau["colleague"]]), TeamPlan("第二组", [third])],
    )  # fmt: skip
    shares = {t.name: t.targets.count() for t in campaign.teams.all()}
    assert shares == {"第一组": 3, "第二组": 2}
    # the first team's share is park A's three, kept together
    assert {t.enterprise.park_id for t in campaign.targets.filter(team__name="第一组")} == {zone.park_a.pk}
    inspection = services.inspection_start(
        by=third, enterprise=firms[4], checklist=bureau["checklist"], campaign=campaign
    )
    submit(bureau, inspection, by=third, inspectors=[])
    listed = selectors.campaign_list(user=bureau["inspector"]).get(pk=campaign.pk)
    assert (listed.covered, listed.targeted) == (1, 5)
    progress = {
        p["team__name"]: (p["covered"], p["targeted"]) for p in selectors.campaign_team_progress(campaign=campaign)
    }
    assert progress == {"第一组": (0, 3), "第二组": (1, 2)}
    with pytest.raises(DomainError, match="不在本次专项检查"):
        services.inspection_start(
            by=third, enterprise=zone.enterprise_b, checklist=bureau["checklist"], campaign=campaign
        )


def test_a_campaign_needs_members_from_the_planners_own_unit(bureau):
    zone = bureau["zone"]
    with pytest.raises(DomainError, match="本单位"):
        services.campaign_create(
            by=bureau["inspector"], name="专项检查", checklist=bureau["checklist"],
            starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 11, 30),
            enterprises=zone.enterprise_a.__class__.objects.all(), teams=[TeamPlan("第一组", [zone.users["officer_b"]])],
        )  # fmt: skip
    assert not Campaign.objects.exists() and not CampaignTarget.objects.exists()


def test_the_campaign_pages_plan_split_and_move(bureau, client_as):
    zone = bureau["zone"]
    client = client_as(bureau["inspector"])
    data = {
        "name": "冬季安全生产检查", "checklist": bureau["checklist"].pk, "starts_on": "2026-11-01",
        "ends_on": "2026-11-30", "parks": [zone.park_a.pk, zone.park_b.pk], "industry": "",
        "team1-name": "第一组", "team1-members": [bureau["colleague"].pk], "team2-name": "第二组",
        "team2-members": [bureau["inspector"].pk], "team3-name": "",
    }  # fmt: skip
    response = client.post(reverse("campaign-new"), data)
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaign-detail", args=[campaign.pk])
    target = campaign.targets.get(team__name="第一组")
    other = campaign.teams.get(name="第二组")
    client.post(reverse("campaign-assign", args=[target.pk]), {"team": other.pk})
    assert campaign.targets.filter(team=other).count() == 2
    page = client.get(reverse("campaign-detail", args=[campaign.pk]))
    assert page.status_code == 200 and "冬季安全生产检查" in page.content.decode()
    # a park officer is not on it and cannot see it
    assert client_as(zone.users["officer_b"]).get(reverse("campaign-detail", args=[campaign.pk])).status_code == 404


def test_the_inspection_page_fills_and_submits_from_a_phone_form(bureau, client_as):
    zone = bureau["zone"]
    client = client_as(bureau["inspector"])
    start = client.post(
        f"{reverse('inspection-new')}?enterprise={zone.enterprise_a.pk}",
        {"checklist": bureau["checklist"].pk, "inspected_on": "2026-11-20"},
    )
    inspection = Inspection.objects.get()
    assert start.url == reverse("inspection-detail", args=[inspection.pk])
    form = {"representative": "王安全", "inspector_signature": SIGNATURE, "representative_signature": SIGNATURE}
    for answer in inspection.answers.select_related("item"):
        form[f"outcome_{answer.item_id}"] = "hazard" if answer.item.position == 1 else "passed"
        form[f"grade_{answer.item_id}"] = "general"
        form[f"colour_{answer.item_id}"] = "yellow"
    hazard_item = inspection.answers.get(item__position=1).item_id
    form[f"photos_{hazard_item}"] = photo()
    form[f"description_{hazard_item}"] = "消防通道堆放纸箱"
    form[f"deadline_{hazard_item}"] = "2026-11-27"
    response = client.post(reverse("inspection-detail", args=[inspection.pk]), form | {"submit": "1"})
    assert response.status_code == 302
    case = Case.objects.get(kind="hazard")
    assert case.description == "消防通道堆放纸箱" and case.deadline == datetime.date(2026, 11, 27)
    record = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert case.number in record and "王安全" in record
    signature = client.get(reverse("inspection-signature", args=[inspection.pk, "representative"]))
    assert signature["Content-Type"] == "image/png"


def test_a_refused_submission_keeps_what_was_entered(bureau, client_as):
    zone = bureau["zone"]
    client = client_as(bureau["inspector"])
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=zone.enterprise_a, checklist=bureau["checklist"]
    )
    form = {"representative": "王安全"}
    for answer in inspection.answers.all():
        form[f"outcome_{answer.item_id}"] = "passed"
        form[f"grade_{answer.item_id}"] = "general"
        form[f"colour_{answer.item_id}"] = "yellow"
    response = client.post(reverse("inspection-detail", args=[inspection.pk]), form | {"submit": "1"})
    assert response.status_code == 200 and "必须签名" in response.content.decode()
    assert inspection.answers.filter(outcome="passed").count() == 3
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT and inspection.representative == "王安全"


def test_who_sees_which_inspection(bureau, client_as):
    zone = bureau["zone"]
    inspection = services.inspection_start(
        by=bureau["inspector"], enterprise=zone.enterprise_a, checklist=bureau["checklist"]
    )
    url = reverse("inspection-detail", args=[inspection.pk])
    # a draft is the inspectors' own
    assert client_as(zone.users["enterprise_a"]).get(url).status_code == 404
    submit(bureau, inspection)
    expected = {
        "coordinator": 200, "department": 200, "officer_a": 200, "officer_b": 404, "enterprise_a": 200,
        "enterprise_b": 404, "grid_a": 403, "auditor": 403,
    }  # fmt: skip
    for name, status in expected.items():
        client = client_as(zone.users[name])
        assert client.get(url).status_code == status, name
        signature = client.get(reverse("inspection-signature", args=[inspection.pk, "inspector"]))
        assert signature.status_code == status, name
    photo_row = Attachment.objects.filter(owner_type="inspections.answer").first()
    assert (
        client_as(zone.users["enterprise_b"]).get(reverse("inspection-photo", args=[photo_row.pk])).status_code == 404
    )


def test_the_inspectors_offered_are_the_units_own_staff_never_the_platform_or_the_zone_office(zone):
    from zhuqi.inspections.forms import InspectionRecordForm
    from zhuqi.inspections.services import inspection_start
    from zhuqi.monitoring.services import platform_account
    from zhuqi.org.models import Role
    from zhuqi.org.tests.factories import UserFactory

    from .factories import make_checklist

    inspector = zone.users["department"]
    colleague = UserFactory(username="colleague", role=Role.DEPARTMENT_HANDLER, department=inspector.department)
    platform_account()
    checklist = make_checklist(inspector.department, by=inspector)
    inspection = inspection_start(by=inspector, enterprise=zone.enterprise_a, checklist=checklist)
    offered = set(InspectionRecordForm(inspection=inspection, user=inspector).fields["inspectors"].queryset)
    assert offered == {colleague}


@pytest.mark.parametrize(
    ("module", "url", "role"),
    [
        ("zhuqi.inspections.views", "inspection-list", "inspector"),
        ("zhuqi.cases.views", "case-list", "inspector"),
        ("zhuqi.enterprises.views", "enterprise-list", "inspector"),
        ("zhuqi.notifications.views", "inbox", "enterprise_a"),
        ("zhuqi.core.views", "audit-list", "auditor"),
    ],
)
def test_every_list_pages_through_more_than_one_page(bureau, client_as, monkeypatch, module, url, role):
    import importlib

    from django.core.paginator import Paginator

    zone = bureau["zone"]
    for enterprise in (zone.enterprise_a, zone.enterprise_a, zone.enterprise_b):
        inspection = services.inspection_start(
            by=bureau["inspector"], enterprise=enterprise, checklist=bureau["checklist"]
        )
        submit(bureau, inspection)
    monkeypatch.setattr(importlib.import_module(module), "Paginator", lambda items, _size: Paginator(items, 1))
    user = bureau.get(role) or zone.users[role]
    client = client_as(user)
    first = client.get(reverse(url))
    assert first.status_code == 200
    assert "page=2" in first.content.decode()
    second = client.get(reverse(url), {"page": 2})
    assert second.status_code == 200
    assert "page=1" in second.content.decode()


def test_the_inspection_filter_button_says_it_filters(zone, client):
    client.force_login(zone.users["department"])
    page = client.get(reverse("inspection-list")).content.decode()
    assert ">筛选</button>" in page and ">上报</button>" not in page
