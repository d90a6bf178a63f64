"""Settings shared by every environment; each value that differs between machines comes from the environment."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "zhuqi"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
# keys the audit trail's hash chain (core.audit_chain); production sets one of its own (settings.production)
ZHUQI_AUDIT_KEY = env("ZHUQI_AUDIT_KEY", default=SECRET_KEY)
# the key of personal data at rest (core.crypto: SM4 and keyed SM3); production sets one of its own
ZHUQI_DATA_KEY = env("ZHUQI_DATA_KEY", default=SECRET_KEY)
# the keys it replaced, comma-separated, still read until `manage.py personal_data_rekey` has rewritten everything
ZHUQI_DATA_KEY_PREVIOUS = env.list("ZHUQI_DATA_KEY_PREVIOUS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "zhuqi.accounts.admin_site.ZhuqiAdminConfig",  # django.contrib.admin, entered by role with both factors
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_q",
    "zhuqi.core",
    "zhuqi.accounts",
    "zhuqi.org",
    "zhuqi.enterprises",
    "zhuqi.cases",
    "zhuqi.notifications",
    "zhuqi.indicators",
    "zhuqi.grids",
    "zhuqi.inspections",
    "zhuqi.monitoring",
    "zhuqi.notices",
    "zhuqi.dispatch",
    "zhuqi.pollution",
    "zhuqi.reporting",
    "zhuqi.growth",
    "zhuqi.projects",
    "zhuqi.policies",
    "zhuqi.evaluations",
    "zhuqi.assessments",
    "zhuqi.briefs",
    "zhuqi.cockpit",
]

MIDDLEWARE = [
    "zhuqi.core.health.HealthMiddleware",  # /healthz and /readyz for the load balancer, before Host checks and logins
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhuqi.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "zhuqi.core.middleware.NulCharacterRefusedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhuqi.accounts.middleware.SessionLifetimeMiddleware",
    "zhuqi.accounts.middleware.SecondFactorMiddleware",
    "zhuqi.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhuqi.core.middleware.AuditContextMiddleware",
    "zhuqi.core.idempotency.IdempotencyMiddleware",
    # axes last, as its documentation asks, so it sees the outcome of authentication
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhuqi.urls"
WSGI_APPLICATION = "zhuqi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "zhuqi.core.context_processors.zone",
                "zhuqi.notifications.context_processors.inbox",
                "zhuqi.core.context_processors.permissions",
            ],
        },
    },
]

VAR_DIR = Path(env("ZHUQI_VAR_DIR", default=str(BASE_DIR / "var")))
# the audit chain's signed checkpoints: keep them off the database's machine (a copy goes into every backup)
ZHUQI_AUDIT_CHECKPOINT_DIR = Path(env("ZHUQI_AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints")))
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'zhuqi.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; the busy timeout queues writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    # a connection the server dropped (a restart, a failover) is noticed and replaced before a request uses it
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHES = {
    "default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "zhuqi.accounts.roles.RolePermissionBackend",
]
OTP_TOTP_ISSUER = env("ZHUQI_ZONE_NAME", default="平顶山高新区") + "·助企"
# argon2id at OWASP's parameters for every new or changed password; hashes with Django's heavier Argon2
# parameters and older PBKDF2 hashes are rewritten at the next login
PASSWORD_HASHERS = [
    "zhuqi.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhuqi.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhuqi.accounts.passwords.CharacterClassesValidator"},
]
# 等保 level 3: staff passwords expire, idle accounts are disabled, sessions end when idle and after a while
ZHUQI_PASSWORD_MAX_AGE_DAYS = env.int("ZHUQI_PASSWORD_MAX_AGE_DAYS", default=90)
ZHUQI_ACCOUNT_IDLE_DAYS = env.int("ZHUQI_ACCOUNT_IDLE_DAYS", default=90)
ZHUQI_SESSION_IDLE_MINUTES = env.int("ZHUQI_SESSION_IDLE_MINUTES", default=30)
ZHUQI_SESSION_MAX_HOURS = env.int("ZHUQI_SESSION_MAX_HOURS", default=10)
ZHUQI_LOCKOUT_MINUTES = env.int("ZHUQI_LOCKOUT_MINUTES", default=5)
# personal data of disabled accounts and of deleted enterprises' contacts is anonymised after this long
ZHUQI_PERSONAL_DATA_KEEP_DAYS = env.int("ZHUQI_PERSONAL_DATA_KEEP_DAYS", default=3 * 365)
# how long the API keeps a create request's response for a replay with the same Idempotency-Key
ZHUQI_IDEMPOTENCY_HOURS = env.int("ZHUQI_IDEMPOTENCY_HOURS", default=24)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = 5
# five failures, each within ZHUQI_LOCKOUT_MINUTES of the one before, lock the account and, apart, the address
# for as long (a try during the lock starts it again)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=ZHUQI_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["zhuqi.formats"]
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    # Tabler: Bootstrap 5 with a dashboard's look (its JS bundles Bootstrap's and Popper); only its CSS and JS,
    # not the third-party libraries it ships beside them
    ("vendor/tabler/css", BASE_DIR / "node_modules/@tabler/core/dist/css"),
    ("vendor/tabler/js", BASE_DIR / "node_modules/@tabler/core/dist/js"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/echarts", BASE_DIR / "node_modules/echarts/dist"),
    ("vendor/signature_pad", BASE_DIR / "node_modules/signature_pad/dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules/leaflet/dist"),
]
STATICFILES_FINDERS = [
    "zhuqi.core.staticfiles.ProjectFilesFinder",  # STATICFILES_DIRS without Tabler's extras
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("ZHUQI_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Uploads: attachments and Excel ledgers. The limits are checked again by the services, per kind of file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ZHUQI_ATTACHMENT_MAX_BYTES = env.int("ZHUQI_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ZHUQI_IMPORT_MAX_BYTES = env.int("ZHUQI_IMPORT_MAX_BYTES", default=60 * 1024 * 1024)
# What a ledger may unpack to and how many rows it may have (Excel's own sheet size); stated in the refusal
ZHUQI_IMPORT_MAX_UNPACKED_BYTES = env.int("ZHUQI_IMPORT_MAX_UNPACKED_BYTES", default=2 * 1024**3)
ZHUQI_IMPORT_MAX_ROWS = env.int("ZHUQI_IMPORT_MAX_ROWS", default=1_048_576)
# An import step whose worker gave no sign of life for this long is shown as interrupted, with a retry
ZHUQI_IMPORT_STALE_SECONDS = env.int("ZHUQI_IMPORT_STALE_SECONDS", default=60)
ZHUQI_IMPORT_QUEUE_SECONDS = env.int("ZHUQI_IMPORT_QUEUE_SECONDS", default=900)
ZHUQI_ZONE_NAME = env("ZHUQI_ZONE_NAME", default="平顶山高新区")

SESSION_COOKIE_AGE = ZHUQI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the idle timeout counts from the last request, not from the login
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "zhuqi.core.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # htmx and ECharts set inline styles; scripts run only from our origin with the page's nonce
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="zhuqi@localhost")
ZHUQI_SMS_BACKEND = env("ZHUQI_SMS_BACKEND", default="zhuqi.notifications.sms.LoggingSMSBackend")
ZHUQI_SMS_GATEWAY_URL = env("ZHUQI_SMS_GATEWAY_URL", default="")  # for notifications.sms.HttpSMSBackend
ZHUQI_SMS_GATEWAY_TOKEN = env("ZHUQI_SMS_GATEWAY_TOKEN", default="")
ZHUQI_SMS_STAND_IN_ALLOWED = True  # the logging backend is fine here; production refuses it (notifications.checks)
# used in links sent by email and printed on the QR board
ZHUQI_SITE_URL = env("ZHUQI_SITE_URL", default="http://127.0.0.1:8000")
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)  # a hung SMTP server must not hold the outbox's claim
# the outbox (notifications.outbox): a message whose gateway fails is tried again after 1, 2, 4 … minutes (at most
# ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES apart) and given up after ZHUQI_OUTBOX_MAX_ATTEMPTS tries
ZHUQI_OUTBOX_MAX_ATTEMPTS = env.int("ZHUQI_OUTBOX_MAX_ATTEMPTS", default=8)
ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES = env.int("ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES", default=60)

# The task queue (django-q2): periodic jobs, the outbox and long imports run in `manage.py qcluster`. The broker is
# the database itself unless ZHUQI_QUEUE_REDIS_URL names a Redis; schedules live in the database (admin: 任务队列).
ZHUQI_QUEUE_REDIS_URL = env("ZHUQI_QUEUE_REDIS_URL", default="")
# tests run background work inline instead of queueing it (settings.test)
ZHUQI_BACKGROUND_INLINE = env.bool("ZHUQI_BACKGROUND_INLINE", default=False)
Q_CLUSTER = {
    "name": "zhuqi",
    "label": _("Task queue"),
    "workers": env.int("ZHUQI_QUEUE_WORKERS", default=2),
    # the longest task is a ledger import of ZHUQI_IMPORT_MAX_BYTES; a task still unacknowledged after `retry`
    # seconds (its cluster died) is handed out again, at most `max_attempts` times
    "timeout": 1800,
    "retry": 1900,
    "max_attempts": 3,
    # a task that raised is recorded as failed (admin: 失败任务) and not run again: periodic jobs run again at
    # their next time anyway, the outbox keeps its own retries, and an import must not be repeated blindly
    "ack_failures": True,
    # after downtime a periodic job runs once, not once for every period missed
    "catch_up": False,
    "save_limit": 1000,
    "poll": 1,
}
if ZHUQI_QUEUE_REDIS_URL:
    Q_CLUSTER["redis"] = ZHUQI_QUEUE_REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
# risk monitoring (issue 6): the broker, how long a firm has to acknowledge an alarm, when repeats become a case
ZHUQI_MQTT_URL = env("ZHUQI_MQTT_URL", default="mqtt://127.0.0.1:1883")  # mqtt://<user>:<password>@host:port
ZHUQI_MQTT_SIMULATOR_URL = env("ZHUQI_MQTT_SIMULATOR_URL", default="")  # the demo's simulated sensors only
ZHUQI_ALARM_ACK_MINUTES = env.int("ZHUQI_ALARM_ACK_MINUTES", default=10)
ZHUQI_ALARM_REPEAT_COUNT = env.int("ZHUQI_ALARM_REPEAT_COUNT", default=3)
ZHUQI_ALARM_REPEAT_WINDOW_MINUTES = env.int("ZHUQI_ALARM_REPEAT_WINDOW_MINUTES", default=60)
# the grid map's base map: a WMTS (key-value) or XYZ tile URL template with {z}, {x} and {y}, and {s} where the
# host has numbered or lettered mirrors (ZHUQI_MAP_TILE_SUBDOMAINS) and {key} for ZHUQI_MAP_TILE_KEY; e.g. 天地图's
# vec_w, with its cva_w place names as ZHUQI_MAP_LABEL_TILE_URL. Empty: the grid outlines alone, nothing fetched.
# The page's Content-Security-Policy admits the tiles' host(s) on the map page only, and only when set.
ZHUQI_MAP_TILE_URL = env("ZHUQI_MAP_TILE_URL", default="")
ZHUQI_MAP_LABEL_TILE_URL = env("ZHUQI_MAP_LABEL_TILE_URL", default="")
ZHUQI_MAP_TILE_KEY = env("ZHUQI_MAP_TILE_KEY", default="")
ZHUQI_MAP_TILE_SUBDOMAINS = env("ZHUQI_MAP_TILE_SUBDOMAINS", default="")
ZHUQI_MAP_ATTRIBUTION = env("ZHUQI_MAP_ATTRIBUTION", default="")
# every point of the platform (the ingestion) or of one firm (its gateway) without a reading for this long (or for
# the shortest offline time among them, if shorter) is one outage told to whoever can fix it, not an alarm per point
ZHUQI_OUTAGE_SECONDS = env.int("ZHUQI_OUTAGE_SECONDS", default=120)
# a gateway still silent this long after its outage was noticed becomes one case for the emergency-management
# bureau (its points are unwatched), and the firm's service officer is told
ZHUQI_OUTAGE_ESCALATE_MINUTES = env.int("ZHUQI_OUTAGE_ESCALATE_MINUTES", default=60)
ZHUQI_READINGS_KEEP_DAYS = env.int("ZHUQI_READINGS_KEEP_DAYS", default=30)
ZHUQI_READING_MINUTES_KEEP_DAYS = env.int("ZHUQI_READING_MINUTES_KEEP_DAYS", default=180)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # django-q logs every task it queues and finishes at INFO: the admin keeps that record
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django-q": {"level": "WARNING"},
    },
}

# The figures' covering index carries extra columns on PostgreSQL; SQLite builds it as a plain index, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
