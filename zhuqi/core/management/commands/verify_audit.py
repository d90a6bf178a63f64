from django.core.management.base import BaseCommand, CommandError

from zhuqi.core.audit_chain import chain_breaks
from zhuqi.core.models import AuditRecord

PROBLEMS = {"edited": "内容被改动", "removed before": "其前的记录被删除"}


class Command(BaseCommand):
    help = "核验审计日志的哈希链：找出被改动或删除的记录（发现断链时以非零状态退出）"

    def handle(self, *args, **options):
        checked, breaks = chain_breaks(AuditRecord.objects.order_by("id").iterator(chunk_size=2000))
        for found in breaks:
            self.stderr.write(f"审计记录 #{found.record_id}：{PROBLEMS[found.problem]}")
        if breaks:
            raise CommandError(f"审计日志哈希链断裂 {len(breaks)} 处（共核验 {checked} 条）")
        self.stdout.write(f"审计日志完整：共核验 {checked} 条，哈希链未断。")
