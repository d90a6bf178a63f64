import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhuqi.core.audit import audit_record
from zhuqi.core.backup import BackupProblem, backup_create
from zhuqi.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "备份数据库与上传的文件（PostgreSQL 用 pg_dump，SQLite 用其在线备份）到一个 .tar.gz，附各表行数与审计链末哈希"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="备份文件路径（默认 var/backups/zhuqi-时间.tar.gz）")

    def handle(self, *args, output, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 -- the file name in local time
        output = output or Path(settings.VAR_DIR) / "backups" / f"zhuqi-{stamp}.tar.gz"
        try:
            manifest = backup_create(output)
        except BackupProblem as error:
            raise CommandError(str(error)) from error
        audit_record(actor=None, actor_username="manage.py", event=AuditEvent.BACKUP, detail=str(output))
        rows = sum(manifest.counts.values())
        self.stdout.write(f"已备份到 {output}：{len(manifest.counts)} 张表，共 {rows} 行")
