"""Which urls a webhook may be sent to (server-side request forgery kept in mind).

An admin names the url, and the server then sends requests to it: a url that reaches the
server's own network (loopback, private ranges, link-local cloud metadata at 169.254.169.254)
would let whoever holds an admin token probe it. So, unless CLAIMTRAIL_WEBHOOK_ALLOW_PRIVATE is
set (tests, or an intranet receiver): the url must be http(s) without credentials; a host that
is an address in those ranges, or `localhost`, is refused at registration; and every delivery
resolves the host again and refuses to send if any of its addresses is in them (a name may
point anywhere, and may change). What remains: a name that resolves to a public address when
checked and a private one a moment later, when httpx connects (DNS rebinding); an egress proxy
or firewall closes that.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from domain.errors import InvalidValueError

MAX_URL = 2000


class WebhookUrlError(InvalidValueError):
    """Raised when a webhook url is malformed or points at a place it may not."""

    code = "invalid-webhook-url"


class UnsafeAddressError(Exception):
    """Raised when a webhook's host resolves to an address deliveries may not go to."""


def check_url(url: str, *, allow_private: bool) -> str:
    """The url if deliveries may go to it; WebhookUrlError (422) if not."""
    if len(url) > MAX_URL:
        raise WebhookUrlError(f"the url is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError on a port out of range)
    except ValueError as exc:
        raise WebhookUrlError(f"the url is malformed ({exc})") from None
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookUrlError("the url must be http:// or https:// with a host")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlError("the url may not carry credentials (the secret signs instead)")
    if any(c.isspace() or ord(c) < 0x21 for c in url):
        raise WebhookUrlError("the url may not hold white space or control characters")
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        raise WebhookUrlError("the url may not point at this machine (localhost)")
    if not allow_private and _is_private(host):
        raise WebhookUrlError(f"the url may not point at a private or local address ({host})")
    return url


def check_resolved(url: str, *, allow_private: bool) -> None:
    """Before a delivery: UnsafeAddressError if the host resolves to a refused address."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeAddressError(f"{host} does not resolve ({exc})") from None
    for *_, address in found:
        if _is_private(str(address[0])):
            raise UnsafeAddressError(f"{host} resolves to a private or local address")


def _is_private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False  # a name: checked when resolved, at each delivery
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast
