from django.core.management.base import BaseCommand, CommandError

from zhuqi.core.errors import DomainError
from zhuqi.enterprises.models import Enterprise
from zhuqi.monitoring.gateways import gateway_create, gateway_revoke
from zhuqi.monitoring.models import Gateway
from zhuqi.org.models import User


class Command(BaseCommand):
    help = (
        "采集网关的设备令牌：create 为企业新建网关并显示一次令牌（HTTP 上报用 Bearer，MQTT 用户名 gw-<编号>、口令即令牌），"
        "revoke 吊销，list 列出；以 --by 所指账号的名义操作（园区管委会或本企业联系人），记入审计日志。"
        "增删后请运行 mosquitto_config --reload"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("--by", help="操作人账号")
        parser.add_argument("--enterprise", help="统一社会信用代码")
        parser.add_argument("--name", help="网关名称")
        parser.add_argument("--id", type=int, help="网关编号（吊销时）")

    def handle(self, *args, action, by, enterprise, name, id, **options):
        gateways = Gateway.objects.select_related("enterprise").order_by("pk")
        if action == "list":
            for g in gateways.filter(enterprise__credit_code=enterprise) if enterprise else gateways:
                state = f"已吊销 {g.revoked_at:%Y-%m-%d %H:%M}" if g.revoked_at else "有效"
                used = f"{g.last_used_at:%Y-%m-%d %H:%M}" if g.last_used_at else "未使用"
                self.stdout.write(
                    f"{g.pk}\t{g.mqtt_username}\t{g.enterprise.credit_code}\t{g.name}\t{state}\t最近使用 {used}"
                )
            return
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError("请用 --by 指明操作人（有效账号）")
        try:
            if action == "create":
                firm = Enterprise.objects.filter(credit_code=enterprise).first()
                if firm is None:
                    raise CommandError("没有这个统一社会信用代码的企业")
                gateway, token = gateway_create(by=actor, enterprise=firm, name=name or "")
                self.stdout.write(f"已创建网关 {gateway.name}：MQTT 用户名 {gateway.mqtt_username}")
                self.stdout.write(f"设备令牌（只显示这一次）：{token}")
            else:
                gateway = gateways.filter(pk=id).first()
                if gateway is None:
                    raise CommandError("没有这个网关")
                gateway_revoke(by=actor, gateway=gateway)
                self.stdout.write(f"已吊销网关 {gateway.mqtt_username}")
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write("请运行 manage.py mosquitto_config --dir <目录> --reload 更新代理的口令文件和访问控制表")
