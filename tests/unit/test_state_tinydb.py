"""state.json stays a TinyDB database: TinyDB with its own JSONStorage reads the user's documents."""

from __future__ import annotations

from tinydb import TinyDB, where
from tinydb.table import Table

from storage.model import Status
from storage.store import Store


class PaperIdTable(Table):
    """TinyDB's documented hook for document ids that are not integers (ours are paper ids)."""

    document_id_class = str


class PaperIdDB(TinyDB):
    table_class = PaperIdTable


def test_plain_tinydb_reads_the_state_file(library_dir):
    store = Store(library_dir)
    store.set_star(["2611.01002"], True)  # a journal line, folded into state.json at close
    store.close()
    annotated = set(Store(library_dir).annotated_ids())
    with TinyDB(library_dir / "state.json", access_mode="r") as db:  # plain: JSONStorage, int-id tables
        assert db.tables() == {"state", "meta"}
        state = db.table("state")
        assert len(state) == len(annotated)
        assert state.get(doc_id="2611.01002")["starred"] is True
        assert state.get(doc_id="2611.01006")["status"] == Status.READ.value
        assert db.table("meta").get(doc_id="schema")["version"] >= 3
    with PaperIdDB(library_dir / "state.json", access_mode="r") as db:
        assert {doc.doc_id for doc in db.table("state").all()} == annotated
        starred = db.table("state").search(where("starred") == True)  # noqa: E712 (a TinyDB query)
    assert {doc.doc_id for doc in starred} == {"2611.01002", "2611.01003", "2512.09008"}
