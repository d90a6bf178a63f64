"""Core's periodic jobs, run by the task queue (core.schedules; registered with their timing in apps.py)."""

import logging

from . import audit_chain, idempotency, personal

logger = logging.getLogger("zhuqi.worker")


def idempotency_purge() -> int:
    return idempotency.idempotency_purge()


def personal_data_purge() -> dict:
    anonymised = personal.personal_data_purge()
    if any(anonymised.values()):
        logger.info("personal data past its keeping period anonymised: %s", anonymised)
    return anonymised


def audit_checkpoint_write() -> None:
    # the newest link of the audit chain, signed, kept outside the database: records cut off the end show
    audit_chain.audit_checkpoint_write()
