"""BENCH alert_activate: one heavy-pollution alert activated for BENCH_ALERT_FIRMS firms on the list (5,000) on
PostgreSQL — each firm's measure resolved and its task written, its check-in for the day opened, its SMS and in-app
message in the outbox, the day's spot checks by grid — in one transaction (alert_act(action="activate")).

  floor = the same task, check-in and outbox rows, built beforehand in Python, written by one COPY per table
  peer  = the naive way: a loop over the firms, each resolved and saved by the ORM one at a time (task, check-in,
          outbox_write per firm; the measures table read once)

Each is run three times in a transaction that is rolled back; the median is printed."""

import datetime
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from bench.common import median

PARK = "基准重污染园区"


class _Rollback(Exception):
    pass


def _rolled_back(fn) -> float:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - started


def prepare(firms: int):
    """The park, its firms (a primary contact with a phone, a grid, two lines each) on the list, the bureau's
    handler; made once."""
    from zhuqi.core.bulk import insert_rows
    from zhuqi.core.roles import Role
    from zhuqi.enterprises.credit_code import make_credit_code
    from zhuqi.enterprises.models import Contact, Enterprise
    from zhuqi.org.models import Community, Department, Grid, Park, Town, User
    from zhuqi.pollution import measures, rules
    from zhuqi.pollution.models import BUREAU, EmissionSource, Grade, PollutionFirm, Sector

    measures.measures_install()
    rules.rules_install()
    park, _ = Park.objects.get_or_create(name=PARK)
    department, _ = Department.objects.get_or_create(name=BUREAU)
    bureau, _ = User.objects.get_or_create(username="bench-pollution", defaults={
        "full_name": "基准环保经办", "role": Role.DEPARTMENT_HANDLER, "department": department})  # fmt: skip
    if PollutionFirm.objects.filter(enterprise__park=park).count() != firms:
        PollutionFirm.objects.filter(enterprise__park=park).delete()
        Enterprise.everything.filter(park=park).delete()
        town, _ = Town.objects.get_or_create(name="基准镇")
        community, _ = Community.objects.get_or_create(town=town, name="基准社区")
        members = [User.objects.get_or_create(username=f"bench-grid-{n}", defaults={
            "full_name": f"网格员{n}", "role": Role.GRID_MEMBER})[0] for n in range(50)]  # fmt: skip
        grids = [Grid.objects.get_or_create(code=f"BENCH-P{n:03d}", defaults={
            "community": community, "name": f"基准网格{n}", "member": members[n]})[0] for n in range(50)]  # fmt: skip
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        now = timezone.now()
        with transaction.atomic():
            insert_rows(
                Enterprise, ["credit_code", "name", "name_initials", "grid_id"],
                ((make_credit_code(authority="9", kind="1", division="410471",
                                   organisation8="PW" + "".join(alphabet[(n // 31**i) % 31] for i in range(5, -1, -1))),
                  f"基准减排企业{n}有限公司", "JZJPQY", grids[n % 50].pk) for n in range(firms)),
                constants={"park_id": park.pk, "industry": "C", "scale": "above", "created_at": now, "updated_at": now},
            )  # fmt: skip
            ids = list(Enterprise.objects.filter(park=park).values_list("pk", flat=True))
            insert_rows(Contact, ["enterprise_id", "name", "phone"],
                        ((pk, "张经理", f"137{pk % 10**8:08d}") for pk in ids), constants={"is_primary": True})  # fmt: skip
            grades = [Grade.A, Grade.B, Grade.B, Grade.B_MINUS, Grade.C, Grade.C, Grade.D]
            sectors = [Sector.NYLON, Sector.CHEMICAL, Sector.COATING, Sector.FOUNDRY]
            made = PollutionFirm.objects.bulk_create([PollutionFirm(
                enterprise_id=pk, sector=sectors[i % 4], grade=grades[i % 7], graded_on=datetime.date(2025, 9, 30),
                grade_document="基准〔2025〕1号", approval_capacity=Decimal(100), permit_capacity=Decimal(95),
                last_year_daily=Decimal(90), normal_load_kw=Decimal(1000)) for i, pk in enumerate(ids)], batch_size=2000)  # fmt: skip
            EmissionSource.objects.bulk_create([EmissionSource(firm=f, name=f"{n}号线", so2=10, nox=20, pm=5, vocs=3)
                                                for f in made for n in (1, 2)], batch_size=5000)  # fmt: skip
    return park, bureau


def _issue(bureau):
    from zhuqi.pollution.services import alert_issue

    now = timezone.now()
    return alert_issue(by=bureau, level="orange", document="基准应急〔2026〕1号", starts_at=now,
                       ends_at=now + datetime.timedelta(days=3))  # fmt: skip


def _only_park(park):
    """The bench's firms only (the database may hold the demo's too)."""
    from zhuqi.pollution.models import PollutionFirm

    PollutionFirm.objects.exclude(enterprise__park=park).update(on_list=False)


def ours(park, bureau, firms: int) -> float:
    from zhuqi.pollution.models import AlertTask
    from zhuqi.pollution.services import alert_act

    def activate():
        _only_park(park)
        alert = _issue(bureau)
        alert_act(alert=alert, action="activate", by=bureau)
        assert AlertTask.objects.filter(alert=alert).count() == firms

    return _rolled_back(activate)


def floor(park, bureau, firms: int) -> float:
    """The task, check-in and outbox rows ours writes, computed beforehand, written by one COPY each."""
    from zhuqi.enterprises.models import Contact
    from zhuqi.pollution.models import AlertTask

    ids = list(park.enterprises.values_list("pk", flat=True)) if hasattr(park, "enterprises") else []
    if not ids:
        from zhuqi.enterprises.models import Enterprise

        ids = list(Enterprise.objects.filter(park=park).values_list("pk", flat=True))
    phones = list(Contact.objects.filter(enterprise_id__in=ids, is_primary=True).values_list("phone", flat=True))
    now = timezone.now()
    table = AlertTask._meta.db_table
    total = 0.0

    def write():
        nonlocal total
        alert = _issue(bureau)
        started = time.perf_counter()
        raw = connection.cursor().cursor
        with raw.copy(f"COPY {table} (alert_id, enterprise_id, park_id, sector, grade, level, action, cut_percent, "
                      "lines_stop_percent, transport_ban, road_transport_stopped, measure, baseline, allowed_output, "
                      "so2, nox, pm, vocs, sms_text, from_at, notified_at, compliance) FROM STDIN") as copy:  # fmt: skip
            for pk in ids:
                copy.write_row((alert.pk, pk, park.pk, "chemical", "B", "orange", "cut", 20, 0, True, False,
                                "限产20%，禁止国四及以下重型货车运输", 90, 72, 20, 40, 10, 6,
                                "【助企】短信", now, now, "pending"))  # fmt: skip
        task_ids = list(AlertTask.objects.filter(alert=alert).values_list("pk", flat=True))
        with raw.copy("COPY pollution_checkin (task_id, day, note) FROM STDIN") as copy:
            for pk in task_ids:
                copy.write_row((pk, now.date(), ""))
        with raw.copy("COPY notifications_outboxmessage (channel, recipient, subject, body, status, attempts, "
                      "next_attempt_at, last_error, created_at) FROM STDIN") as copy:  # fmt: skip
            for phone in phones:
                copy.write_row(("sms", phone, "橙色预警", "【助企】短信", "pending", 0, now, "", now))
        with raw.copy("COPY pollution_spotcheck (task_id, day, result, note) FROM STDIN") as copy:
            for pk in task_ids[:150]:  # three per grid, as ours assigns
                copy.write_row((pk, now.date(), "open", ""))
        total = time.perf_counter() - started

    _rolled_back(write)
    return total


def peer(park, bureau, firms: int) -> float:
    """The naive way: per firm, resolve its measure and save its task, check-in, inbox and outbox rows one by one."""
    from zhuqi.enterprises.models import Contact
    from zhuqi.notifications.outbox import outbox_write
    from zhuqi.pollution import measures
    from zhuqi.pollution.models import AlertTask, CheckIn, PollutionFirm

    def activate():
        alert = _issue(bureau)
        now = timezone.now()
        table = measures.MeasureTable(on=now.date())  # read once, as ours does
        for firm in PollutionFirm.objects.filter(enterprise__park=park).select_related("enterprise"):
            m = table.resolve(enterprise_id=firm.enterprise_id, sector=firm.sector, grade=firm.grade,
                              level=alert.level)  # fmt: skip
            base = measures.baseline(approval=firm.approval_capacity, permit=firm.permit_capacity,
                                     last_year=firm.last_year_daily)  # fmt: skip
            task = AlertTask.objects.create(
                alert=alert, enterprise_id=firm.enterprise_id, park_id=park.pk, sector=firm.sector, grade=firm.grade,
                level=alert.level, action=m.action, cut_percent=m.cut_percent, measure=m.text, baseline=base,
                allowed_output=measures.allowed_output(base, m.cut_percent), sms_text="【助企】短信", from_at=now,
                notified_at=now)  # fmt: skip
            CheckIn.objects.create(task=task, day=now.date())
            phone = Contact.objects.filter(enterprise_id=firm.enterprise_id, is_primary=True).first().phone
            outbox_write(phones=[phone], subject="橙色预警", sms_text="【助企】短信")

    return _rolled_back(activate)


def run(*, firms: int) -> str:
    park, bureau = prepare(firms)
    ours_s = median([ours(park, bureau, firms) for _ in range(3)])
    floor_s = median([floor(park, bureau, firms) for _ in range(3)])
    peer_s = median([peer(park, bureau, firms) for _ in range(3)])
    return f"BENCH alert_activate {ours_s:.2f} s floor={floor_s:.2f} peer={peer_s:.2f}"
