"""make bench: each figure beside its floor and its peer, measured in the same run.

  BENCH import_enterprises <rows/s> rows/s floor=<python-calamine reading alone> peer=<django-import-export, bulk>
  BENCH enterprise_search <ms> ms floor=<raw SQL of the same query> peer=<admin changelist search>
  BENCH case_figures <ms> ms floor=<raw SQL of the same statements> peer=<one GROUP BY over the period's cases>
  BENCH case_list <ms> ms floor=<raw SQL: count + first page> peer=<admin ChangeList in-process, same filters>
  BENCH sensor_ingest <readings/s> readings/s floor=<transport ceiling> peer=<one ORM insert per reading>
  BENCH sensor_store_copy <readings/s> readings/s floor=<itself: storage.py's binary COPY> peer=<one ORM insert per reading>
  BENCH alarm_latency <p99 ms> ms floor=<transport publish→receive p99> peer=<one ORM insert per reading, p99>
  BENCH login_p95 <ms> ms floor=<p95 of a trivial logged-in page, same load> peer=<login with Django's Argon2>
  BENCH notice_send <s> s floor=<the same receipts and outbox rows by one COPY each> peer=<the ORM: bulk_create, outbox_write>
  BENCH alert_activate <s> s floor=<the same tasks, check-ins and outbox rows by one COPY each> peer=<a per-firm ORM save loop>
  BENCH form_validate <returns/s> returns/s floor=<the same CEL program on contexts built beforehand> peer=<the same rules in simpleeval>
  BENCH policy_match <pairs/s> pairs/s floor=<the same CEL programs on contexts built beforehand> peer=<the same rules in simpleeval>
  BENCH policy_rematch_firm <ms> ms floor=<its CEL programs on a built context> peer=<its pairs in simpleeval>
  BENCH evaluation_run <s> s floor=<the bare rule evaluation on contexts built beforehand> peer=<the same items in simpleeval>
  BENCH assessment_month <s> s floor=<the same aggregates in raw SQL> peer=<one ORM count per unit and figure>

The import part also prints (no BENCH line) what PostgreSQL alone takes to store the rows ours stored: the bound
under any import into this schema, beside the floor.

BENCH_ONLY=cases (or import, search, sensors, login, notices, forms; comma-separated) runs a part; the parts after the
import need its 100,000 enterprises and load them once if they are missing. BENCH_SENSOR_ROUNDS (200), BENCH_ALARM_SECONDS (60)
and BENCH_ALARM_RATE (100,000 readings/s) make the sensors part smaller for CI; BENCH_NOTICE_FIRMS (10,000) the
notices part; BENCH_FORM_RETURNS (10,000) the torch returns checked by the forms part; BENCH_GAP_FIRMS (10,000) the firms of the
growth pipeline's gap analysis (gaps); BENCH_POLICY_FIRMS (100,000) and BENCH_POLICY_COUNT (100) the policies part;
BENCH_EVAL_FIRMS (100,000) the firms scored by the evaluations part; BENCH_ALERT_FIRMS (5,000) the firms of the pollution
part; BENCH_ASSESS_RECORDS (20,000) each of the other modules' tables under the monthly assessment (over the cases
part's BENCH_CASES cases).

Runs on the PostgreSQL named by DATABASE_URL (a scratch database, created and emptied here)."""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuqi.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
PEER_ROWS = int(os.environ.get("BENCH_PEER_ROWS", str(ROWS)))
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
OUT = Path(__file__).resolve().parent / "out"


def ensure_database():
    import psycopg
    from environ import Env

    url = Env.db_url_config(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=url["HOST"], port=url["PORT"] or 5432, user=url["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{url["NAME"]}"')


def main():
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import (
        alert_activate,
        assessment_month,
        case_queries,
        enterprise_search,
        evaluation_run,
        form_validate,
        import_enterprises,
        login_load,
        notice_send,
        pipeline_gaps,
        policy_match,
        sensor_ingest,
    )
    from zhuqi.enterprises.models import Enterprise

    OUT.mkdir(exist_ok=True)
    only = set(
        filter(
            None,
            os.environ.get(
                "BENCH_ONLY",
                "import,search,cases,sensors,login,notices,forms,gaps,policies,evaluations,pollution,assessment",
            ).split(","),
        )
    )
    lines = []
    if "import" in only:
        lines.append(import_enterprises.run(rows=ROWS, peer_rows=PEER_ROWS, out=OUT))
    elif only & {"search", "cases", "assessment"} and Enterprise.objects.count() != ROWS:
        import_enterprises.load(rows=ROWS, out=OUT)
    if "search" in only:
        lines.append(enterprise_search.run(total=ROWS))
    if "cases" in only:
        lines.extend(case_queries.run(total=CASES))
    if "sensors" in only:
        lines.extend(sensor_ingest.run(rounds=int(os.environ.get("BENCH_SENSOR_ROUNDS", "200")), workdir=OUT))
    if "login" in only:
        users, rounds = int(os.environ.get("BENCH_LOGIN_USERS", "100")), int(os.environ.get("BENCH_LOGIN_ROUNDS", "3"))
        lines.append(login_load.run(users=users, rounds=rounds))
    if "notices" in only:
        lines.append(notice_send.run(firms=int(os.environ.get("BENCH_NOTICE_FIRMS", "10000"))))
    if "forms" in only:
        lines.append(form_validate.run(count=int(os.environ.get("BENCH_FORM_RETURNS", "10000"))))
    if "gaps" in only:
        lines.append(pipeline_gaps.run(firms=int(os.environ.get("BENCH_GAP_FIRMS", "10000"))))
    if "policies" in only:
        lines.extend(policy_match.run(firms=int(os.environ.get("BENCH_POLICY_FIRMS", "100000")),
                                      policies=int(os.environ.get("BENCH_POLICY_COUNT", "100"))))  # fmt: skip
    if "evaluations" in only:
        lines.append(evaluation_run.run(firms=int(os.environ.get("BENCH_EVAL_FIRMS", "100000"))))
    if "pollution" in only:
        lines.append(alert_activate.run(firms=int(os.environ.get("BENCH_ALERT_FIRMS", "5000"))))
    if "assessment" in only:
        # over the case benchmark's cases (written here when the cases part did not run)
        case_queries.fill(CASES)
        lines.append(assessment_month.run(total_records=int(os.environ.get("BENCH_ASSESS_RECORDS", "20000"))))
    print()
    for line in lines:
        print(line)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
