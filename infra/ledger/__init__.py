"""The Ledger: the eventsourcing Application, its use cases and group commit."""
