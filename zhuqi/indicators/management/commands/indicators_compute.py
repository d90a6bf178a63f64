from django.core.management.base import BaseCommand, CommandError

from zhuqi.indicators.computed import computed_record_all
from zhuqi.indicators.periods import period_kind_of


class Command(BaseCommand):
    help = "Compute and record the computed indicators of every firm for a period (on demand)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="2024, 2024Q1, 2024-03 or 2024-03-05")
        parser.add_argument("--code", action="append", dest="codes", help="only this computed indicator (repeatable)")

    def handle(self, *args, period, codes, **options):
        if period_kind_of(period) is None:
            raise CommandError(f"not a period: {period}")
        added = computed_record_all(period=period, codes=codes)
        self.stdout.write(f"{added} computed values recorded for {period}")
