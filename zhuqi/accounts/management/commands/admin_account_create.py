import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent
from zhuqi.org.models import ADMIN_ROLES, Role, User


class Command(BaseCommand):
    help = "新建三员账号（系统管理员、安全管理员、审计管理员）；平台不设超级用户（代替 createsuperuser）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in ADMIN_ROLES])

    def handle(self, *args, username, full_name, role, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"账号 {username} 已存在")
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再输一次："):
            raise CommandError("两次输入的密码不一致")
        user = User(username=username, full_name=full_name, role=role, is_staff=role != Role.AUDITOR)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        with transaction.atomic():
            user.set_password(password)
            user.save()
            audit_record(actor=None, actor_username="manage.py", event=AuditEvent.CREATE, obj=user,
                         detail=f"admin_account_create {role}")  # fmt: skip
        self.stdout.write(f"已新建{Role(role).label}账号 {username}；首次登录时按提示绑定手机令牌。")
