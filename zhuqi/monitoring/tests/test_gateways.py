"""Sensor gateways' device tokens: who makes and revokes them (audited), the readings endpoint taking only a
gateway's own firm's points and no person's session, and the broker's accounts (a gateway publishes under its
own firm's topic only)."""

import pytest
from django.utils import timezone

from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditRecord
from zhuqi.monitoring.broker import acl_file, password_file
from zhuqi.monitoring.gateways import gateway_create, gateway_revoke
from zhuqi.monitoring.models import Alarm, Gateway, MonitoringPoint, Quantity, Reading

URL = "/api/monitoring/readings"


@pytest.fixture
def gas(zone):
    """A toxic-gas detector at firm B."""
    return MonitoringPoint.objects.create(
        enterprise=zone.enterprise_b, code="GT-101", name="氨气探测器", quantity=Quantity.TOXIC_GAS, unit="ppm",
        high_limit=20, high_high_limit=40, min_duration_seconds=0,
    )  # fmt: skip


def reading(firm, code="GT-101", v=55.0):
    return {"readings": [{"enterprise": firm.credit_code, "point": code, "t": timezone.now().isoformat(), "v": v}]}


@pytest.mark.parametrize("who", ["department", "coordinator", "officer_b", "enterprise_b"])
def test_no_persons_session_writes_readings(gas, zone, client_as, who):
    """A 经济发展局 handler (or anyone else logged in) raised a 高高报 alarm on another firm's detector."""
    response = client_as(zone.users[who]).post(URL, reading(zone.enterprise_b), content_type="application/json")
    assert response.status_code == 403
    assert "采集网关" in response.json()["message"]
    assert not Reading.objects.exists() and not Alarm.objects.exists()


def test_a_gateway_writes_for_its_own_firm_only(gas, zone, client):
    _gateway, token_a = gateway_create(by=zone.users["coordinator"], enterprise=zone.enterprise_a, name="网关A")
    refused = client.post(URL, reading(zone.enterprise_b), content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token_a}")  # fmt: skip
    assert refused.status_code == 403 and "只能上报本企业" in refused.json()["message"]
    assert not Reading.objects.exists()
    _gateway, token_b = gateway_create(by=zone.users["enterprise_b"], enterprise=zone.enterprise_b, name="网关B")
    taken = client.post(URL, reading(zone.enterprise_b), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token_b}")  # fmt: skip
    assert taken.status_code == 200 and taken.json()["alarms"] == 1
    assert Alarm.objects.get().point == gas


def test_a_revoked_or_unknown_token_is_refused_and_use_is_noted(gas, zone, client):
    gateway, token = gateway_create(by=zone.users["enterprise_b"], enterprise=zone.enterprise_b, name="网关B")
    assert gateway.last_used_at is None
    ok = client.post(URL, reading(zone.enterprise_b, v=1), content_type="application/json", HTTP_X_GATEWAY_TOKEN=token)
    assert ok.status_code == 200
    gateway.refresh_from_db()
    assert gateway.last_used_at is not None
    gateway_revoke(by=zone.users["coordinator"], gateway=gateway)
    for presented in (token, token + "x", "zqgw_guess"):
        response = client.post(URL, reading(zone.enterprise_b), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {presented}")  # fmt: skip
        assert response.status_code == 403 and "吊销" in response.json()["message"]
    assert client.post(URL, reading(zone.enterprise_b), content_type="application/json").status_code == 401


def test_the_zone_office_and_the_firms_own_contact_manage_its_gateways_audited(zone):
    for who in ("enterprise_a", "department", "officer_b", "grid_a"):
        with pytest.raises(DomainError):
            gateway_create(by=zone.users[who], enterprise=zone.enterprise_b, name="网关")
    gateway, token = gateway_create(by=zone.users["enterprise_b"], enterprise=zone.enterprise_b, name="1号网关")
    stored = Gateway.objects.get()
    assert token not in (stored.token_hash, stored.mqtt_password_hash) and len(token) > 40
    with pytest.raises(DomainError):
        gateway_create(by=zone.users["coordinator"], enterprise=zone.enterprise_b, name="1号网关")
    with pytest.raises(DomainError):
        gateway_revoke(by=zone.users["enterprise_a"], gateway=gateway)
    gateway_revoke(by=zone.users["enterprise_b"], gateway=gateway)
    with pytest.raises(DomainError):
        gateway_revoke(by=zone.users["coordinator"], gateway=gateway)
    trail = AuditRecord.objects.filter(object_type="monitoring.gateway").order_by("at", "id")
    assert [(r.event, r.actor_username) for r in trail] == [("create", "enterprise_b"), ("update", "enterprise_b")]
    assert "revoked" in trail[1].detail


def test_the_broker_files_name_each_live_gateway_with_its_firms_topic(zone, settings):
    settings.ZHUQI_MQTT_URL = "mqtt://zhuqi-ingester:secret@127.0.0.1:1883"
    a, _token = gateway_create(by=zone.users["coordinator"], enterprise=zone.enterprise_a, name="网关A")
    b, _token = gateway_create(by=zone.users["coordinator"], enterprise=zone.enterprise_b, name="网关B")
    gateway_revoke(by=zone.users["coordinator"], gateway=b)
    users = [line.split(":")[0] for line in password_file().splitlines()]
    assert users == ["zhuqi-ingester", a.mqtt_username]
    acl = acl_file()
    assert f"user {a.mqtt_username}\ntopic write zhuqi/{zone.enterprise_a.credit_code}/#" in acl
    assert "user zhuqi-ingester\ntopic read zhuqi/#" in acl
    assert b.mqtt_username not in acl and "secret" not in password_file()


def test_the_command_makes_a_gateway_shows_its_token_once_and_revokes_it(zone, client):
    import re
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("gateway", "create", by="enterprise_b", enterprise=zone.enterprise_b.credit_code, name="2号网关",
                 stdout=out)  # fmt: skip
    token = re.search(r"zqgw_\S+", out.getvalue()).group()
    gateway = Gateway.objects.get()
    assert token.startswith("zqgw_") and gateway.mqtt_username in out.getvalue()
    response = client.post(URL, reading(zone.enterprise_b), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert response.status_code == 200
    call_command("gateway", "revoke", by="coordinator", id=gateway.pk, stdout=StringIO())
    listing = StringIO()
    call_command("gateway", "list", stdout=listing)
    assert "已吊销" in listing.getvalue()
