"""Every page of every demo role, on a phone (390×844) and a desktop (1366×900), in one browser: the demo zone is
loaded, each role's pages are its navigation, every page of the URL conf it may open, and the first page of each
kind that those pages link to (the detail pages of a demo object of each kind). A page fails on a console error,
an unexpected 4xx/5xx (its own or a file it loads), a page wider than the screen, a tap target under 44×44 px on
the phone, a date broken across two lines, and an accessibility violation that axe-core (from npm) rates serious
or critical (axe reads each page at each size once, for the first role that opens it: the markup is its
template's). The screenshots of each page at each size (for the first role that opens it, and wherever it has a
finding; for every role with ZHUQI_SCREENSHOTS=1) are kept as test artifacts (the path is printed). The roles are swept in two parts, one test each, so that two workers share it."""

import fcntl
import json
import os
import shutil
import time
from collections import Counter, deque
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
from zhuqi.org.models import Role, User

pytestmark = browser_marks

AXE = Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js"
# every page of every role is photographed at both sizes and kept as the run's artifacts (issue 15); a quicker run
# photographs each page only for the first role that opens it and wherever it has a finding (ZHUQI_SCREENSHOTS=first)
EVERY_SCREENSHOT = os.environ.get("ZHUQI_SCREENSHOTS", "every") != "first"
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
    "stats-campaign-export", "rule-try", "rule-activate", "dispatch-export",
    "growth-stage-new", "project-advance", "project-problem", "lead-move", "project-evidence",
    "policy-rematch", "policy-round-draw", "policy-round-approve", "policy-round-pay",
    "policy-round-ledger", "policy-handbook-docx", "policy-data-request", "policy-application-act",
    "policy-application-material", "policy-condition-try", "policy-condition-retire",
    "evaluation-run-act", "evaluation-score-docx", "evaluation-objection-decide",
    "evaluation-objection-evidence", "evaluation-method-act",
    "pollution-alert-act", "pollution-alert-proof", "pollution-alert-report",
    "pollution-task-confirm", "pollution-task-case",
    "assessment-month-close", "assessment-adjust", "assessment-report",
    "brief-issue", "brief-redraft", "brief-docx", "brief-version-docx",
    "cockpit-tile",  # a tile of the cockpit's page, for its polling (the page itself is swept)
}  # fmt: skip
# pages that need an object the demo zone does not have, each with the reason
NOT_IN_THE_DEMO: dict[str, str] = {
    "evaluation-objection-new": "the demo's 2023 evaluation is final, so no firm may object (evaluations/tests/test_browser.py objects)",
}
# Findings allowed for now, each with its reason (remove the line once fixed):
# findings allowed, each with its reason: (login, url name) -> the finding
KNOWN: dict[tuple[str, str], str] = {}

CHECKS = """async ({phone, axeToo}) => {
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
  // a heading or title is never broken inside a word (a Latin word or a code split across lines) nor leaves one
  // Chinese character alone on its last line
  const titles = [];
  if (phone) {
    const heads = 'h1, h2, h3, h4, h5, h6, .card-title, .card-header, legend';
    for (const h of document.querySelectorAll(heads)) {
      if (titles.length >= 4) break;
      if (!shown(h)) continue;
      const chars = [];
      const texts = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const text = node.textContent;
        for (const m of text.matchAll(/[A-Za-z0-9][A-Za-z0-9_.]*[A-Za-z0-9]/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width).map((r) => Math.round(r.top)));
          if (tops.size > 1) titles.push('"' + m[0] + '" split in ' + what(h));
        }
        for (let i = 0; i < text.length; i++) {
          if (/\\s/.test(text[i])) continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const r = [...range.getClientRects()].find((x) => x.width);
          if (r) chars.push({bottom: r.bottom, ch: text[i]});
        }
      }
      if (chars.length < 2) continue;
      const lastBottom = Math.max(...chars.map((c) => c.bottom));
      const last = chars.filter((c) => c.bottom > lastBottom - 8);
      if (last.length < chars.length && last.length === 1 && /\\p{Script=Han}/u.test(last[0].ch)) {
        titles.push('"' + last[0].ch + '" alone on the last line of ' + what(h));
      }
    }
  }
  const result = axeToo ? await axe.run(document, {resultTypes: ['violations']}) : {violations: []};
  const violations = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
  return {overflow, wide, small: small.slice(0, 6), broken, titles: titles.slice(0, 4), violations, links};
}"""


def _url_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).url_name
    except Resolver404:
        return ""


