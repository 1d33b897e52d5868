"""Raw captured bytes, kept by their SHA-256 (written once, never changed)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class Snapshots:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, raw: bytes) -> str:
        """Keep `raw`; its SHA-256 (hex). Written to a temporary file and renamed into place,
        so a reader never sees half a snapshot."""
        sha = hashlib.sha256(raw).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.replace(temporary, target)
        return sha

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
