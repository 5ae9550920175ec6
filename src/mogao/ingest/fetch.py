"""Fetching remote sources without SSRF: public addresses only, every redirect hop checked, bytes capped.

A URL is fetched only when its scheme is http(s) and every address its host resolves to is public
(not private, loopback, link-local, multicast, reserved or unspecified) — unless the host is named
in ``settings.INGEST_ALLOW_HOSTS`` (tests, trusted partners). Redirects are followed by hand so
each hop gets the same check; responses are streamed and abandoned past ``max_bytes``.

Known limit: the address is checked just before httpx connects, so a DNS server that answers
differently within that window (DNS rebinding) is not caught; deployments that fear it should
route importers through an egress proxy.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from mogao.ingest.records import SourceError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "Mogao-ingest/0.1 (+https://github.com/mogao)"


class UnsafeURL(SourceError):
    """The URL points somewhere importers must not go (file://, private or loopback addresses…)."""


class TooLarge(SourceError):
    """The response is larger than the importer accepts."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str
    status: int


def _allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in getattr(settings, "INGEST_ALLOW_HOSTS", []) if h.strip()}


def check_url(url: str) -> None:
    """Raise :class:`UnsafeURL` unless ``url`` is http(s) to a public address or an allowed host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(f"refused {url!r}: only http and https URLs can be imported")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURL(f"refused {url!r}: no host")
    if host in _allowed_hosts():
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(f"refused {url!r}: bad port") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(f"cannot resolve host {host!r}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise UnsafeURL(
                f"refused {url!r}: {host} resolves to the non-public address {address} "
                "(add the host to MOGAO_INGEST_ALLOW_HOSTS if it is trusted)"
            )


def fetch(
    url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, accept: str = "*/*",
    client: httpx.Client | None = None,
) -> Fetched:
    """GET ``url`` safely (see the module docstring); raises SourceError subclasses on refusal.

    Non-2xx final responses are returned, not raised: OAI-PMH and IIIF callers decide what a
    status means. ``client`` lets tests pass a client with a mock transport.
    """
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current)
            try:
                with http.stream(
                    "GET", current, headers={"Accept": accept, "User-Agent": USER_AGENT},
                    follow_redirects=False,
                ) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise SourceError(f"{current}: redirect without a Location")
                        current = urljoin(current, location)
                        continue
                    return Fetched(current, _read_capped(response, max_bytes, current),
                                   response.headers.get("content-type", ""), response.status_code)
            except httpx.HTTPError as exc:
                raise SourceError(f"cannot fetch {current}: {exc}") from exc
        raise SourceError(f"{url}: more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            http.close()


def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"refused {url}: {int(declared):,} bytes declared, the limit is {max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"refused {url}: the response exceeds the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
