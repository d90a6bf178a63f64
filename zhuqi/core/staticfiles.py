from django.contrib.staticfiles.finders import FileSystemFinder


class ProjectFilesFinder(FileSystemFinder):
    """STATICFILES_DIRS without Tabler's extra stylesheets (flags, payments, right-to-left), whose images we do not
    serve: the pages load only tabler.min.css and tabler.min.js, and collecting the extras would fail on the images."""

    def list(self, ignore_patterns):
        yield from super().list([*(ignore_patterns or []), "tabler-*", "*.rtl.*"])
