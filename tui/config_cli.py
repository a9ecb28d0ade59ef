"""`papertriage config [--init] [--json]`: where the config file is, and the settings in effect."""

from __future__ import annotations

import json
import sys

from storage.atomic import atomic_write
from storage.config import config_path, load_config
from storage.config_text import default_text, tomlish
from storage.errors import PapertriageError


def cmd_config(args) -> int:
    """`papertriage config`: where the file is and what is in effect; `--init` writes a commented default."""
    path = config_path(args.config)
    if args.init:
        from tui.keymap import config_rows

        if path.exists() or path.is_symlink():
            raise PapertriageError(f"{path}: exists already; not overwritten (edit it, or remove it first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, default_text(config_rows).encode(), backup=False)
        except OSError as e:
            raise PapertriageError(f"{path}: cannot write ({e.strerror or e})") from None
        print(f"wrote {path}", file=sys.stderr)
        return 0
    config = load_config(args.config if args.config else None)
    check_app_config(config)
    if args.json:
        print(json.dumps({"path": str(config.path), "exists": config.exists, "settings": config.settings()}, indent=2))
        return 0
    print(f"# {config.path}" + ("" if config.exists else "  (no such file: the defaults are in effect)"))
    print(tomlish(config.settings()))
    return 0


def check_app_config(config) -> None:
    """The settings only the app can judge (key names, actions, the theme): raises ConfigError naming the line."""
    from tui.keymap import check_config

    check_config(config)
