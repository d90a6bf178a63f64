from django.contrib.staticfiles.apps import StaticFilesConfig


class ZhuqiStaticFilesConfig(StaticFilesConfig):
    """Tabler's dist ships extra stylesheets (flags, payments, right-to-left) whose images we do not serve; the
    pages load only tabler.min.css and tabler.min.js, so the extras are not collected."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "tabler-*", "*.rtl.*"]
