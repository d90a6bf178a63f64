"""The module's periodic job, run by the task queue (registered with its timing in apps.py)."""

from . import services


def days_open() -> int:
    """Each active alert's check-ins and spot checks of the day (once), and its readings compared."""
    opened = services.days_open_all()
    for alert in services.Alert.objects.filter(status=services.S.ACTIVE):
        services.readings_compare(alert=alert)
    return opened


def unconfirmed_remind() -> int:
    """Firms not confirmed within two hours of being told: one reminder each, their officer and grid member told."""
    return services.unconfirmed_remind()
