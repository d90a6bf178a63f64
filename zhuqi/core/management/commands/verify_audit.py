from django.core.management.base import BaseCommand, CommandError

from zhuqi.core.audit_chain import CheckpointForged, chain_breaks, checkpoint_latest, unlinked_forgeries
from zhuqi.core.models import AuditRecord

PROBLEMS = {
    "edited": "内容被改动",
    "removed before": "其前的记录被删除",
    "removed at start": "链首的记录被删除（它不是第 1 条）",
    "not sealed": "不是本平台写入的（无有效密钥签名），未入链",
}


class Command(BaseCommand):
    help = (
        "核验审计日志的哈希链：找出被改动、删除或伪造的记录，链首是否完整，"
        "并与最新的签名检查点比对链尾是否被截断（发现问题时以非零状态退出）"
    )

    def handle(self, *args, **options):
        forged = unlinked_forgeries()
        chained = AuditRecord._base_manager.filter(seq__isnull=False).order_by("seq")
        checked, breaks = chain_breaks(chained.iterator(chunk_size=2000))
        problems = [f"审计记录 #{b.record_id}：{PROBLEMS[b.problem]}" for b in breaks]
        problems += [f"审计记录 #{pk}：{PROBLEMS['not sealed']}" for pk in forged]
        try:
            point = checkpoint_latest()
        except CheckpointForged as error:
            point = None
            problems.append(f"检查点文件 {error} 的签名不对：被改动或不是本平台写的")
        if point is not None:
            held = chained.filter(seq=point.seq).values_list("hash", flat=True).first()
            if held != point.hash:
                last = chained.values_list("seq", flat=True).last() or 0
                where = f"只到第 {last} 条" if last < point.seq else "在该处已不是检查点记下的那条"
                problems.append(f"链尾被截断：检查点（{point.written_at}）记到第 {point.seq} 条，库中的链{where}")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"审计日志哈希链断裂 {len(problems)} 处（共核验 {checked} 条）")
        against = f"，与 {point.written_at} 的检查点（第 {point.seq} 条）相符" if point else "，尚无检查点可比对链尾"
        self.stdout.write(f"审计日志完整：共核验 {checked} 条，哈希链未断{against}。")
