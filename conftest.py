"""Fixtures shared by every app's tests: a small zone with two parks, one enterprise in each, and
one account of every role, so that every test can ask "and the other park?"."""

import itertools
import os
import threading
from dataclasses import dataclass

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from hypothesis import settings as hypothesis_settings

from zhuqi.core.tests.browser import ARTIFACTS, CHROMIUM
from zhuqi.enterprises.tests.factories import ContactFactory, EnterpriseFactory
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import DepartmentFactory, GridFactory, ParkFactory, UserFactory

# Hypothesis's 200 ms deadline is a wall-clock assertion: on a loaded machine it fails tests whose answers are right
hypothesis_settings.register_profile("zhuqi", deadline=None)
hypothesis_settings.load_profile("zhuqi")


class _TurnTakingWSGIServer(ThreadedWSGIServer):
    """With in-memory SQLite the live server's request threads share the test's one connection: a request entering
    a transaction turned autocommit off under another one's feet (TransactionManagementError on the login page, seen
    in CI). The requests take turns in the application; connections, keep-alive and file streaming stay threaded."""

    _turn = threading.Lock()

    def set_app(self, application):
        turn = self._turn

        def one_at_a_time(environ, start_response):
            with turn:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = _TurnTakingWSGIServer


def pytest_collection_modifyitems(config, items):
    """The long tests first, dealt longest first to the worker with the least so far: pytest-xdist's work-stealing
    scheduler gives each worker the next contiguous share of the collection, and the idle ones later take the
    ordinary tests from the tail of the busy ones, so the run ends when the longest test does, not after it."""
    long = sorted((i for i in items if i.get_closest_marker("long")),
                  key=lambda i: -i.get_closest_marker("long").kwargs.get("minutes", 1))  # fmt: skip
    if not long:
        return
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    shares, loads = [[] for _ in range(workers)], [0.0] * workers
    for item in long:
        least = loads.index(min(loads))
        shares[least].append(item)
        loads[least] += item.get_closest_marker("long").kwargs.get("minutes", 1)
    marked = set(long)
    rest = iter([i for i in items if i not in marked])
    order = []
    for k, share in enumerate(shares):
        size = (len(items) - len(order)) // (workers - k)  # as the scheduler divides what is pending
        order += share + list(itertools.islice(rest, max(0, size - len(share))))
    items[:] = order + list(rest)


@dataclass
class Zone:
    park_a: object
    park_b: object
    grid_a: object
    grid_b: object
    enterprise_a: object
    enterprise_b: object
    users: dict


@pytest.fixture
def zone(db) -> Zone:
    park_a, park_b = ParkFactory(name="创新创业服务园区"), ParkFactory(name="电气装备产业园区")
    department = DepartmentFactory(name="应急管理局")
    grid_a, grid_b = GridFactory(), GridFactory()
    users = {
        "coordinator": UserFactory(username="coordinator", role=Role.ZONE_COORDINATOR),
        "department": UserFactory(username="department", role=Role.DEPARTMENT_HANDLER, department=department),
        "officer_a": UserFactory(username="officer_a", role=Role.PARK_OFFICER, park=park_a),
        "officer_b": UserFactory(username="officer_b", role=Role.PARK_OFFICER, park=park_b),
        "grid_a": UserFactory(username="grid_a", role=Role.GRID_MEMBER),
        "auditor": UserFactory(username="auditor", role=Role.AUDITOR),
        "sysadmin": UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, is_staff=True),
        "security": UserFactory(username="security", role=Role.SECURITY_ADMIN, is_staff=True),
    }
    grid_a.member = users["grid_a"]
    grid_a.save()
    enterprise_a = EnterpriseFactory(
        name="河南森源电气股份有限公司", park=park_a, grid=grid_a, service_officer=users["officer_a"]
    )
    enterprise_b = EnterpriseFactory(
        name="河南君易安商贸有限公司", park=park_b, grid=grid_b, service_officer=users["officer_b"]
    )
    ContactFactory(enterprise=enterprise_a, name="刘经理", phone="13812345678")
    ContactFactory(enterprise=enterprise_b, name="陈经理", phone="13987654321")
    users["enterprise_a"] = UserFactory(username="enterprise_a", role=Role.ENTERPRISE_CONTACT, enterprise=enterprise_a)
    users["enterprise_b"] = UserFactory(username="enterprise_b", role=Role.ENTERPRISE_CONTACT, enterprise=enterprise_b)
    return Zone(park_a, park_b, grid_a, grid_b, enterprise_a, enterprise_b, users)


class Client2FA(Client):
    """force_login as the person would really be logged in: administrators (who need a second factor) with
    their authenticator's code verified too. The second-factor flow itself is tested with a plain Client."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from zhuqi.accounts.services import needs_second_factor

        super().force_login(user, backend)
        if needs_second_factor(user):
            device = TOTPDevice.objects.get_or_create(user=user, name="测试令牌", defaults={"confirmed": True})[0]
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return Client2FA()


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def phone_page(live_server, monkeypatch, request):
    # playwright's sync API runs an event loop in this thread; the ORM calls in the test body are still synchronous
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()
