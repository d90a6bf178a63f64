"""Every page of every demo role, on a phone (390×844) and a desktop (1366×900), in one browser: the demo zone is
loaded, each role's pages are its navigation, every page of the URL conf it may open, and the first page of each
kind that those pages link to (the detail pages of a demo object of each kind). A page fails on a console error,
an unexpected 4xx/5xx (its own or a file it loads), a page wider than the screen, a tap target under 44×44 px on
the phone, a date broken across two lines, and an accessibility violation that axe-core (from npm) rates serious
or critical. The screenshots are kept as test artifacts (the path is printed)."""

import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from zhuqi.core import registry
from zhuqi.core.tests.browser import ARTIFACTS, CHROMIUM, browser_marks
from zhuqi.enterprises.demo.loader import DEMO_LOGINS
from zhuqi.org.models import User

pytestmark = browser_marks

AXE = Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

# URL names that are not pages: downloads, actions (POST), one-time links, the admin's second-factor steps
NOT_PAGES = {
    "logout", "set_language", "audit-export", "enterprise-export", "case-export", "ledger-template",
    "attachment-download", "case-attachment", "supervision-notice-docx", "inspection-signature", "inspection-photo",
    "hazard-ledger", "phone-unmask", "record-delete", "record-restore", "account-act", "case-action", "alarm-action",
    "patrol-start", "patrol-end", "campaign-assign", "notification-open", "notifications-read-all", "enterprise-board-reissue",
    "second-factor", "second-factor-setup", "login", "board-demand", "board-confirm", "account-invite",
    "notice-send", "notice-withdraw", "notice-confirm", "notice-file", "training-invite", "training-materials",
    "training-follow-up", "training-sign-in", "training-signed-in", "dispatch-period-open", "dispatch-period-close",
    "dispatch-report-case", "return-check", "return-act", "return-template", "return-upload", "stats-campaign-remind",
    "stats-campaign-export", "pollution-alert-act", "pollution-alert-proof", "pollution-alert-report",
    "pollution-task-confirm", "pollution-task-case",
}  # fmt: skip
# pages that need an object the demo zone does not have, each with the reason
NOT_IN_THE_DEMO = {
    "ledger-import": "the demo zone has no uploaded ledger (the import's pages have their own browser test)",
    "notice-edit-audience": "only a draft notice's audience is edited, and the demo's notices are all sent",
}
# Findings allowed for now, each with its reason (remove the line once fixed):
# findings allowed, each with its reason: (login, url name) -> the finding
KNOWN: dict[tuple[str, str], str] = {}

CHECKS = """async ({phone}) => {
  const what = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '') +
    ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 20) + '"';
  const shown = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true, visibilityProperty: true});
  const width = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const wide = [];
  if (overflow > 0) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && shown(el)) wide.push(what(el) + ' right=' + Math.round(r.right));
      if (wide.length >= 4) break;
    }
  }
  const small = [];
  if (phone) {
    const targets = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
    for (const el of document.querySelectorAll(targets)) {
      if (!shown(el) || el.closest('[inert], [aria-hidden=true]')) continue;
      // a link inside a sentence is exempt (WCAG 2.5.5): its line decides its height
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' &&
          [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === 3 && n.textContent.trim())) continue;
      let r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) continue;  // visually hidden until focused (the skip link)
      if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
        const l = el.labels[0].getBoundingClientRect();
        const left = Math.min(r.left, l.left), top = Math.min(r.top, l.top);
        r = {width: Math.max(r.right, l.right) - left, height: Math.max(r.bottom, l.bottom) - top};
      }
      if (r.width < 43.5 || r.height < 43.5) small.push(what(el) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
    }
  }
  // a date (2026-12-01, 12-01 20:49) is never broken across two lines
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && broken.length < 4; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\d{4}-\\d{2}-\\d{2}|\\d{2}-\\d{2} \\d{2}:\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0] + ' in ' + what(node.parentElement));
    }
  }
  const result = await axe.run(document, {resultTypes: ['violations']});
  const violations = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
  return {overflow, wide, small: small.slice(0, 6), broken, violations, links};
}"""


def page_names():
    """Every GET page of the URL conf (not the admin, not the API): {url name: takes arguments}."""
    names = {}

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith(("admin/", "api/", "i18n/")):
                    walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name and p.name not in NOT_PAGES:
                names[p.name] = bool(p.pattern.regex.groups)

    walk(get_resolver().url_patterns)
    return names


