import random
import time

from django.db import connection

from zhuqi.enterprises.credit_code import make_credit_code

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
HEADS = ["平顶山", "河南", "平顶山市", "河南省", "郑州", "洛阳"]
CORES = list("鑫恒瑞泰华盛宏达鼎信诚安康源通远博创海天润丰汇隆昌兴嘉和晟宇佳峰正豪森尼龙神马")
TRADES = [
    "电气",
    "电力设备",
    "尼龙新材料",
    "化工",
    "机械制造",
    "环保科技",
    "物流",
    "商贸",
    "新能源",
    "信息技术",
    "建筑工程",
    "纺织",
    "检测技术",
    "供应链管理",
    "精密制造",
]
FORMS = ["有限公司", "股份有限公司", "有限责任公司"]


def ledger_rows(count: int, parks: list[str], seed: int = 7):
    rng = random.Random(seed)
    for n in range(count):
        org = "MA" + "".join(_ALPHABET[(n // 31**i) % 31] for i in range(5, -1, -1))
        code = make_credit_code(authority="9", kind="1", division="410471", organisation8=org)
        name = f"{rng.choice(HEADS)}{rng.choice(CORES)}{rng.choice(CORES)}{rng.choice(TRADES)}{n}{rng.choice(FORMS)}"
        yield [
            name,
            code,
            rng.choice(parks),
            "",
            "制造业",
            rng.choice(["规上", "规下", "规下"]),
            "张" + rng.choice(CORES),
            f"139{n:08d}",
            rng.randint(5, 3000),
            f"平顶山高新区建设路{n % 300}号",
        ]


def empty_registry():
    """An empty registry and a fresh coordinator to import as (the truncation cascades to accounts)."""
    from zhuqi.org.models import Role, User

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enterprises_enterprise, core_auditrecord RESTART IDENTITY CASCADE")
    return User.objects.create(username="bench", full_name="基准", role=Role.ZONE_COORDINATOR)


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def timed(fn, *args) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def bench_coordinator(username: str = "bench-admin"):
    """The account the peers run as: a zone coordinator, as a real user of the zone-wide lists would be (the
    platform forbids superusers)."""
    from zhuqi.org.models import Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": "基准协调员", "role": Role.ZONE_COORDINATOR}
    )
    return user


def admin_changelist(model, params: dict, user) -> tuple[int, list]:
    """Django admin's changelist for `model` built in-process, as its view builds it (filters, search, count and
    the first page), without the HTTP round trip or the template: the same work ours does in a function call.
    At the admin's best documented setting for large tables: no second, unfiltered count."""
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[model]
    model_admin.show_full_result_count = False
    request = RequestFactory().get("/", params)
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return changelist.result_count, list(changelist.result_list)
