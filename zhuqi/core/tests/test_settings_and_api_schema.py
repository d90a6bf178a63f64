import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhuqi.settings.production",
        "DJANGO_SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-for-the-check",
        "DATABASE_URL": "postgres://zhuqi@127.0.0.1:5432/zhuqi",
        "DJANGO_ALLOWED_HOSTS": "zhuqi.example.gov.cn",
        "ZHUQI_AUDIT_KEY": "y" * 30 + "-the-audit-chain-key-of-production",
        "ZHUQI_DATA_KEY": "z" * 30 + "-the-personal-data-key-of-production",
        "ZHUQI_SMS_BACKEND": "zhuqi.notifications.sms.HttpSMSBackend",
        "ZHUQI_SMS_GATEWAY_URL": "https://sms.zhuqi.example.gov.cn/send",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    env.pop("ZHUQI_SMS_BACKEND")  # the default only logs: production refuses it, saying what to set
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "zhuqi.E102" in result.stderr and "ZHUQI_SMS_BACKEND" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "zhuqi.settings.production", "DATABASE_URL": "postgres://x@127.0.0.1/x"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_api_serves_its_openapi_document(zone, client):
    client.force_login(zone.users["coordinator"])
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/enterprises/", "/api/enterprises/{enterprise_id}", "/api/enterprises/{enterprise_id}/visits"} <= set(
        schema["paths"]
    )
    assert {"/api/cases/", "/api/cases/figures", "/api/cases/{case_id}", "/api/cases/{case_id}/actions"} <= set(
        schema["paths"]
    )
    actions = schema["components"]["schemas"]["ActionIn"]["properties"]["action"]["enum"]
    assert {"assign", "accept", "return", "supervise", "rate", "merge", "permit_grant"} <= set(actions)
