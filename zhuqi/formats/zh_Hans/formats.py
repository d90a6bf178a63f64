"""Simplified Chinese as the zone's offices write figures: Django's dates, and amounts grouped by thousands
(1,200,000.00 元), which Django's zh_Hans leaves ungrouped."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
