"""The layers are checked by import-linter (the contracts in pyproject.toml, run by `make lint`): the tree keeps
them, and an import that breaks one is refused."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own venv's tool on our own tree
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "where, planted, refused_by",
    [
        # the shared kernel naming a module above it
        ("zhuqi/core/planted.py", "from zhuqi.inspections import models\n", "never upwards"),
        ("zhuqi/enterprises/planted.py", "from zhuqi.cases import services\n", "never upwards"),
        # one module reaching into another instead of going through the registry
        ("zhuqi/grids/planted.py", "from zhuqi.monitoring import selectors\n", "independent of one another"),
        # a view querying another app's models
        ("zhuqi/cases/views.py", "from zhuqi.enterprises.models import Enterprise\n", "cases's views"),
    ],
)
def test_a_planted_forbidden_import_is_refused(tmp_path, where, planted, refused_by):
    shutil.copytree(ROOT / "zhuqi", tmp_path / "zhuqi", ignore=shutil.ignore_patterns("__pycache__", "static*",
                                                                                      "locale", "templates"))  # fmt: skip
    target = tmp_path / where
    target.write_text(planted + (target.read_text() if target.exists() else ""))
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert refused_by in " ".join(result.stdout.split())
