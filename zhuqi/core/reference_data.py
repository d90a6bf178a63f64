"""Reference rows the migrations write (the indicators each module declares): a data migration's function marked
`reference_data = True` is run again after every `flush`, as Django's own post_migrate handlers recreate content
types and permissions, so that emptying the tables (a transactional test's teardown, a `flush` by hand) leaves
them as `migrate` made them. The functions are idempotent (update_or_create, get_or_create)."""

from functools import cache

from django.apps import apps as global_apps


@cache
def _declarations() -> tuple:
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    found = []
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        for operation in loader.disk_migrations[key].operations:
            if isinstance(operation, RunPython) and getattr(operation.code, "reference_data", False):
                found.append(operation.code)
    return tuple(found)


def reference_data_restore(sender, using="default", plan=None, **kwargs) -> None:
    # after `migrate` (which passes its plan) the migrations have just written them, and a migration back to an
    # earlier state must not meet today's models: only after a flush
    if plan is not None:
        return
    for declare in _declarations():
        declare(global_apps, None)
