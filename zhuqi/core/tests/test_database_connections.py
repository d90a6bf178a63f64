import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no server whose connections can be dropped: this checks the PostgreSQL connection settings",
)


def serve(path: str, cookie: str) -> int:
    """One request through the application's own WSGI handler, as gunicorn calls it (the test client holds
    connections open across requests on purpose, so it cannot show what a worker thread does)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, HTTP_COOKIE=f"sessionid={cookie}")
    status = []
    response = WSGIHandler()(environ, lambda code, headers: status.append(code))
    response.close()  # request_finished, as the server sends it
    return int(status[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_server_dropped_the_connections_gets_a_fresh_one(zone, client_as):
    import psycopg

    cookie = client_as(zone.users["coordinator"]).cookies["sessionid"].value
    assert serve(reverse("enterprise-list"), cookie) == 200
    kept = connection.connection
    assert kept is not None, "the connection outlives the request (CONN_MAX_AGE)"
    backend = kept.info.backend_pid

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        # the app's backend, as a server restart would end it; waiting (up to 10 s) until it is gone
        assert admin.execute("SELECT pg_terminate_backend(%s, 10000)", [backend]).fetchone()[0]

    assert serve(reverse("enterprise-list"), cookie) == 200
    assert connection.connection is not kept
