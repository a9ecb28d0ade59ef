"""What the tests share besides fixtures: the sample library, the app and CLI drivers, the tmux pane, the torture
child. pytest puts tests/ on sys.path (`pythonpath` in pyproject.toml), so tests import these as `support.<module>`."""
