"""config.toml: defaults, every setting validated with file:line errors, `papertriage config [--init]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.config import ConfigError, load_config, parse_config
from tui import keymap
from tui.cli import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        keymap.check_config(load_config(path))
    return str(e.value).replace(str(path), "FILE")


def test_missing_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRIAGE_CONFIG", str(tmp_path / "none.toml"))
    c = load_config()
    assert not c.exists and c.path == tmp_path / "none.toml"
    assert (c.advance, c.fetch_on_start, c.fetch_timeout, c.export_group_by, c.feeds) == (True, False, 30.0, "tag", ())


def test_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "typo.toml")


def test_every_setting_is_read(tmp_path):
    c = load_config(write(tmp_path, '''
theme = "nord"
advance = false
fetch_on_start = true
sync_dir = "sync"        # relative to the config file
[export]
group_by = "date"
abstracts = true
file_name = "{view}-{date}.md"
[fetch]
timeout = 5
[keys]
star = "w"
cursor_down = ["j", "down", "ctrl+n"]
[[feeds]]
name = "HF daily"
url = "https://huggingface.co/api/daily_papers?date={date}"
[[feeds]]
name = "cs.CL"
url = "https://rss.arxiv.org/rss/cs.CL"
tags = ["nlp", " rl "]
'''))
    keymap.check_config(c)
    assert c.theme == "nord" and c.advance is False and c.fetch_on_start is True and c.fetch_timeout == 5.0
    assert c.sync_dir == tmp_path / "sync"
    assert (c.export_group_by, c.export_abstracts, c.export_file_name) == ("date", True, "{view}-{date}.md")
    assert c.keys["star"] == ("w", 13) and c.keys["cursor_down"] == ("j,down,ctrl+n", 14)
    assert [f.name for f in c.feeds] == ["HF daily", "cs.CL"] and c.feeds[1].tags == ("nlp", "rl")
    assert c.feeds[1].line == 18 and keymap.effective_keys(c)["star"] == "w"


@pytest.mark.parametrize("text, message", [
    ('x = [\n', "FILE:2: TOML syntax"),
    ('avdance = true\n', "FILE:1: unknown setting 'avdance' (did you mean 'advance'?)"),
    ('\n[export]\nabstract = true\n', "FILE:3: unknown setting 'abstract' in [export]"),
    ('advance = "yes"\n', "FILE:1: advance must be true or false, not a string ('yes')"),
    ('[fetch]\ntimeout = true\n', "FILE:2: fetch.timeout must be a number of seconds"),
    ('[fetch]\ntimeout = 9999\n', "FILE:2: fetch.timeout must be between 0 and 600"),
    ('[export]\ngroup_by = "month"\n', "FILE:2: export.group_by must be one of tag, date, none"),
    ('[export]\nfile_name = "out/{view}.md"\n', "FILE:2: export.file_name must be a file name"),
    ('[export]\nfile_name = "{when}.md"\n', "FILE:2: export.file_name: only {view} and {date}"),
    ('export = 3\n', "FILE:1: export must be a table"),
    ('theme = "nrod"\n', "FILE:1: unknown theme 'nrod' (did you mean 'nord'?)"),
    ('[keys]\nstra = "w"\n', "FILE:2: keys: unknown action 'stra' (did you mean 'star'?)"),
    ('[keys]\n\nstar = "ctrl+wat"\n', "FILE:3: keys.star: unknown key name 'ctrl+wat'"),
    ('[keys]\nstar = 7\n', "FILE:2: keys.star must be a key or keys"),
    ('[keys]\nstar = "w,,x"\n', "FILE:2: keys.star: empty key name"),
    ('[keys]\nstar = "j"\n', "FILE:2: keys: 'j' is given to both star and cursor_down"),
    ('[keys]\nstar = "w"\ntag = "w"\n', "keys: 'w' is given to both"),
    ('[keys]\nstar = "?"\n', "FILE:2: keys: '?' is given to both star and help"),
    ('[[feeds]]\nname = "a"\n', "FILE:1: [[feeds]] number 1 has no url"),
    ('[[feeds]]\nname = "a"\nurl = "ftp://x"\n', "FILE:3: feed 'a': url must start with http"),
    ('[[feeds]]\nname="a"\nurl="http://x"\n[[feeds]]\nname="A"\nurl="http://y"\n', "FILE:5: two feeds are named 'A'"),
    ('[[feeds]]\nname="a"\nurl="http://x/{day}"\n', "FILE:3: feed 'a': the only placeholder"),
    ('[[feeds]]\nname="a"\nurl="http://x"\ntags="nlp"\n', "FILE:4: feeds.0.tags must be a list"),
    ('feeds = 1\n', "FILE:1: feeds must be written as [[feeds]] tables"),
    ('sync_dir = ""\n', "FILE:1: sync_dir is empty"),
])
def test_bad_settings_name_file_and_line(tmp_path, text, message):
    assert message in error_of(tmp_path, text)


def test_a_line_inside_a_multiline_string_is_not_a_key(tmp_path):
    text = 'theme = """\nadvance = 1\n"""\n[keys]\nstra = "w"\n'
    assert "FILE:5: keys: unknown action 'stra'" in error_of(tmp_path, text)


def test_remapping_frees_the_default_key(tmp_path):
    # star moves to h, help to s: no clash, because neither default stays in effect
    c = load_config(write(tmp_path, '[keys]\nstar = "h"\nhelp = "s"\n'))
    keymap.check_config(c)
    assert keymap.effective_keys(c)["help"] == "s"


def test_the_newsboat_swap_n_for_next_unread(tmp_path):
    # the README's advice: next_unread on n, and note moved off it; n alone clashes with note and says so
    c = load_config(write(tmp_path, '[keys]\nnext_unread = "n"\nnote = "M"\n'))
    keymap.check_config(c)
    assert keymap.effective_keys(c)["next_unread"] == "n" and keymap.effective_keys(c)["note"] == "M"
    assert "FILE:2: keys: 'n' is given to both next_unread and note" in error_of(tmp_path, '[keys]\nnext_unread = "n"\n')


def test_not_utf8_and_not_a_file(tmp_path):
    (tmp_path / "bad.toml").write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError, match=r"bad.toml:1: not UTF-8"):
        load_config(tmp_path / "bad.toml")
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config(tmp_path / "dir.toml")


def test_every_action_has_a_config_name():
    names = [a for a, _, _ in keymap.config_rows()]
    assert len(names) == len(set(names)) and {"star", "cursor_down", "view_inbox", "copy_link", "help"} <= set(names)


def test_cli_config_init_writes_a_file_that_loads_and_lists_every_action(tmp_path, capsys):
    path = tmp_path / "sub" / "config.toml"
    assert main(["--config", str(path), "config", "--init"]) == 0
    text = path.read_text()
    c = parse_config(text, path)
    assert c.exists and not c.keys and c.advance is True  # all commented out: the defaults
    for action, keys, _ in keymap.config_rows():
        assert f'# {action} = "{keys}"' in text
    assert main(["--config", str(path), "config", "--init"]) == 1  # never overwrites
    assert "exists already" in capsys.readouterr().err


def test_cli_config_shows_settings_in_effect(tmp_path, capsys):
    path = write(tmp_path, '[keys]\nstar = "w"\n[[feeds]]\nname = "x"\nurl = "http://127.0.0.1/a"\n')
    assert main(["--config", str(path), "config", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["path"] == str(path) and out["settings"]["keys"] == {"star": "w"}
    assert out["settings"]["feeds"] == [{"name": "x", "url": "http://127.0.0.1/a", "tags": []}]
    assert main(["--config", str(path), "config"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"# {path}") and 'star = "w"' in shown and "[[feeds]]" in shown


def test_cli_bad_config_is_one_line_and_exit_1(tmp_path, capsys):
    path = write(tmp_path, '[keys]\nstra = "w"\n')
    for argv in (["config"], []):  # the app and `config` judge keys; every command judges the rest
        assert main(["--config", str(path), "--data-dir", str(tmp_path / "d"), *argv]) == 1
        err = capsys.readouterr().err
        assert err == f"error: {path}:2: keys: unknown action 'stra' (did you mean 'star'?)\n", argv
    path = write(tmp_path, 'avdance = true\n')
    for argv in (["config"], ["list"], ["export"], []):
        assert main(["--config", str(path), "--data-dir", str(tmp_path / "d"), *argv]) == 1
        err = capsys.readouterr().err
        assert err == f"error: {path}:1: unknown setting 'avdance' (did you mean 'advance'?)\n", argv


def test_export_defaults_come_from_the_config(tmp_path, capsys, monkeypatch):
    from storage.store import Store

    fixture = Path(__file__).parents[1] / "fixtures" / "feeds" / "hf_day1.txt"
    data = tmp_path / "d"
    store = Store(data)
    store.ingest([str(fixture)])
    pid = store.view_ids("all")[0]
    store.set_star([pid], True)
    store.close()
    path = write(tmp_path, '[export]\ngroup_by = "none"\nabstracts = true\n')
    assert main(["--config", str(path), "--data-dir", str(data), "export"]) == 0
    with_config = capsys.readouterr().out
    assert main(["--config", str(path), "--data-dir", str(data), "export", "--no-abstracts", "--group-by", "tag"]) == 0
    overridden = capsys.readouterr().out
    assert len(with_config) > len(overridden) and "## Untagged" not in with_config and "Untagged" in overridden


async def test_the_app_takes_the_theme(tmp_path):
    from storage.store import Store
    from tui.app import PapertriageApp

    app = PapertriageApp(Store(tmp_path / "d"), config=load_config(write(tmp_path, 'theme = "nord"\n')))
    async with app.run_test():
        assert app.theme == "nord"


def test_the_old_id_of_the_sort_key_still_remaps_it(tmp_path):
    config = load_config(write(tmp_path, '[keys]\ntoggle_order = "w"\n'))
    keymap.check_config(config)  # O was `toggle_order` before it opened the sort menu
    assert keymap.KeysInEffect.of(config).first("sort") == "w" and keymap.effective_keys(config)["sort"] == "w"
    assert "FILE:2: keys: 'w' is given to both sort and star" in error_of(tmp_path, '[keys]\ntoggle_order = "w"\nstar = "w"\n')
    assert error_of(tmp_path, '[keys]\nsort = "w"\ntoggle_order = "z"\n') == (
        "FILE:3: keys: toggle_order is the old name of sort: give only sort")
