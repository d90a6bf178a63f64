"""The demo and local development: SQLite, debug on, a fixed secret only usable on this machine."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-zhuqi-demo-key-0123456789abcdef")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403
