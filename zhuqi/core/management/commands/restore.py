from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuqi.core.audit import audit_record
from zhuqi.core.backup import BackupProblem, backup_restore
from zhuqi.core.models import AuditEvent


class Command(BaseCommand):
    help = "从 backup 生成的备份恢复数据库与文件，并核对各表行数和审计哈希链（默认恢复到本平台的数据库，须加 --yes）"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database-url", help="恢复到另一个数据库（如演练用的空库）")
        parser.add_argument("--media-root", type=Path, help="文件恢复到的目录（默认本平台的 MEDIA_ROOT）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖本平台当前的数据库")

    def handle(self, *args, archive, database_url, media_root, yes, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件 {archive}")
        if database_url is None and not yes:
            raise CommandError("恢复将覆盖本平台当前的数据库；确认请加 --yes，或用 --database-url 恢复到另一个库")
        try:
            manifest = backup_restore(archive, database_url=database_url, media_root=media_root)
        except BackupProblem as error:
            raise CommandError(str(error)) from error
        if database_url is None:
            audit_record(actor=None, actor_username="manage.py", event=AuditEvent.RESTORE, detail=str(archive))
        self.stdout.write(
            f"已从 {archive}（{manifest.created_at}）恢复，{len(manifest.counts)} 张表行数与审计哈希链核对无误"
        )
