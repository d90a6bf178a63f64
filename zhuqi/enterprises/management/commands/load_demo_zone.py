from django.core.management.base import BaseCommand
from django.db import transaction

from zhuqi.core import registry
from zhuqi.enterprises.demo.loader import load_demo_zone
from zhuqi.enterprises.models import DemoDataLoad, Enterprise
from zhuqi.org.models import Department


class Command(BaseCommand):
    help = "载入演示高新区（部门、园区、网格、约300家企业、走访记录和每个角色的演示账号，以及各模块的演示数据）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, seed, **options):
        lines = []
        if Department.objects.exists():
            self.stdout.write("演示数据已存在，跳过载入。")
        else:
            result = load_demo_zone(seed=seed)
            lines.append(f"已载入演示高新区：企业 {result['enterprises']} 家")
        # each module's own demo data, as registered from its AppConfig.ready(), once: a module that arrived after
        # the zone was loaded brings its data now; a database without the demo zone gets none
        if Enterprise.objects.filter(is_demo=True).exists():
            loaded = set(DemoDataLoad.objects.values_list("name", flat=True))
            for loader in registry.demo_loaders():
                if loader.name not in loaded:
                    with transaction.atomic():
                        lines.append(registry.demo_load(loader, seed))
                        DemoDataLoad.objects.create(name=loader.name)
        if lines:
            self.stdout.write("，".join(lines) + "。")
        self.stdout.write(demo_logins_table())


def demo_logins_table() -> str:
    """The demo logins with each person's unit as the pages name it (read back from the loaded zone)."""
    from zhuqi.core import registry
    from zhuqi.enterprises.demo.loader import DEMO_LOGINS, DEMO_PASSWORD
    from zhuqi.org.models import User

    modules = {u: why for u, why in registry.demo_logins().items() if u not in {row[0] for row in DEMO_LOGINS}}
    accounts = User.objects.filter(username__in=[row[0] for row in DEMO_LOGINS] + list(modules))
    people = {
        u.username: u for u in accounts.select_related("department", "park", "enterprise").prefetch_related("grids")
    }
    lines = [f"\n演示账号（密码均为 {DEMO_PASSWORD}）："]
    for username, full_name, role, _unit in DEMO_LOGINS:
        user = people.get(username)
        unit = (user.unit_name or ", ".join(g.name for g in user.grids.all())) if user else ""
        lines.append(f"  {username:<10} {role.label:<12} {full_name}{('（' + unit + '）') if unit else ''}")
    for username, why in modules.items():
        user = people.get(username)
        if user is not None:
            unit = f"（{user.unit_name}）" if user.unit_name else ""
            lines.append(f"  {username:<10} {user.get_role_display():<12} {user.full_name}{unit}，{why}")
    return "\n".join(lines)
