"""Modal dialogs of the triage screen: add tags, remove a tag, edit the note, confirm."""

from .confirm import ConfirmDialog
from .note_editor import NoteEditor
from .tag_dialog import TagDialog
from .untag_dialog import UntagDialog

__all__ = ["ConfirmDialog", "NoteEditor", "TagDialog", "UntagDialog"]
