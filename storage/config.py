"""config.toml: one file, every setting validated, a bad one named with its file and line.

Where it is: `--config FILE`, else $PAPERTRIAGE_CONFIG, else `config.toml` in the platform's user config directory
(`~/.config/papertriage/` on Linux). A missing file means the defaults, except a `--config FILE` that does not exist:
that is a typo worth saying. Settings that only the app can check (key names, actions, themes) are kept with their
line, so the app reports them with `Config.error_at` in the same `file:line: problem` form.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import platformdirs

from .errors import PapertriageError

ENV_VAR = "PAPERTRIAGE_CONFIG"
FILE_NAME = "config.toml"
GROUP_BY = ("tag", "date", "none")
MAX_BYTES = 1024 * 1024  # a config is a few hundred bytes; a larger file is a mistake (a feed saved by the wrong name)


class ConfigError(PapertriageError):
    """A config that cannot be used; str() is `<file>:<line>: <problem>` (no line when the file is unreadable)."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}")


@dataclass(frozen=True)
class FeedConfig:
    """One `[[feeds]]` subscription. `url` may hold `{date}` (YYYY-MM-DD): one request per day."""

    name: str
    url: str
    tags: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Config:
    path: Path
    exists: bool = False
    theme: str | None = None
    advance: bool = True  # r/x/a move the cursor to the next paper in every view, not only the inbox
    fetch_on_start: bool = False
    fetch_timeout: float = 30.0
    sync_dir: Path | None = None
    export_group_by: str = "tag"
    export_abstracts: bool = False
    export_file_name: str = "papertriage-{view}-{date}.md"
    keys: Mapping[str, tuple[str, int]] = field(default_factory=lambda: MappingProxyType({}))  # action -> (keys, line)
    feeds: tuple[FeedConfig, ...] = ()
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # "export.group_by" -> line

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name)

    def error_at(self, line: int | None, problem: str) -> ConfigError:
        return ConfigError(self.path, line, problem)

    def settings(self) -> dict[str, Any]:
        """The settings in effect, as TOML would write them (for `papertriage config`)."""
        return {
            "theme": self.theme,
            "advance": self.advance,
            "fetch_on_start": self.fetch_on_start,
            "sync_dir": str(self.sync_dir) if self.sync_dir else None,
            "export": {"group_by": self.export_group_by, "abstracts": self.export_abstracts,
                       "file_name": self.export_file_name},
            "fetch": {"timeout": self.fetch_timeout},
            "keys": {action: keys for action, (keys, _) in self.keys.items()},
            "feeds": [{"name": f.name, "url": f.url, "tags": list(f.tags)} for f in self.feeds],
        }


