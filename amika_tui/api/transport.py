"""The one transport rule for credentials, used by every request that carries one.

Bearer tokens, refresh tokens and device codes go over https, or over plain http to this
machine only: exactly `localhost`, or a literal loopback address (127.0.0.0/8, ::1). No
name is resolved to decide, so `evil.localhost` or a DNS name that happens to point at
127.0.0.1 is not loopback. The API client, the token provider source and the WorkOS
session refresh and device login all ask `require_secure_transport`.
"""

from __future__ import annotations

import ipaddress

import httpx

from amika_tui.api.errors import InsecureTransportError

__all__ = ["is_insecure_url", "is_loopback_url", "require_secure_transport"]


def is_loopback_url(url: httpx.URL | str) -> bool:
    """True when the URL's host is literally this machine (`localhost`, 127.0.0.0/8, ::1)."""
    host = httpx.URL(url).host
    if host == "localhost":  # httpx lower-cases the host
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_insecure_url(url: httpx.URL | str, *, allow_insecure_http: bool = False) -> bool:
    """True when a credential must not be sent to `url`: plain http off this machine."""
    return httpx.URL(url).scheme == "http" and not allow_insecure_http and not is_loopback_url(url)


def require_secure_transport(url: httpx.URL | str, *, allow_insecure_http: bool = False) -> None:
    """Refuse to send a credential to `url` over plain http unless it is loopback.

    Raises:
        InsecureTransportError: Plain http to a host that is not this machine.
    """
    if is_insecure_url(url, allow_insecure_http=allow_insecure_http):
        raise InsecureTransportError(str(httpx.URL(url).copy_with(query=None, fragment=None)))
