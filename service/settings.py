"""Settings from the environment (prefix CLAIMTRAIL_), read once by the composition root."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from infra.capture.fetch import Limits
from infra.integrity.keys import DEFAULT_KEY_FILE
from infra.projections.stops import Backoff
from infra.store.database import DEFAULT_URL
from infra.webhooks.dispatcher import DeliveryConfig
from infra.webhooks.secrets import DEFAULT_KEY_FILE as DEFAULT_WEBHOOK_KEY_FILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMTRAIL_", extra="ignore")

    database_url: str = DEFAULT_URL
    public_read: bool = True
    max_body_bytes: int = 4 * 1024 * 1024
    min_position_timeout: float = 5.0
    print_admin_token: bool = True
    # "inprocess": the API runs the projector in a thread; "off": a `claimtrail project`
    # worker does.
    projections: Literal["inprocess", "off"] = "inprocess"
    # A view stopped at an event it cannot apply is tried again on it after view_retry_first
    # seconds, then twice as long each time, up to view_retry_max.
    view_retry_first: float = 1.0
    view_retry_max: float = 300.0
    # Events per projection transaction; 0: 20,000 on PostgreSQL, 1,000 on SQLite.
    projection_batch: int = Field(default=0, ge=0)
    # Processes of a `claimtrail project` worker on PostgreSQL, each following the log for a
    # group of views of about equal cost; 0: one per core. SQLite: always one.
    projection_processes: int = Field(default=1, ge=0)
    # Coalesce concurrent commands into shared transactions (one writer thread per process).
    group_commit: bool = True
    # Authenticate from the principals kept in memory; a key revoked by another process is
    # refused here within this many seconds (the log is read for revocations that often).
    auth_poll_seconds: float = 1.0
    # Ed25519 PEM (PKCS8) signing the audit checkpoints; made on first use. The projector reads
    # the same variable, CLAIMTRAIL_SIGNING_KEY_FILE.
    signing_key_file: str = DEFAULT_KEY_FILE
    # Origins whose browser scripts may call the API (comma-separated). Empty: no CORS headers
    # at all, so browsers keep other sites' scripts from reading answers.
    cors_origins: Annotated[list[str], NoDecode] = []
    # Captures (POST /sources/capture, `claimtrail capture`): where the raw bytes are kept (by
    # SHA-256), and the bounds of a fetch.
    snapshot_dir: str = "var/snapshots"
    capture_max_bytes: int = 5 * 1024 * 1024
    capture_timeout: float = 10.0
    capture_max_redirects: int = 5
    # Webhooks (see README "Webhooks"): the AES key sealing their secrets in the log (made on
    # first use; the API and every projection worker need the same file); whether urls may
    # point at loopback and private networks (tests, intranet receivers); a receiver's time
    # to answer; the back-off of a failing delivery (first, doubling up to max, jittered); how
    # often the dispatcher looks for work; endpoints delivered at once.
    webhook_key_file: str = DEFAULT_WEBHOOK_KEY_FILE
    webhook_allow_private: bool = False
    webhook_timeout: float = 10.0
    webhook_retry_first: float = 1.0
    webhook_retry_max: float = 300.0
    webhook_poll: float = 0.25
    webhook_concurrency: int = 4

    def view_backoff(self) -> Backoff:
        return Backoff(self.view_retry_first, self.view_retry_max)

    def delivery_config(self) -> DeliveryConfig:
        return DeliveryConfig(
            timeout=self.webhook_timeout,
            retry_first=self.webhook_retry_first,
            retry_max=self.webhook_retry_max,
            allow_private=self.webhook_allow_private,
            poll=self.webhook_poll,
            concurrency=self.webhook_concurrency,
        )

    def capture_limits(self) -> Limits:
        return Limits(self.capture_max_bytes, self.capture_timeout, self.capture_max_redirects)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
