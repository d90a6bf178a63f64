from django.core.management.base import BaseCommand

from zhuqi.reporting.definitions import torch_install


class Command(BaseCommand):
    help = "Install the torch statistics form (火炬统计) shipped with the app, if it is not there yet"

    def handle(self, *args, **options):
        version = torch_install()
        self.stdout.write(f"{version}：{version.sections.count()} 张分表，{version.ruleset.rules.count()} 条规则")
