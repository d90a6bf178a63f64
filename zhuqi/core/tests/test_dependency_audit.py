import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "dependency_audit.py"


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def with_report(dependencies):
        output = json.dumps({"dependencies": dependencies})
        monkeypatch.setattr(
            module.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, stdout=output, stderr="")
        )
        return module.main()

    return with_report


def test_an_audit_that_reached_no_vulnerability_database_says_not_audited_not_passed(audit, capsys):
    skipped = {"name": "django", "version": "5.2", "skip_reason": "Connection refused"}
    assert audit([skipped, {**skipped, "name": "psycopg"}]) == 3
    assert "2 个依赖未能核验" in capsys.readouterr().out


def test_a_known_vulnerability_fails_and_a_clean_audit_passes(audit):
    vulnerable = {"name": "django", "version": "5.2", "vulns": [{"id": "GHSA-x", "fix_versions": ["5.2.1"]}]}
    assert audit([vulnerable]) == 1
    assert audit([{"name": "django", "version": "5.2", "vulns": []}]) == 0