class _AdminRequest:
    """What a ModelAdmin's permission checks and get_queryset read of a request."""

    resolver_match = None

    def __init__(self, user):
        self.user = user


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
        self.axed = set()  # (page, size) axe has read: a page's markup is its template's, whichever role opens it
        self.costs = Counter()  # seconds spent loading, checking and photographing pages: printed, never asserted

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

    def visit(self, pages, who, url, label, *, expected=(200,), shown=(200,), admin=False):
        """Open url at both sizes and check it when it answers a status in `shown`; return the status and the
        links it shows (None when it answered another expected status: the page is not this role's)."""
        links = None
        for size, page in pages.items():
            page.problems.clear()
            clock = time.monotonic()
            response = page.goto(self.base + url, wait_until="load")
            self.costs["load"] += time.monotonic() - clock
            status = response.status if response else 0
            if urlsplit(page.url).path.startswith("/admin/") and not admin:
                return status, None  # the system administrator's 工作台 is Django's admin: swept by admin() below
            if status not in expected and KNOWN.get((who, _url_name(url))) != f"answered {status}":
                self.failures.append(f"{who} {url} [{size}]: answered {status}")
            if status not in shown or status not in expected:
                return status, None
            clock = time.monotonic()
            first = (label, size) not in self.axed
            found = page.evaluate(CHECKS, {"phone": size == "phone", "axeToo": first})
            self.axed.add((label, size))
            self.costs["check"] += time.monotonic() - clock
            where, before = f"{who} {url} [{size}]", len(self.failures)
            self.failures += [f"{where}: {p}" for p in page.problems]
            if found["overflow"] > 0:
                self.failures.append(f"{where}: {found['overflow']} px wider than the screen: {found['wide']}")
            self.failures += [f"{where}: tap target under 44×44: {s}" for s in found["small"]]
            self.failures += [f"{where}: a date broken across lines: {b}" for b in found["broken"]]
            self.failures += [f"{where}: a title broken: {t}" for t in found["titles"]]
            self.failures += [f"{where}: axe {v}" for v in found["violations"]]
            if EVERY_SCREENSHOT or first or len(self.failures) > before:
                clock = time.monotonic()
                page.screenshot(path=str(self.out / f"{who}-{label}-{size}.png"), full_page=not admin)
                self.costs["screenshot"] += time.monotonic() - clock
            links = found["links"]
        return 200, links

    def admin(self, username, session):
        """The Django admin pages this administrator works in, on a desk only: the index, each registered model's
        changelist they may view, and the change form of its first record."""
        from django.contrib import admin

        pages = {"desktop": self.context("desktop", session)}
        user = User.objects.get(username=username)
        urls = [("admin-index", reverse("admin:index"))]
        for model, model_admin in sorted(admin.site._registry.items(), key=lambda m: m[0]._meta.label):
            meta, request = model._meta, _AdminRequest(user)
            if not (model_admin.has_module_permission(request) and model_admin.has_view_or_change_permission(request)):
                continue  # not on this administrator's index (e.g. the registry: its search only)
            label = f"admin-{meta.app_label}-{meta.model_name}"
            urls.append((label, reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")))
            first = model_admin.get_queryset(request).order_by("pk").values_list("pk", flat=True).first()
            if first is not None and not isinstance(first, tuple):
                urls.append(
                    (label + "-change", reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first]))
                )
        for label, url in urls:
            if self.visit(pages, username, url, label, admin=True)[0] == 200:
                self.seen.setdefault(label, []).append(username)
        pages["desktop"].context.close()

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


def _objects_the_demo_lacks() -> list[str]:
    """Pages whose object the demo zone does not have, made here: the zone office's check of an uploaded ledger
    (the registry's own export of two firms, so the check finds them registered already), and a department's
    notice still a draft, whose audience is edited."""
    from django.core.files.base import ContentFile

    from zhuqi.enterprises.ledger import ledger_export, ledger_import_check
    from zhuqi.enterprises.models import Enterprise, LedgerImport
    from zhuqi.notices import services as notices
    from zhuqi.notices.models import Notice, NoticeStatus
    from zhuqi.org.models import Park

    zone = User.objects.get(username="zone")
    job = LedgerImport(original_name="高新区企业台账.xlsx", uploaded_by=zone)
    job.file.save("ledger.xlsx", ContentFile(ledger_export(enterprises=Enterprise.objects.order_by("pk")[:2], by=zone)))
    ledger_import_check(job_id=job.pk)
    draft = notices.notice_create(
        by=User.objects.get(username="yingji"), title="节前安全生产工作提示（草稿）", body="请各企业开展节前安全自查。",
        criteria={"parks": [Park.objects.order_by("pk").first().pk]},
    )  # fmt: skip
    # the draft now heads the department's list, so the detail page it opens first has no 更正: a sent one's does
    sent = Notice.objects.filter(status=NoticeStatus.SENT, department=draft.department).order_by("pk").first()
    return [reverse("ledger-import", args=[job.pk]), reverse("notice-edit-audience", args=[draft.pk]),
            *([reverse("notice-correct", args=[sent.pk])] if sent else [])]  # fmt: skip


