"""Tests: SQLite by default, PostgreSQL when DATABASE_URL names it; fast hashing; mail kept in memory."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-zhuqi-key-0123456789abcdef")
os.environ.setdefault("ZHUQI_VAR_DIR", tempfile.mkdtemp(prefix="zhuqi-test-"))

from .base import *  # noqa: E402,F403
from .base import CACHES, INSTALLED_APPS, Q_CLUSTER  # noqa: E402

# a module in one folder, installed by this one line: core/tests/permits proves a module needs nothing else
INSTALLED_APPS = [*INSTALLED_APPS, "zhuqi.core.tests.permits"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LANGUAGE_CODE = "zh-hans"
ZHUQI_BACKGROUND_INLINE = True
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # a task queued in a test runs at once, in the test's transaction
ZHUQI_SMS_BACKEND = "zhuqi.notifications.sms.MemorySMSBackend"
