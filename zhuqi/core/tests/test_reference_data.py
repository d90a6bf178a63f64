"""Emptying the tables (a transactional test's end, `flush` by hand) leaves the indicators the modules' migrations
declare, as `migrate` made them."""

import pytest
from django.core.management import call_command

from zhuqi.indicators.models import Indicator

DECLARED = {"dispatch_working", "cases_closed_in_period", "registry_above_scale", "open_major_hazards"}


@pytest.mark.django_db(transaction=True)
def test_a_flush_keeps_the_indicators_the_migrations_declare():
    assert set(Indicator.objects.filter(code__in=DECLARED).values_list("code", flat=True)) == DECLARED
    Indicator.objects.filter(code__in=DECLARED).delete()
    call_command("flush", interactive=False, verbosity=0)
    assert set(Indicator.objects.filter(code__in=DECLARED).values_list("code", flat=True)) == DECLARED
