"""Production: PostgreSQL, secrets from the environment only, HTTPS everywhere."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
ZHUQI_AUDIT_KEY = env("ZHUQI_AUDIT_KEY")  # not the secret key: rotating that must not break the audit chain
ZHUQI_DATA_KEY = env("ZHUQI_DATA_KEY")  # losing it loses every phone number: keep it as the backups are kept
ZHUQI_SMS_STAND_IN_ALLOWED = False  # a backend that only logs would leave alarms and overdue notices unsent
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # threads drop connections a database restart killed

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
