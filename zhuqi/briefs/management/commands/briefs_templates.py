from django.core.management.base import BaseCommand

from zhuqi.briefs.templates_docx import write_all


class Command(BaseCommand):
    help = "Write the briefs' Word templates (docx/*.docx) in the official layout of GB/T 9704-2012."

    def handle(self, *args, **options):
        for path in write_all():
            self.stdout.write(str(path))
