"""The enterprise list with search over 100,000 enterprises: the page's own query (count and first page,
through the selector) beside the raw SQL of the same query (floor) and beside Django admin's changelist
searching the same table, built in-process (peer: what a Django developer gets for free)."""

from django.core.paginator import Paginator
from django.db import connection

from bench.common import admin_changelist, bench_coordinator, median, timed
from zhuqi.enterprises import selectors
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import User

QUERIES = ["森尼", "sndq", "91410471MA00", "尼龙新材料123", "hxdl"]
REPEAT = 15


def page_with_selector(user, q):
    page = Paginator(selectors.enterprise_list(user=user, filters=selectors.EnterpriseFilters(q=q)), 30).get_page(1)
    rows = [(e.name, e.park and e.park.name, e.service_officer_id, [t.name for t in e.tags.all()]) for e in page]
    return page.paginator.count, rows


RAW_WHERE = "(e.name LIKE %s OR e.name_initials LIKE %s OR e.credit_code LIKE %s)"


def page_raw(q):
    like = f"%{q}%"
    params = [like, f"%{q.lower()}%", f"{q.upper()}%"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM enterprises_enterprise e WHERE {RAW_WHERE}", params)  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT e.name, p.name, e.service_officer_id FROM enterprises_enterprise e "  # noqa: S608
            f"LEFT JOIN org_park p ON p.id = e.park_id WHERE {RAW_WHERE} ORDER BY e.name LIMIT 30",
            params,
        )
        rows = cursor.fetchall()
    return count, rows


def admin_search(user, q):
    return admin_changelist(Enterprise, {"q": q}, user)


def run(*, total: int) -> str:
    user = User.objects.get(username="bench")
    peer_user = bench_coordinator()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
    ours, floor, peer = [], [], []
    for q in QUERIES:
        assert page_with_selector(user, q)[0] == page_raw(q)[0], q
        page_with_selector(user, q)
        page_raw(q)
        ours.append(median([timed(page_with_selector, user, q) for _ in range(REPEAT)]))
        floor.append(median([timed(page_raw, q) for _ in range(REPEAT)]))
        admin_search(peer_user, q)
        peer.append(median([timed(admin_search, peer_user, q) for _ in range(REPEAT)]))
        print(f"enterprise_search {q!r}: zhuqi {ours[-1]:.1f} ms, raw SQL {floor[-1]:.1f} ms, admin {peer[-1]:.1f} ms")
    value, base, other = (sum(v) / len(v) for v in (ours, floor, peer))
    return f"BENCH enterprise_search {value:.1f} ms floor={base:.1f} peer={other:.1f}"
