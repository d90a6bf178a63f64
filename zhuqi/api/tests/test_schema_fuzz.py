"""Schemathesis against the API's own OpenAPI schema: every operation, with generated valid and invalid input,
as a logged-in officer; whatever comes in, the server never answers with a 5xx."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from zhuqi.api.urls import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CSRF = "schemathesisschemathesisschemat1"  # a 32-character secret, sent as cookie and header alike


@pytest.fixture
def session_cookies(zone, client):
    """An officer's session. The app is called in-process, inside the test's transaction: as Django's own test
    client does, the end of a request must not close the database connection."""
    client.force_login(zone.users["officer_a"])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=int(os.environ.get("ZHUQI_FUZZ_EXAMPLES", "25")), deadline=None, derandomize="ZHUQI_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_no_input_makes_the_api_fail_with_a_server_error(case, session_cookies):
    case.call_and_validate(
        cookies=session_cookies, headers={"X-CSRFToken": CSRF, "If-Match": '"1"'}, checks=[not_a_server_error]
    )
