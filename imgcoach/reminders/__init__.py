"""Everything about a reminder: derivation, the outbox, what a message says, digests, mail and the daemon."""
