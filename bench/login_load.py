"""Logging in under load: BENCH_LOGIN_USERS people (default 100) on loopback against gunicorn as `make run`
serves it (2 workers × 4 threads), each logging in, opening a page and logging out BENCH_LOGIN_ROUNDS times
(default 3) with a few seconds of thought between steps, arriving over the first seconds.

  BENCH login_p95 <ms> ms floor=<p95 of a trivial logged-in page, same load> peer=<login p95, Django's Argon2>

ours: argon2id at OWASP's parameters (zhuqi.accounts.hashers); peer: the same run with Django's default Argon2
parameters (100 MiB × 8 lanes), what the platform had. Bounded: a deadline per run (BENCH_LOGIN_SECONDS,
default 240) after which nobody starts another round, and a 60 s timeout per request; only 127.0.0.1."""

import os
import random
import re
import socket
import subprocess  # nosec B404
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-login-2026"  # noqa: S105 -- a scratch database's throwaway accounts
THINK = (2.0, 4.0)  # seconds between one step and the next
ARRIVAL = 10.0  # seconds over which people arrive
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))] if values else float("nan")


def accounts_prepare(count: int, hasher) -> list[str]:
    """`count` zone coordinators sharing one password hash made by `hasher` (one hash: making 100 of them
    would only slow the set-up)."""
    from django.contrib.auth.hashers import make_password

    from zhuqi.org.models import Role, User

    names = [f"load-{n:03d}" for n in range(count)]
    encoded = make_password(PASSWORD, hasher=hasher)
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=n, full_name=f"压测{n}", role=Role.ZONE_COORDINATOR) for n in names if n not in existing]
    )
    User.objects.filter(username__in=names).update(password=encoded)
    return names


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(hashers: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.login_settings", "BENCH_HASHERS": hashers}
    env["PYTHONPATH"] = str(ROOT)
    server = subprocess.Popen(  # noqa: S603  # nosec B603 -- our own venv's gunicorn, arguments fixed here
        [str(Path(sys.executable).with_name("gunicorn")), "zhuqi.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(f"{base}/login/", timeout=30).status_code == 200:
                return server, base
        except (
            requests.ConnectionError,
            requests.Timeout,
        ):  # still starting: a worker loading the apps on a busy machine
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer on loopback within a minute")


def _person(base: str, username: str, rounds: int, deadline: float, results: dict, lock: threading.Lock):
    rng = random.Random(username)
    time.sleep(rng.uniform(0, ARRIVAL))
    browser = requests.Session()
    # a connection per request: a kept-alive one closed by gunicorn (after 2 s idle) as the next request leaves
    # would count as a server error that a browser would have retried
    browser.headers["Connection"] = "close"
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        try:
            token = CSRF.search(browser.get(f"{base}/login/", timeout=60).text).group(1)
            time.sleep(rng.uniform(*THINK))
            started = time.perf_counter()
            answer = browser.post(
                f"{base}/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{base}/login/"}, allow_redirects=False, timeout=60,
            )  # fmt: skip
            login = (time.perf_counter() - started) * 1000
            if answer.status_code != 302:
                raise RuntimeError(f"login answered {answer.status_code}")
            time.sleep(rng.uniform(*THINK))
            started = time.perf_counter()
            page = browser.get(f"{base}/account/password/", allow_redirects=False, timeout=60)
            floor = (time.perf_counter() - started) * 1000
            if page.status_code != 200:
                raise RuntimeError(f"the page answered {page.status_code}")
            time.sleep(rng.uniform(*THINK))
            browser.post(
                f"{base}/logout/", headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": f"{base}/"},
                allow_redirects=False, timeout=60,
            )  # fmt: skip
            with lock:
                results["login"].append(login)
                results["page"].append(floor)
        except (requests.RequestException, RuntimeError, AttributeError) as error:
            with lock:
                results["errors"].append(f"{username}: {error}")


def _warm_up(base: str, username: str) -> None:
    """A few untimed logins first, so that both workers have loaded what a login needs: the figures are of a
    running server, not of its first requests."""
    for _ in range(8):
        browser = requests.Session()
        browser.headers["Connection"] = "close"
        token = CSRF.search(browser.get(f"{base}/login/", timeout=60).text).group(1)
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        browser.post(f"{base}/login/", data, headers={"Referer": f"{base}/login/"}, timeout=60)
        browser.get(f"{base}/account/password/", timeout=60)


def load(hashers: str, names: list[str], rounds: int, seconds: float) -> dict:
    server, base = _serve(hashers)
    _warm_up(base, names[0])
    results, lock = {"login": [], "page": [], "errors": []}, threading.Lock()
    deadline = time.monotonic() + seconds
    try:
        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            for name in names:
                pool.submit(_person, base, name, rounds, deadline, results, lock)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def run(*, users: int, rounds: int) -> str:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from zhuqi.accounts.hashers import OwaspArgon2PasswordHasher

    seconds = float(os.environ.get("BENCH_LOGIN_SECONDS", "240"))
    figures = {}
    for label, hashers, hasher in (
        ("zhuqi (argon2id 19 MiB, t=2, p=1)", "zhuqi", OwaspArgon2PasswordHasher()),
        ("Django's Argon2 (100 MiB, t=2, p=8)", "django", Argon2PasswordHasher()),
    ):
        names = accounts_prepare(users, hasher)
        results = load(hashers, names, rounds, seconds)
        figures[hashers] = results
        print(
            f"login_load {label}: {users} people, {len(results['login'])} logins, login p95 "
            f"{p95(results['login']):.0f} ms, page p95 {p95(results['page']):.0f} ms, {len(results['errors'])} errors"
        )
        for error in results["errors"][:5]:
            print(f"  {error}")
    ours, peer = figures["zhuqi"], figures["django"]
    if ours["errors"] or peer["errors"]:
        raise RuntimeError(f"login_load: {len(ours['errors'])} + {len(peer['errors'])} requests failed")
    return f"BENCH login_p95 {p95(ours['login']):.0f} ms floor={p95(ours['page']):.0f} peer={p95(peer['login']):.0f}"
