"""What a write transaction locks on PostgreSQL: the advisory lock keys and the three scopes.

Kept apart from storage/db.py so the flush-time check in storage/ownership.py (which db.py imports) can
read a session's scope too. The rules themselves are in db.py's module doc and docs/organisations.md.
"""

from __future__ import annotations

# Advisory lock keys (fixed, so every imgcoach process agrees). One 64-bit key for the write lock that every
# write transaction takes, shared or exclusive.
WRITE_LOCK_KEY = 0x1A6C0AC4_0001
MIGRATION_LOCK_KEY = 0x1A6C0AC4_0002
# First key of the two-key (int4, int4) form, the second being the applicant's id; distinct from the maintenance
# leases' namespace (storage/leases.py). The two-key and the one-key forms never collide in pg_locks.
APPLICANT_LOCK_NAMESPACE = 0x1A6C0AC5

# The scope of a write transaction (the `imgcoach_write` execution option and Session.info[LOCK_SCOPE_INFO]).
WHOLE_DATABASE = "whole database"  # the write lock, exclusive: runs alone
ROWS_ONLY = "rows only"  # the write lock, shared: statements atomic by themselves (the daemons')
APPLICANT = "applicant"  # ("applicant", id): the write lock shared, then that applicant's lock
WriteScope = str | tuple[str, int]
LOCK_SCOPE_INFO = "imgcoach_lock_scope"


def locked_applicant(scope: object) -> int | None:
    """The applicant a scope locks, None for the whole database or rows only."""
    if isinstance(scope, tuple) and len(scope) == 2 and scope[0] == APPLICANT:
        return int(scope[1])
    return None
