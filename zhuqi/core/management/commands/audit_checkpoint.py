from django.core.management.base import BaseCommand

from zhuqi.core.audit_chain import audit_checkpoint_write


class Command(BaseCommand):
    help = "把审计哈希链的最新一环签名写入库外的检查点文件（每日运行；verify_audit 据此发现链尾被截断）"

    def handle(self, *args, **options):
        path = audit_checkpoint_write()
        self.stdout.write(f"检查点已写入 {path}" if path else "审计日志尚无记录，未写检查点")
