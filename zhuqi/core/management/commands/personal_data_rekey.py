from django.core.management.base import BaseCommand

from zhuqi.core.personal import personal_data_rekey


class Command(BaseCommand):
    help = (
        "轮换 ZHUQI_DATA_KEY 后，把所有加密的个人信息及其检索哈希改用当前密钥重写（分批、每批一个事务、记审计；"
        "已是当前密钥的不动，可重复运行）。旧密钥在 ZHUQI_DATA_KEY_PREVIOUS 中保留到本命令跑完。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        done = personal_data_rekey(batch_size=batch_size)
        for label, count in done.items():
            self.stdout.write(f"{label}：重新加密 {count} 条")
        self.stdout.write(f"完成：共 {sum(done.values())} 条改用当前密钥")
