"""Modal dialogs of the triage screen: add tags, remove a tag, edit the note, confirm, sort."""

from .confirm import ConfirmDialog
from .note_editor import NoteEditor
from .sort_menu import SortMenu
from .tag_dialog import TagDialog
from .untag_dialog import UntagDialog

__all__ = ["ConfirmDialog", "NoteEditor", "SortMenu", "TagDialog", "UntagDialog"]
