"""The audit log: RFC 9162 Merkle tree over the events, signed checkpoints, verification."""
