"""What every browser test shares: Debian's chromium, where screenshots go, and the marks that skip the test
where chromium is missing (make test installs it)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"
    ),
]


def log_in(page, base: str, username: str) -> None:
    """Log in through the login page as a fresh session (the test accounts share one password)."""
    from zhuqi.org.tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}/")
