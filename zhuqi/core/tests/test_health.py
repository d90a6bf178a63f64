"""/healthz and /readyz for the load balancer: no login, any Host, 503 naming the part that is down, no secret."""

import socket
from unittest import mock

import pytest
from django.test import Client, override_settings


@pytest.fixture
def mqtt_listening():
    """A socket that accepts connections, standing for the MQTT broker."""
    server = socket.create_server(("127.0.0.1", 0))
    yield f"mqtt://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


def probe(path):
    return Client().get(path, HTTP_HOST="10.0.0.7")  # a balancer probes by the node's address, not a known host


def test_healthz_answers_while_the_process_serves(db):
    response = probe("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_200_when_every_part_answers(db, mqtt_listening):
    with override_settings(ZHUQI_MQTT_URL=mqtt_listening):
        response = probe("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok", "mqtt": "ok"},
    }


def test_readyz_answers_503_naming_the_mqtt_broker_when_it_is_down_and_nothing_else(db):
    url = f"mqtt://secret-user:secret-password@127.0.0.1:{closed_port()}"
    with override_settings(ZHUQI_MQTT_URL=url):
        response = probe("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["mqtt"] == "unavailable"
    assert response.json()["checks"]["database"] == "ok"
    assert "secret" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_readyz_answers_503_when_the_cache_loses_what_it_was_given(db, mqtt_listening):
    with override_settings(ZHUQI_MQTT_URL=mqtt_listening), mock.patch("zhuqi.core.health.cache.get", return_value=None):
        response = probe("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"] == "unavailable"


def test_readyz_answers_503_when_the_database_fails(db, mqtt_listening):
    with (
        override_settings(ZHUQI_MQTT_URL=mqtt_listening),
        mock.patch("zhuqi.core.health.connection.cursor", side_effect=OSError("connection refused")),
    ):
        response = probe("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "unavailable"


def test_readyz_checks_the_redis_broker_when_the_queue_uses_one(db, mqtt_listening):
    with override_settings(ZHUQI_MQTT_URL=mqtt_listening, ZHUQI_QUEUE_REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        assert probe("/readyz").json()["checks"]["queue"] == "unavailable"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(ZHUQI_MQTT_URL=mqtt_listening, ZHUQI_QUEUE_REDIS_URL="redis://127.0.0.1:6379/15"):
        assert probe("/readyz").json()["checks"]["queue"] == "ok"


def test_health_needs_no_second_factor_and_no_fresh_password(zone):
    administrator = zone.users["sysadmin"]  # logged in but without the second factor: every page sends it away
    browser = Client()
    browser.force_login(administrator)
    assert browser.get("/").status_code == 302
    assert browser.get("/healthz").status_code == 200


def test_health_is_not_redirected_to_https(db):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert Client().get("/healthz").status_code == 200
        assert Client().get("/login/").status_code == 301
