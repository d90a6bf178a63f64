"""A hazard goes to the enterprise, is rectified with the five in place, and is closed only by a re-inspection
by someone other than whoever rectified it; 整改率 and overdue hazards on the figures page; the hazard ledger."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.cases import selectors as case_selectors
from zhuqi.cases import services as case_services
from zhuqi.cases.models import Case, CaseEvent
from zhuqi.cases.selectors import CaseFilters
from zhuqi.cases.services import CaseError
from zhuqi.cases.workflow import Action, Actor, Status
from zhuqi.core.errors import DomainError
from zhuqi.inspections.hazards import HazardAction, hazard_record
from zhuqi.inspections.models import HazardGrade
from zhuqi.inspections.selectors import hazard_figures
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import UserFactory

from .factories import make_checklist, photo


@pytest.fixture
def hazard(zone):
    inspector = zone.users["department"]
    checklist = make_checklist(inspector.department, by=inspector)
    case = hazard_record(
        by=inspector, enterprise=zone.enterprise_a, category=checklist.hazard_category,
        description="配电箱门损坏，线路裸露", place="一号厂房",
    )  # fmt: skip
    colleague = UserFactory(username="inspector2", role=Role.DEPARTMENT_HANDLER, department=inspector.department)
    return {"case": case, "inspector": inspector, "colleague": colleague, "zone": zone}


def rectify(hazard, by=None, **five):
    values = {"measures": "更换配电箱门并穿管保护", "responsible": "王电工"} | five
    return case_services.case_act(
        case=hazard["case"], action=HazardAction.RECTIFY, by=by or hazard["zone"].users["enterprise_a"],
        comment="已整改", files=[photo()], **values,
    )  # fmt: skip


def test_a_hazard_is_with_the_enterprise_from_the_moment_it_is_found(hazard):
    case = hazard["case"]
    assert case.status == Status.IN_PROGRESS and case.kind == "hazard"
    enterprise = hazard["zone"].users["enterprise_a"]
    assert case_services.actions_available(user=enterprise, case=case) == [Action.COMMENT, HazardAction.RECTIFY]
    # the loop's coordinator steps do not apply to hazards
    with pytest.raises(DomainError) as refused:
        case_services.case_act(
            case=case, action=Action.REPORT_RESULT, by=hazard["inspector"], comment="x", result="solved"
        )
    assert refused.value.code == CaseError.NOT_ALLOWED


def test_rectification_needs_evidence_and_the_measures_and_person_responsible(hazard):
    with pytest.raises(DomainError, match="整改责任人"):
        rectify(hazard, responsible="")
    with pytest.raises(DomainError, match="佐证材料"):
        case_services.case_act(
            case=hazard["case"], action=HazardAction.RECTIFY, by=hazard["zone"].users["enterprise_a"], comment="已整改",
            measures="更换", responsible="王电工",
        )  # fmt: skip
    assert Case.objects.get(pk=hazard["case"].pk).status == Status.IN_PROGRESS


def test_a_major_hazard_needs_all_five_in_place(hazard):
    Case.objects.filter(pk=hazard["case"].pk)
    hazard["case"].hazard.grade = HazardGrade.MAJOR
    hazard["case"].hazard.save()
    with pytest.raises(DomainError, match="整改资金"):
        rectify(hazard)
    case = rectify(hazard, funds=3.5, time_limit=datetime.date(2026, 12, 20), plan="整改期间停用该线路并专人监护")
    assert case.status == Status.AWAITING_VERIFICATION
    assert (case.hazard.funds, case.hazard.plan) == (3.5, "整改期间停用该线路并专人监护")


def test_only_someone_other_than_the_rectifier_re_inspects(hazard):
    case = rectify(hazard, by=hazard["inspector"])  # the inspector recorded it for a firm without an account
    inspector, colleague = hazard["inspector"], hazard["colleague"]
    assert Actor.RECHECKER not in case_services.case_parts(user=inspector, case=case)
    with pytest.raises(DomainError):
        case_services.case_act(case=case, action=HazardAction.RECHECK, by=inspector, comment="已整改", files=[photo()])
    with pytest.raises(DomainError, match="佐证材料"):
        case_services.case_act(case=case, action=HazardAction.RECHECK, by=colleague, comment="复查合格")
    closed = case_services.case_act(
        case=case, action=HazardAction.RECHECK, by=colleague, comment="复查合格", files=[photo()]
    )
    assert closed.status == Status.CLOSED and closed.closed_on_time
    assert (closed.hazard.rectified_by, closed.hazard.rechecked_by) == (inspector, colleague)
    assert hazard["zone"].users["enterprise_a"].notifications.filter(title__contains="复查").exists()


def test_a_failed_re_inspection_sends_it_back_to_the_enterprise(hazard):
    case = rectify(hazard)
    case = case_services.case_act(
        case=case, action=HazardAction.RECHECK_FAIL, by=hazard["inspector"], comment="线路仍裸露"
    )
    assert case.status == Status.IN_PROGRESS and case.rework_count == 1
    assert CaseEvent.objects.filter(case=case, action=HazardAction.RECHECK_FAIL, actor=hazard["inspector"]).exists()


def test_the_other_enterprise_never_sees_the_hazard(hazard, client_as):
    url = reverse("case-detail", args=[hazard["case"].pk])
    assert client_as(hazard["zone"].users["enterprise_b"]).get(url).status_code == 404
    page = client_as(hazard["zone"].users["enterprise_a"]).get(url).content.decode()
    assert "五到位" in page and "一号厂房" in page


def test_the_figures_show_the_rectification_rate_and_overdue_hazards(hazard, client_as):
    zone = hazard["zone"]
    second = hazard_record(
        by=hazard["inspector"], enterprise=zone.enterprise_b, category=hazard["case"].category,
        description="灭火器过期",
    )  # fmt: skip
    Case.objects.filter(pk=second.pk).update(deadline=datetime.date(2026, 1, 5))
    case = rectify(hazard)
    case_services.case_act(
        case=case, action=HazardAction.RECHECK, by=hazard["colleague"], comment="合格", files=[photo()]
    )
    figures = hazard_figures(user=zone.users["coordinator"], filters=CaseFilters())
    assert (figures["found"], figures["rectified"], figures["rate"], figures["overdue"]) == (2, 1, 50.0, 1)
    page = client_as(zone.users["coordinator"]).get(reverse("case-figures") + "?date_from=2026-01-01")
    [panel] = page.context["panels"]
    assert panel["hazards"]["overdue"] == 1 and 'id="hazard-figures"' in page.content.decode()
    overdue = client_as(zone.users["coordinator"]).get(reverse("case-list") + "?" + panel["links"]["overdue"])
    assert [c.pk for c in overdue.context["page"]] == [second.pk]


def test_the_hazard_ledger_has_the_offices_columns(hazard, client_as):
    case = rectify(hazard)
    case_services.case_act(
        case=case, action=HazardAction.RECHECK, by=hazard["colleague"], comment="合格", files=[photo()]
    )
    response = client_as(hazard["inspector"]).get(reverse("hazard-ledger") + "?date_from=2026-01-01")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("序号", "隐患编号", "企业名称", "园区")
    assert "整改责任人" in header and "复查人" in header
    row = dict(zip(header, rows[1], strict=False))
    assert row["企业名称"] == hazard["zone"].enterprise_a.name and row["整改责任人"] == "王电工"
    assert row["隐患等级"] == "一般隐患" and row["复查人"] == str(hazard["colleague"])
    # an enterprise has no ledger to download
    assert client_as(hazard["zone"].users["enterprise_a"]).get(reverse("hazard-ledger")).status_code == 403


def test_the_hazard_waits_for_the_enterprise_then_for_another_inspector(hazard):
    zone, case = hazard["zone"], hazard["case"]

    def waiting(user):
        return set(case_selectors.waiting_for(user=user).values_list("pk", flat=True))

    assert case.pk in waiting(zone.users["enterprise_a"])
    assert case.pk not in waiting(hazard["inspector"])  # the enterprise's turn, not the bureau's
    rectify(hazard, by=hazard["inspector"])
    assert case.pk not in waiting(zone.users["enterprise_a"])
    assert case.pk in waiting(hazard["colleague"]) and case.pk not in waiting(hazard["inspector"])
