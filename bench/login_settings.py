"""The settings gunicorn serves the login benchmark with: the test settings (the bench's scratch database) but
the password hashers of production, or, for the peer, Django's own Argon2 parameters."""

import importlib
import os

from zhuqi.settings.test import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    if os.environ.get("BENCH_HASHERS") == "django"
    else importlib.import_module("zhuqi.settings.base").PASSWORD_HASHERS
)