def config_path(explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return Path(platformdirs.user_config_dir("papertriage", appauthor=False)) / FILE_NAME


def load_config(explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Config:
    path = config_path(explicit, env)
    try:
        st = path.stat()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(path, None, "no such config file (`papertriage config --init` writes one)") from None
        return Config(path=path)
    except OSError as e:
        raise ConfigError(path, None, f"cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the start, a directory is a mistake
        raise ConfigError(path, None, "not a regular file")
    if st.st_size > MAX_BYTES:
        raise ConfigError(path, None, f"{st.st_size:,} bytes: too large for a config file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ConfigError(path, None, f"cannot read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(path, line, f"not UTF-8 (byte 0x{raw[e.start]:02x})") from None
    return parse_config(text, path)


_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def parse_config(text: str, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        m = _TOML_AT.search(message)
        line = int(m.group(1)) if m and m.group(1) else text.count("\n") + 1
        raise ConfigError(path, line, f"TOML syntax: {_TOML_AT.sub('', message)}") from None
    return _Reader(text, path).read(data)


# -- finding lines -------------------------------------------------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")


def _key_parts(dotted: str) -> list[str]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+)""", dotted)
    return [a or b or c for a, b, c in parts]


def _lines(text: str) -> dict[str, int]:
    """`section.key` -> line for every assignment and header; array tables are numbered (`feeds.0.url`).

    tomllib gives no positions, and these are what an error has to name. Multi-line strings are skipped so a line
    inside one is never read as a key.
    """
    out: dict[str, int] = {}
    table = ""
    arrays: dict[str, int] = {}
    in_string: str | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header:
            name = ".".join(_key_parts(header.group(2)))
            if header.group(1) == "[[":
                arrays[name] = arrays.get(name, -1) + 1
                name = f"{name}.{arrays[name]}"
            table = name
            out.setdefault(table, n)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = ".".join(_key_parts(assign.group(1)))
            out.setdefault(f"{table}.{key}" if table else key, n)
            rest = line[assign.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_string = quote
    return out


# -- validation ----------------------------------------------------------------------------------------------------
class _Reader:
    TOP = ("theme", "advance", "fetch_on_start", "sync_dir", "export", "fetch", "keys", "feeds", "hf", "arxiv")
    EXPORT = ("group_by", "abstracts", "file_name")
    FETCH = ("timeout",)
    FEED = ("name", "url", "tags")

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.lines = _lines(text)

    def line(self, name: str) -> int | None:
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return None

    def error(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.line(name), problem)

    def known(self, table: dict, allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
                where = f"in [{prefix.rstrip('.')}] " if prefix else ""
                raise self.error(prefix + key, f"unknown setting {key!r} {where}{hint}".replace("  ", " "))

    def typed(self, table: dict, key: str, prefix: str, kind: type | tuple[type, ...], what: str, default: Any) -> Any:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(prefix + key, f"{prefix + key} must be {what}, not {_describe(value)}")
        return value

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"{key} must be a table ([{key}]), not {_describe(value)}")
        return value

    def read(self, data: dict) -> Config:
        self.known(data, self.TOP, "")
        theme = self.typed(data, "theme", "", str, "a theme name (a string)", None)
        advance = self.typed(data, "advance", "", bool, "true or false", True)
        fetch_on_start = self.typed(data, "fetch_on_start", "", bool, "true or false", False)
        sync_dir = self.typed(data, "sync_dir", "", str, "a folder path (a string)", None)
        if sync_dir is not None:
            if not sync_dir.strip():
                raise self.error("sync_dir", "sync_dir is empty (leave it out to turn sync off)")
            sync_path = Path(sync_dir).expanduser()
            sync_dir = sync_path if sync_path.is_absolute() else (self.path.parent / sync_path)

        export = self.table(data, "export")
        self.known(export, self.EXPORT, "export.")
        group_by = self.typed(export, "group_by", "export.", str, f"one of {', '.join(GROUP_BY)}", "tag")
        if group_by not in GROUP_BY:
            raise self.error("export.group_by", f"export.group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
        abstracts = self.typed(export, "abstracts", "export.", bool, "true or false", False)
        file_name = self.typed(export, "file_name", "export.", str, "a file name pattern (a string)",
                               Config.export_file_name)
        self.check_pattern(file_name)

        fetch = self.table(data, "fetch")
        self.known(fetch, self.FETCH, "fetch.")
        timeout = self.typed(fetch, "timeout", "fetch.", (int, float), "a number of seconds", 30.0)
        if not 0 < timeout <= 600:
            raise self.error("fetch.timeout", f"fetch.timeout must be between 0 and 600 seconds, not {timeout}")

        return Config(
            path=self.path, exists=True, theme=theme, advance=advance, fetch_on_start=fetch_on_start,
            fetch_timeout=float(timeout), sync_dir=sync_dir, export_group_by=group_by, export_abstracts=abstracts,
            export_file_name=file_name, keys=MappingProxyType(self.keys(self.table(data, "keys"))),
            feeds=self.shortcuts(data, self.feeds(data.get("feeds", []))), lines=MappingProxyType(dict(self.lines)),
        )

    def check_pattern(self, pattern: str) -> None:
        if not pattern.strip() or "/" in pattern or "\\" in pattern or "\0" in pattern:
            raise self.error("export.file_name", "export.file_name must be a file name (no folders), e.g. "
                             f"{Config.export_file_name!r}")
        try:
            pattern.format(view="inbox", date="2026-01-01")
        except (KeyError, IndexError, ValueError) as e:
            raise self.error("export.file_name", f"export.file_name: only {{view}} and {{date}} can be filled in ({e})") from None

    def keys(self, table: dict) -> dict[str, tuple[str, int]]:
        out = {}
        for action, value in table.items():
            where = f"keys.{action}"
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = ",".join(value)
            if not isinstance(value, str):
                raise self.error(where, f"{where} must be a key or keys, e.g. \"w\" or \"j,down\", not {_describe(value)}")
            keys = [k.strip() for k in value.split(",")]
            if not all(keys):
                raise self.error(where, f"{where}: empty key name in {value!r} (separate keys with commas)")
            out[action] = (",".join(keys), self.line(where) or 0)
        return out

    def shortcuts(self, data: dict, feeds: tuple[FeedConfig, ...]) -> tuple[FeedConfig, ...]:
        """`hf = true` and `arxiv = ["cs.CL", ...]`: the HF daily list and arXiv RSS categories, after [[feeds]]."""
        from .fetch.feeds import ARXIV_CATEGORY, HF_DAILY, arxiv_rss_url

        extra = []
        if self.typed(data, "hf", "", bool, "true or false", False):
            extra.append(FeedConfig(*HF_DAILY, line=self.line("hf") or 0))
        cats = data.get("arxiv", [])
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise self.error("arxiv", f'arxiv must be a list of arXiv categories, e.g. ["cs.CL", "cs.LG"], not {_describe(cats)}')
        for cat in cats:
            if not ARXIV_CATEGORY.match(cat.strip()):
                raise self.error("arxiv", f"arxiv: {cat!r} is not an arXiv category (e.g. \"cs.CL\", \"hep-th\")")
            extra.append(FeedConfig(cat.strip(), arxiv_rss_url(cat.strip()), line=self.line("arxiv") or 0))
        for f in extra:
            if any(g.name.casefold() == f.name.casefold() for g in feeds):
                raise ConfigError(self.path, f.line, f"two feeds are named {f.name!r}")
            feeds += (f,)
        return feeds

    def feeds(self, value: object) -> tuple[FeedConfig, ...]:
        if not isinstance(value, list) or not all(isinstance(f, dict) for f in value):
            raise self.error("feeds", "feeds must be written as [[feeds]] tables, each with a name and a url")
        out: list[FeedConfig] = []
        for i, feed in enumerate(value):
            prefix = f"feeds.{i}."
            self.known(feed, self.FEED, prefix)
            for key in ("name", "url"):
                if key not in feed:
                    raise self.error(f"feeds.{i}", f"[[feeds]] number {i + 1} has no {key}")
            name = self.typed(feed, "name", prefix, str, "a string", "").strip()
            url = self.typed(feed, "url", prefix, str, "a string", "").strip()
            if not name:
                raise self.error(prefix + "name", "a feed's name cannot be empty")
            if any(f.name.casefold() == name.casefold() for f in out):
                raise self.error(prefix + "name", f"two feeds are named {name!r}")
            if not re.match(r"^https?://[^/\s]+", url):
                raise self.error(prefix + "url", f"feed {name!r}: url must start with http:// or https://, not {url!r}")
            if re.search(r"\{(?!date\})[^}]*\}", url):
                raise self.error(prefix + "url", f"feed {name!r}: the only placeholder a url can hold is {{date}}")
            tags = self.typed(feed, "tags", prefix, list, "a list of strings", [])
            if not all(isinstance(t, str) and t.strip() for t in tags):
                raise self.error(prefix + "tags", f"feed {name!r}: tags must be a list of non-empty strings")
            out.append(FeedConfig(name=name, url=url, tags=tuple(t.strip() for t in tags),
                                  line=self.line(f"feeds.{i}") or 0))
        return tuple(out)


def _describe(value: object) -> str:
    names: dict[type, str] = {str: "a string", bool: "a boolean", int: "a number", float: "a number",
                              list: "a list", dict: "a table"}
    kind = names.get(type(value), type(value).__name__)
    shown = repr(value)
    return f"{kind} ({shown if len(shown) <= 40 else shown[:37] + '...'})"
