"""Pure rules of a Progress Visit: no Qt, no SQL, no I/O beyond reading given text."""
