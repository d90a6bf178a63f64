"""A failed request shows the project's own page, in Chinese, with a way back; never Django's debug or English pages."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from zhuqi.urls import handler400, handler403, handler404, handler500  # noqa: F401 (this module stands in for them)
from zhuqi.urls import urlpatterns as project_urlpatterns

ROOT = Path(__file__).resolve().parents[3]


def _fails_with(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("boom/", _fails_with(RuntimeError("a bug"))),
    path("forbidden/", _fails_with(PermissionDenied())),
    path("bad/", _fails_with(SuspiciousOperation("odd"))),
    *project_urlpatterns,
]


def test_make_run_serves_the_demo_with_debug_off():
    make = shutil.which("make") or "/usr/bin/make"
    database = subprocess.run(  # noqa: S603 (a fixed command)
        [make, "-p", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "run: DJANGO_DEBUG := false" in database.stdout
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuqi.settings.dev", "DJANGO_DEBUG": "false"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.django_db
def test_a_missing_page_is_ours_in_chinese_with_a_way_to_the_login(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'href="/login/"' in body and "前往登录页" in body
    assert "URLconf" not in body and "Using the URLconf" not in body


@pytest.mark.django_db
def test_a_missing_page_offers_the_workbench_to_a_logged_in_person(zone, client):
    client.force_login(zone.users["officer_a"])
    body = client.get("/enterprises/999999/").content.decode()
    assert "页面不存在" in body and "返回工作台" in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_ours_and_shows_no_settings(zone):
    client = Client(raise_request_exception=False)
    client.force_login(zone.users["officer_a"])
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in body and "返回工作台" in body
    assert "SECRET_KEY" not in body and "Traceback" not in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_and_bad_requests_are_ours_in_chinese(client):
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()
    bad = client.get("/bad/")
    assert bad.status_code == 400 and "请求无法识别" in bad.content.decode()


@pytest.mark.django_db
def test_a_refused_csrf_token_says_the_form_expired_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "表单已失效" in body and "CSRF verification failed" not in body


def test_a_browser_asking_for_favicon_ico_gets_the_platforms_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