class Sweep:
    def __init__(self, browser, base, out):
        self.browser, self.base, self.out = browser, base, out
        self.failures, self.seen = [], {}

    def context(self, size, session=None):
        phone = size == "phone"
        context = self.browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone)
        context.add_init_script(path=str(AXE))
        if session:
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base}])
        page = context.new_page()
        page.problems = []
        # the document's own status is checked apart (an error page's status is expected): not its console line
        page.on("console", lambda m: page.problems.append(f"console: {m.text}")
                if m.type == "error" and m.location.get("url") != page.url else None)  # fmt: skip
        page.on("pageerror", lambda e: page.problems.append(f"script error: {e}"))
        page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" else None)  # fmt: skip
        return page

    def visit(self, pages, who, url, label, *, expected=(200,), shown=(200,)):
        """Open url at both sizes and check it when it answers a status in `shown`; return the status and the
        links it shows (None when it answered another expected status: the page is not this role's)."""
        links = None
        for size, page in pages.items():
            page.problems.clear()
            response = page.goto(self.base + url, wait_until="load")
            status = response.status if response else 0
            if urlsplit(page.url).path.startswith("/admin/"):
                return status, None  # the system administrator's 工作台 is Django's admin: Django's pages, not ours
            if (
                status not in expected
                and KNOWN.get((who, resolve(urlsplit(url).path).url_name)) != f"answered {status}"
            ):
                self.failures.append(f"{who} {url} [{size}]: answered {status}")
            if status not in shown or status not in expected:
                return status, None
            found = page.evaluate(CHECKS, {"phone": size == "phone"})
            page.screenshot(path=str(self.out / f"{who}-{label}-{size}.png"), full_page=True)
            where = f"{who} {url} [{size}]"
            self.failures += [f"{where}: {p}" for p in page.problems]
            if found["overflow"] > 0:
                self.failures.append(f"{where}: {found['overflow']} px wider than the screen: {found['wide']}")
            self.failures += [f"{where}: tap target under 44×44: {s}" for s in found["small"]]
            self.failures += [f"{where}: a date broken across lines: {b}" for b in found["broken"]]
            self.failures += [f"{where}: axe {v}" for v in found["violations"]]
            links = found["links"]
        return 200, links

    def role(self, username, session, seeds=()):
        pages = {size: self.context(size, session) for size in SIZES}
        user = User.objects.get(username=username)
        names = page_names()
        queue = deque()
        for entry in registry.nav_entries(user):
            if not entry.url_name.startswith("admin:"):
                queue.append((reverse(entry.url_name, args=entry.args(user) if entry.args else None), (200,)))
        # every page of the URL conf without arguments: the role's own answer 200, the others 403 or 404
        queue += [(reverse(name), (200, 403, 404)) for name, takes_args in names.items() if not takes_args]
        queue += [(url, (200, 403, 404)) for url in seeds]
        done = set()
        while queue:
            url, expected = queue.popleft()
            try:
                name = resolve(urlsplit(url).path).url_name
            except Resolver404:
                continue
            if name in done or name not in names:
                continue
            done.add(name)
            status, links = self.visit(pages, username, url, name, expected=expected)
            if status == 200:
                self.seen.setdefault(name, []).append(username)
            for href in links or []:
                parts = urlsplit(href)
                ours = parts.scheme in ("", "http") and (not parts.netloc or self.base.endswith(parts.netloc))
                if ours and parts.path.startswith("/") and not parts.path.startswith(("/admin/", "/api/")):
                    queue.append((parts.path, (200,)))  # a page a role is shown a link to must open
        for page in pages.values():
            page.context.close()


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_demo_role_holds_up_on_a_phone_and_a_desktop(live_server, client, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    assert AXE.exists(), "axe-core is missing from node_modules (make install)"
    call_command("load_demo_zone", stdout=open("/dev/null", "w"))  # noqa: SIM115
    out = ARTIFACTS / f"every-page-{connection.vendor}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    print(f"\nScreenshots of every page: {out}")

    from zhuqi.cases import board
    from zhuqi.enterprises.models import Enterprise, VisitProblem

    # a visit whose problems have not become cases yet: its page links to turning them into cases
    open_problem = VisitProblem.objects.filter(case__isnull=True).order_by("pk").first()
    seeds = [reverse("visit-detail", args=[open_problem.visit_id])]

    # one account of each role (anjian is a second 部门经办 beside yingji: the same pages), logged in once: the
    # session cookie of a login made here (administrators with their second factor too) serves both sizes
    sessions, roles = {}, set()
    for username, _name, role, _unit in DEMO_LOGINS:
        if role in roles:
            continue
        roles.add(role)
        login = type(client)()
        login.force_login(User.objects.get(username=username))
        sessions[username] = login.cookies[settings.SESSION_COOKIE_NAME].value

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        sweep = Sweep(browser, live_server.url, out)
        anonymous = {size: sweep.context(size) for size in SIZES}
        sweep.visit(anonymous, "anonymous", reverse("login"), "login")
        enterprise = Enterprise.objects.get(name="河南森源电气股份有限公司")
        token = board.board_token(enterprise=enterprise)
        sweep.visit(anonymous, "anonymous", reverse("board-demand", args=[token]), "board-demand")
        sweep.visit(anonymous, "anonymous", "/no-such-page/", "not-found", expected=(404,), shown=(404,))
        forbidden = {size: sweep.context(size, sessions["zone"]) for size in SIZES}
        sweep.visit(forbidden, "zone", reverse("audit-list"), "forbidden", expected=(403,), shown=(403,))
        for username, session in sessions.items():
            sweep.role(username, session, seeds)
        browser.close()

    missed = set(page_names()) - set(sweep.seen) - set(NOT_IN_THE_DEMO)
    if missed:
        sweep.failures.append(
            f"pages no demo role reached (link them, or say in NOT_IN_THE_DEMO why not): {sorted(missed)}"
        )
    assert not sweep.failures, f"{len(sweep.failures)} problems (screenshots in {out}):\n" + "\n".join(sweep.failures)
