"""The hazard's record moved from the case engine to the inspections module without moving a row: a hazard written
while the model was the engine's is the module's after migrating, in the same table, and back again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

BEFORE = [("cases", "0011_qr_board_keys_and_submissions"), ("inspections", "0003_phone_encrypted")]
AFTER = [("cases", "0012_hazard_moves_to_inspections"), ("inspections", "0004_hazard_moves_to_inspections")]


def migrate(targets):
    """Migrates to the targets (unapplying what depends on later states, e.g. a module's migration that needs a later
    case engine) and gives the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = MigrationLoader(connection).applied_migrations
    return executor.loader.project_state(list(applied)).apps


def migrate_to_the_end():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.long(minutes=0.7)
@pytest.mark.django_db(transaction=True)
def test_a_hazard_recorded_by_the_engine_is_the_inspections_after_migrating():
    try:
        old = migrate(BEFORE)
        User, Department = old.get_model("org", "User"), old.get_model("org", "Department")
        Category, Case = old.get_model("cases", "Category"), old.get_model("cases", "Case")
        department = Department.objects.create(name="应急管理局")
        inspector = User.objects.create(username="inspector", role="department_handler", department=department,
                                        password_changed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))  # fmt: skip
        category = Category.objects.create(kind="hazard", name="电气隐患", department=department)
        case = Case.objects.create(kind="hazard", category=category, description="配电箱门损坏", source="inspection",
                                   reporter=inspector, number="ZQ2026000001")  # fmt: skip
        old.get_model("cases", "Hazard").objects.create(case=case, grade="major", place="一号厂房",
                                                         rectified_on=datetime.date(2026, 11, 30))  # fmt: skip

        new = migrate(AFTER)
        hazard = new.get_model("inspections", "Hazard").objects.get(case_id=case.pk)
        assert (hazard.grade, hazard.place, hazard.rectified_on) == ("major", "一号厂房", datetime.date(2026, 11, 30))
        assert new.get_model("inspections", "Hazard")._meta.db_table == "cases_hazard"
        assert "cases_hazard" in connection.introspection.table_names()

        back = migrate(BEFORE)  # and back: the engine's again, the row untouched
        assert back.get_model("cases", "Hazard").objects.get(case_id=case.pk).grade == "major"
    finally:
        migrate_to_the_end()  # every app's tables back for the tests after this one
