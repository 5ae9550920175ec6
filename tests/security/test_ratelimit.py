"""The client address behind proxies and the database rate counters (fault 15)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from mogao.security import ratelimit
from mogao.security.clientip import client_ip
from mogao.security.models import RateCounter


def _request(remote: str = "192.0.2.1", xff: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("depth", "xff", "expected"), [
    (0, "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's own words
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the one proxy saw
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # the outer of two proxies
    (2, "203.0.113.9", "192.0.2.1"),  # fewer hops than proxies: the request went around them
    (1, "not-an-address", "192.0.2.1"),
    (1, " 2001:DB8::1 ", "2001:db8::1"),
    (1, None, "192.0.2.1"),
])
def test_client_address_trusts_only_the_configured_proxies(settings, depth: int, xff: str | None,
                                                            expected: str) -> None:
    settings.PROXY_DEPTH = depth
    assert client_ip(_request(xff=xff)) == expected


def test_a_rate_names_its_mistake() -> None:
    assert ratelimit.parse_rate("10/min") == (10, 60)
    assert ratelimit.parse_rate("2/s") == (2, 1)
    for bad in ("10", "ten/min", "10/fortnight", ""):
        with pytest.raises(ValueError, match="not like"):
            ratelimit.parse_rate(bad)


@pytest.mark.django_db
def test_counts_per_window_and_old_windows_are_swept() -> None:
    start = 1_800_000_000.0  # a window boundary for 60 s
    decisions = [ratelimit.hit("t", "a", "2/min", now=start + k) for k in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[-1].retry_after == 58
    assert ratelimit.hit("t", "b", "2/min", now=start).allowed, "another client has its own budget"
    assert ratelimit.hit("u", "a", "2/min", now=start).allowed, "another scope has its own budget"
    later = ratelimit.hit("t", "a", "2/min", now=start + 60)
    assert later.allowed and later.count == 1, "the next window starts afresh"
    assert RateCounter._default_manager.filter(key__contains=f":{int(start // 60)}:").count() == 0, "swept"
