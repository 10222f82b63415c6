"""Planning rules: pure functions over plain values. No I/O, no clock reads, no UI."""
