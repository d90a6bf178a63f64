from django.db import migrations

from zhuqi.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """Trigram indexes so that a search for part of a name, its initials or a code does not scan the registry."""

    dependencies = [("enterprises", "0002_initial")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX enterprise_name_trgm ON enterprises_enterprise USING gin (name gin_trgm_ops)",
                "CREATE INDEX enterprise_initials_trgm ON enterprises_enterprise "
                "USING gin (name_initials gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS enterprise_initials_trgm",
                "DROP INDEX IF EXISTS enterprise_name_trgm",
            ],
        ),
    ]
