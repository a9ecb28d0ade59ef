"""Two machines, one reading state, through a folder another tool moves (Syncthing, Dropbox, git).

Each data dir is a device with its own folder under the sync dir; it writes only there, append-only, and reads every
device's folder. A change is one register write (a paper's star, status, note, queue position, or one tag) stamped
with a hybrid logical clock; merging keeps, per register, the write with the greatest clock. That merge is
commutative, associative and idempotent, so files may arrive in any order, twice, or torn: every device that has
seen the same writes holds the same state. See clock.py, registers.py, files.py and run.py.
"""
