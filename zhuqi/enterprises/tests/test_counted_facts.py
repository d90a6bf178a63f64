"""The registry's counted facts — 严重失信 and years since establishment — read through indicators.facts_of; the
严重失信 mark (date and source) is the zone office's to set or lift, audited and in the enterprise file."""

import datetime

import pytest
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditRecord
from zhuqi.enterprises.models import Enterprise, TimelineEntry, TimelineKind
from zhuqi.enterprises.services import enterprise_update
from zhuqi.indicators.models import Indicator, Obtained
from zhuqi.indicators.selectors import facts_of

pytestmark = pytest.mark.django_db
CODES = ["serious_breach", "years_registered"]


def test_years_since_establishment_and_the_breach_mark_by_the_end_of_the_period(zone):
    Enterprise.objects.filter(pk=zone.enterprise_a.pk).update(
        established_on=datetime.date(2014, 7, 1), serious_breach_on=datetime.date(2024, 3, 5),
        serious_breach_source="信用中国 严重失信主体名单",
    )  # fmt: skip
    firms = [zone.enterprise_a, zone.enterprise_b]
    assert facts_of(enterprises=firms, period="2023", codes=CODES) == {
        zone.enterprise_a.pk: {"serious_breach": False, "years_registered": 9},
        zone.enterprise_b.pk: {"serious_breach": False},  # no date of establishment: not a guess of 0
    }
    assert facts_of(enterprises=firms, period="2024", codes=CODES)[zone.enterprise_a.pk] == {
        "serious_breach": True, "years_registered": 10,
    }  # fmt: skip
    assert facts_of(enterprises=[zone.enterprise_a], period="2024-06", codes=CODES)[zone.enterprise_a.pk] == {
        "serious_breach": True, "years_registered": 9,  # 1 July not yet reached
    }  # fmt: skip
    assert {i.code: i.obtained for i in Indicator.objects.filter(code__in=CODES)} == dict.fromkeys(
        CODES, Obtained.COUNTED
    )


def test_only_the_zone_office_sets_the_breach_mark_with_its_source_and_it_is_audited(zone):
    firm = zone.enterprise_a
    with pytest.raises(DomainError, match="只有管委会"):
        enterprise_update(enterprise=firm, by=zone.users["officer_a"], serious_breach_on=datetime.date(2024, 3, 5),
                          serious_breach_source="信用中国")  # fmt: skip
    with pytest.raises(DomainError, match="依据") as refused:
        enterprise_update(enterprise=firm, by=zone.users["coordinator"], serious_breach_on=datetime.date(2024, 3, 5))
    assert refused.value.field == "serious_breach_source"
    firm.refresh_from_db()
    assert firm.serious_breach_on is None

    enterprise_update(enterprise=firm, by=zone.users["coordinator"], serious_breach_on=datetime.date(2024, 3, 5),
                      serious_breach_source="信用中国 严重失信主体名单")  # fmt: skip
    entry = TimelineEntry.objects.filter(enterprise=firm, kind=TimelineKind.UPDATED).latest("pk")
    assert "serious_breach_on" in entry.details
    assert AuditRecord.objects.filter(
        object_type__icontains="enterprise", changes__has_key="serious_breach_on"
    ).exists()
    # the park officer edits the rest of the file without touching the mark
    enterprise_update(enterprise=firm, by=zone.users["officer_a"], address="高新区火炬路1号")
    firm.refresh_from_db()
    assert firm.serious_breach_on == datetime.date(2024, 3, 5)


def test_the_edit_form_offers_the_breach_mark_to_the_zone_office_only(zone, client):
    url = reverse("enterprise-edit", args=[zone.enterprise_a.pk])
    client.force_login(zone.users["coordinator"])
    assert "serious_breach_on" in client.get(url).context["form"].fields
    client.force_login(zone.users["officer_a"])
    form = client.get(url).context["form"]
    assert "serious_breach_on" not in form.fields and "established_on" in form.fields
