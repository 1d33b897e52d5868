"""Storage: the database url, transcodings, log positions and reading the log."""
