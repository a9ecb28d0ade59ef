"""Shared fixtures: a small synthetic library (invented papers) with some state, a fixed clock, no user config.

The data and helpers live in tests/support (importable as `support.*`: pytest puts tests/ on sys.path, see
pyproject.toml); this file holds only fixtures and hooks.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from support.library import build_library

# Property tests: `ci` for the test command; `deep` runs ten times the examples of every test (support/examples.py).
# Pick one with `--hypothesis-profile=deep` or PAPERTRIAGE_HYPOTHESIS_PROFILE=deep. No deadline: the box is shared.
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", settings.get_profile("ci"), max_examples=1000)
settings.load_profile(os.environ.get("PAPERTRIAGE_HYPOTHESIS_PROFILE", "ci"))

# Pilot waits, after each key and in pause(), until the process looks idle: it sleeps in steps of 20 ms and stops
# after a step that used under 5% CPU. Those steps were most of a Pilot test's time (a test of ~20 keys slept about
# 0.8 s, its CPU was busy for less). Steps of 2 ms keep the same rule (under 5% CPU in a step) at a tenth of the
# wait; a busy app (a worker thread counts) still keeps Pilot waiting, as before. Textual keeps the step in a private
# module (textual/_wait.py): if a release renames it, the tests only get slower again.
_wait = importlib.import_module("textual._wait")
if hasattr(_wait, "SLEEP_GRANULARITY") and hasattr(_wait, "SLEEP_IDLE"):
    _wait.SLEEP_GRANULARITY = 0.002
    _wait.SLEEP_IDLE = _wait.SLEEP_GRANULARITY / 20


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory, monkeypatch):
    """No test reads the config of the person running the tests: $PAPERTRIAGE_CONFIG names a file that is not there
    (subprocesses inherit it). A test that wants a config passes `--config` or sets the variable itself."""
    monkeypatch.setenv("PAPERTRIAGE_CONFIG", str(tmp_path_factory.getbasetemp() / "no-such-config.toml"))


@pytest.fixture
def library_dir(tmp_path) -> Path:
    """A data dir with the sample library and some state (see STARRED, QUEUED, READ, SKIPPED, TAGS, NOTES)."""
    return build_library(tmp_path / "data")


@pytest.fixture
def bare_library_dir(tmp_path) -> Path:
    """The sample library with no user state at all."""
    return build_library(tmp_path / "data", with_state=False)


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    """A data dir that does not exist yet (a first run)."""
    return tmp_path / "fresh"


E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e runs real processes (tmux, subprocesses): `-m "not e2e"` leaves it out."""
    for item in items:
        if E2E in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
