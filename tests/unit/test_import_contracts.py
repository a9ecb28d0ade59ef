"""The import contracts in pyproject.toml ([tool.importlinter]) hold: run `lint-imports` as the tests run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(config: Path) -> list[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    return [exe, str(config), "--no-cache", "--no-logo"]


def test_the_import_contracts_are_kept():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(lint_imports(ROOT / "pyproject.toml"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_the_readers_contract_names_every_other_storage_module():
    """The readers' contract lists what they may not import; a new storage module must join the list."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [readers] = [c for c in config if c.get("source_modules") == ["storage.readers"]]
    storage = ROOT / "storage"
    modules = {f"storage.{p.stem}" for p in storage.glob("*.py") if p.stem != "__init__"}
    modules |= {f"storage.{p.parent.name}" for p in storage.glob("*/__init__.py")}
    allowed = {"storage.model", "storage.normalize", "storage.readers"}
    assert set(readers["forbidden_modules"]) == modules - allowed


def test_a_cycle_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of storage/ where ingest imports store again (as it once did) is refused."""
    shutil.copytree(ROOT / "storage", tmp_path / "storage", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tui", tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    ingest = tmp_path / "storage" / "ingest.py"
    ingest.write_text(ingest.read_text() + "\nfrom .store import Store  # noqa: E402\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run(lint_imports(tmp_path / "pyproject.toml"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "No cycles are allowed in storage" in run.stdout
