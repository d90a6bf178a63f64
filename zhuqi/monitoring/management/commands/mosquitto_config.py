import os
import signal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuqi.monitoring.broker import files_write


class Command(BaseCommand):
    help = (
        "写出 Mosquitto 的口令文件和访问控制表（每个采集网关只能在本企业的主题 zhuqi/<统一社会信用代码>/… 下发布，"
        "接入程序只能订阅）；--config 同时写出代理配置（make mosquitto 用）；网关增删后加 --reload 让代理重新读取"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", required=True, help="写到哪个目录（生产：/etc/mosquitto/zhuqi）")
        parser.add_argument("--config", action="store_true", help="同时写出 mosquitto.conf（路径指向该目录）")
        parser.add_argument("--port", type=int, default=1883)
        parser.add_argument("--reload", action="store_true", help="向 <dir>/mosquitto.pid 所指的代理发送 SIGHUP")

    def handle(self, *args, dir, config, port, reload, **options):
        directory = Path(dir).resolve()
        for path in files_write(directory, config=config, port=port):
            self.stdout.write(f"已写出 {path}")
        if reload:
            pid_file = directory / "mosquitto.pid"
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
            except (OSError, ValueError) as error:
                raise CommandError(f"无法通知代理重新读取（{pid_file}：{error}）") from error
            self.stdout.write("已通知代理重新读取口令文件和访问控制表")
