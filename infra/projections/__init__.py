"""Read views built from the global, commit-ordered notification log."""
