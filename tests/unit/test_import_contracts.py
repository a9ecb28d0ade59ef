"""The import contracts in pyproject.toml ([tool.importlinter]) hold: run `lint-imports` as the tests run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe, str(root / "pyproject.toml"), "--no-cache", "--no-logo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_are_kept():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


BREAKS = [  # (module, an import it must not have, what lint-imports then says)
    ("storage/ingest.py", "from .store import Store", "No cycles are allowed in storage"),  # as it once did
    ("storage/readers/bibtex.py", "from ..errors import DataFileError", "storage.readers is not allowed to import"),
    ("storage/readers/common.py", "from ..store import Store", "storage.readers.common -> storage.store"),
    ("storage/model.py", "import textual", "storage is not allowed to import textual"),
    ("storage/export.py", "from tui import app", "tui is built on storage"),
]


def test_each_contract_can_break(tmp_path):
    """A copy of the code with forbidden imports added is refused, each contract named (one run for all: each
    run of lint-imports costs seconds)."""
    for package in ("storage", "tui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, line, _ in BREAKS:
        path = tmp_path / module
        path.write_text(path.read_text() + f"\n{line}  # noqa: E402\n")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    for _, _, broken in BREAKS:
        assert broken in run.stdout, run.stdout[-3000:]
    assert "Contracts: 0 kept, 4 broken." in run.stdout