# the roles in two parts, one test each, so that two workers sweep at once; the pages reached are put together by
# whichever part finishes last
PARTS = {
    "office-firm-grid": {Role.ZONE_COORDINATOR, Role.ENTERPRISE_CONTACT, Role.GRID_MEMBER, Role.AUDITOR,
                         Role.SECURITY_ADMIN},
    "bureau-park-admin": {Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.SYSTEM_ADMIN},
}  # fmt: skip


def _reached_by_every_part(out: Path, run: str, part: str, seen) -> set | None:
    """Records the pages this part reached; once every part has, returns them all (None before that)."""
    with open(out / f".seen-{run}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        (out / f".seen-{run}-{part}.json").write_text(json.dumps(sorted(seen)))
        found = [out / f".seen-{run}-{p}.json" for p in PARTS]
        if not all(f.exists() for f in found):
            return None
        reached = {name for f in found for name in json.loads(f.read_text())}
        for f in found:
            f.unlink()
        return reached


@pytest.mark.long(minutes=6)
@pytest.mark.whole_demo
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", PARTS)
def test_every_page_of_every_demo_role_holds_up_on_a_phone_and_a_desktop(part, live_server, client, monkeypatch,
                                                                         testrun_uid):  # fmt: skip
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    assert AXE.exists(), "axe-core is missing from node_modules (make install)"
    clock = time.monotonic()
    call_command("load_demo_zone", stdout=open("/dev/null", "w"))  # noqa: SIM115
    print(f"\nthe demo zone loaded in {time.monotonic() - clock:.0f} s")
    root = ARTIFACTS / f"every-page-{connection.vendor}"
    out = root / part
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    print(f"Screenshots of every page: {out}")

    from zhuqi.cases import board
    from zhuqi.enterprises.models import Enterprise, VisitProblem

    # a visit whose problems have not become cases yet: its page links to turning them into cases
    open_problem = VisitProblem.objects.filter(case__isnull=True).order_by("pk").first()
    seeds = [reverse("visit-detail", args=[open_problem.visit_id]), *_objects_the_demo_lacks()]

    # one account of each of this part's roles (anjian is a second 部门经办 beside yingji: the same pages), logged in
    # once: the session cookie of a login made here (administrators with their second factor too) serves both sizes
    sessions, roles = {}, set()
    for username, _name, role, _unit in DEMO_LOGINS:
        if role in roles or role not in PARTS[part]:
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
        if Role.ZONE_COORDINATOR in PARTS[part]:
            anonymous = {size: sweep.context(size) for size in SIZES}
            sweep.visit(anonymous, "anonymous", reverse("login"), "login")
            enterprise = Enterprise.objects.get(name="河南森源电气股份有限公司")
            token = board.board_token(enterprise=enterprise)
            sweep.visit(anonymous, "anonymous", reverse("board-demand", args=[token]), "board-demand")
            sweep.visit(anonymous, "anonymous", "/no-such-page/", "not-found", expected=(404,), shown=(404,))
            forbidden = {size: sweep.context(size, sessions["zone"]) for size in SIZES}
            sweep.visit(forbidden, "zone", reverse("audit-list"), "forbidden", expected=(403,), shown=(403,))
        started = time.monotonic()
        for username, session in sessions.items():
            sweep.role(username, session, seeds)
        roles_done = time.monotonic()
        if "sysadmin" in sessions:
            sweep.admin("sysadmin", sessions["sysadmin"])
        # what each part costs, for keeping the sweep's time in check (printed, never asserted)
        print(f"roles' pages {roles_done - started:.0f} s, admin pages {time.monotonic() - roles_done:.0f} s; "
              + ", ".join(f"{k} {v:.0f} s" for k, v in sweep.costs.items()))  # fmt: skip
        browser.close()

    reached = _reached_by_every_part(root, testrun_uid, part, sweep.seen)
    if reached is None:
        print("the pages no role reached are counted by the part that finishes last")
    else:
        missed = set(page_names()) - reached - set(NOT_IN_THE_DEMO)
        if missed:
            sweep.failures.append(
                f"pages no demo role reached (link them, or say in NOT_IN_THE_DEMO why not): {sorted(missed)}"
            )
    assert not sweep.failures, f"{len(sweep.failures)} problems (screenshots in {out}):\n" + "\n".join(sweep.failures)
