"""`e` / `E` (and "ingest a file" in the palette): ask for a file path in a small modal with an Input.

Enter returns the path, made absolute (`~` expanded, relative paths taken from the working directory). An export
asks before overwriting an existing file; answering no goes back to the path so it can be changed. Problems the dialog
can see before returning (a directory, a missing file to ingest) show on its hint line instead of closing it.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from .confirm import ConfirmDialog


def shown_path(path: Path) -> str:
    """A directory as people write it: `~/papers` under the home directory, else in full."""
    try:
        inside = path.relative_to(Path.home())
    except (ValueError, RuntimeError):  # not under home, or no home at all
        return str(path)
    return "~" if inside == Path() else f"~/{inside}"


def resolve_path(typed: str) -> Path:
    """What a typed path means: `~` expanded, relative paths taken from the working directory."""
    path = Path(typed.strip()).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


class PathDialog(ModalScreen[Path | None]):
    """Returns the chosen path (absolute), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: str,
        subject: str,
        default: str = "",
        *,
        confirm_overwrite: bool = False,
        keys: str = "Enter ok · Esc cancel",
        dialog_id: str = "path-dialog",
    ) -> None:
        super().__init__()
        self.dialog_title, self.subject, self.default = title, subject, default
        self.confirm_overwrite = confirm_overwrite
        self.keys, self.dialog_id = keys, dialog_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self.dialog_id, classes="dialog"):
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(Text(self.subject), classes="dialog-subject")
            yield Input(self.default, id="path-input", placeholder="file path")
            yield Static("", id="path-hint", classes="dialog-hint", markup=False)
            yield Label(self.keys, classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def _hint(self, message: str) -> None:
        self.query_one("#path-hint", Static).update(Text(message))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._hint("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._hint("Type a file path.")
            return
        path = resolve_path(event.value)
        problem = self.problem(path)
        if problem:
            self._hint(problem)
            return
        if self.confirm_overwrite and path.exists():

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self.dismiss(path)
                else:
                    self.query_one(Input).focus()

            question = ConfirmDialog(f"{path} exists. Overwrite it?", yes="Overwrite", no="Keep it")
            self.app.push_screen(question, answered)
            return
        self.dismiss(path)

    def problem(self, path: Path) -> str | None:
        """Why `path` cannot be used, said on the hint line (None: it can)."""
        if path.is_dir():
            return f"{path} is a directory: add a file name."
        return None

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(PathDialog):
    """The export's file name, defaulting to `<what>-YYYY-MM-DD.md` in the working directory."""

    def __init__(self, what: str, count: int, default: str) -> None:
        papers = f"{count} paper{'' if count == 1 else 's'}"
        super().__init__(
            f"Export {what} to Markdown",
            f"{papers}, grouped by tag · in {shown_path(Path.cwd())}",
            default,
            confirm_overwrite=True,
            keys="Enter export · Esc cancel",
            dialog_id="export-dialog",
        )


class IngestDialog(PathDialog):
    def __init__(self) -> None:
        super().__init__(
            "Ingest a feed",
            f"A feed file or a directory of feeds · relative to {shown_path(Path.cwd())}",
            keys="Enter ingest · Esc cancel",
            dialog_id="ingest-dialog",
        )

    def problem(self, path: Path) -> str | None:
        # a directory is a valid answer here: ingest reads every file in it
        return None if path.exists() else f"No such file or directory: {path}"
