"""Safety of remote sources: SSRF (schemes, private addresses, redirects), XXE and bombs, size caps."""

from __future__ import annotations

import socket

import pytest

from mogao.ingest import fetch
from mogao.ingest.oai_client import OaiClient
from mogao.ingest.records import SourceError
from mogao.ingest.safexml import UnsafeXML, parse_xml
from mogao.ingest.services import ingest_execute

OAI_OK = (b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
          b"<responseDate>2026-01-01T00:00:00Z</responseDate><Identify><repositoryName>x</repositoryName>"
          b"</Identify></OAI-PMH>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><Identify><repositoryName>&x;'
       b"</repositoryName></Identify></OAI-PMH>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>')


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1/", "http:///nohost",
    "http://127.0.0.1/", "http://localhost/", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
    "http://[fe80::1]/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/",
])
def test_refused_targets(url, settings):
    settings.INGEST_ALLOW_HOSTS = []
    with pytest.raises(fetch.UnsafeURL):
        fetch.check_url(url)


def test_public_address_is_allowed(monkeypatch, settings):
    settings.INGEST_ALLOW_HOSTS = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 80))])
    fetch.check_url("https://example.org/manifest.json")


def test_hostname_resolving_to_private_address_is_refused(monkeypatch, settings):
    settings.INGEST_ALLOW_HOSTS = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.1.2.3", 80))])
    with pytest.raises(fetch.UnsafeURL, match=r"10\.1\.2\.3"):
        fetch.check_url("https://innocent.example/manifest.json")


def test_loopback_refused_then_allowed_by_the_setting(local_server, settings):
    local_server.routes["/oai"] = (200, {"Content-Type": "text/xml"}, OAI_OK)
    with pytest.raises(fetch.UnsafeURL, match="MOGAO_INGEST_ALLOW_HOSTS"):
        fetch.fetch(f"{local_server.base}/oai")
    assert local_server.requests == []  # refused before any connection
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    assert OaiClient(f"{local_server.base}/oai").identify()["repositoryName"] == "x"


def test_redirect_to_a_private_address_is_refused(local_server, settings):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    local_server.routes["/hop"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    local_server.routes["/file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(fetch.UnsafeURL, match=r"169\.254\.169\.254"):
        fetch.fetch(f"{local_server.base}/hop")
    with pytest.raises(fetch.UnsafeURL, match="file"):
        fetch.fetch(f"{local_server.base}/file")


def test_redirect_loops_are_cut(local_server, settings):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    local_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(SourceError, match="redirects"):
        fetch.fetch(f"{local_server.base}/loop")


def test_oversized_responses_are_refused(local_server, settings):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    local_server.routes["/big"] = (200, {"Content-Type": "text/xml"}, b"x" * 50_000)
    local_server.routes["/liar"] = (200, {"Content-Type": "text/xml", "Content-Length": "10"}, b"")
    with pytest.raises(fetch.TooLarge, match="declared"):
        fetch.fetch(f"{local_server.base}/big", max_bytes=10_000)
    assert fetch.fetch(f"{local_server.base}/big", max_bytes=60_000).content == b"x" * 50_000


def test_streamed_limit_without_content_length(settings):
    import httpx

    settings.INGEST_ALLOW_HOSTS = ["stream.test"]

    def handler(request):
        return httpx.Response(200, content=iter([b"y" * 4096] * 100))  # chunked, no length

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(fetch.TooLarge, match="exceeds"):
        fetch.fetch("http://stream.test/x", max_bytes=100_000, client=client)


@pytest.mark.parametrize("body", [XXE, LAUGHS])
def test_dtds_and_entities_are_refused(body):
    with pytest.raises(UnsafeXML):
        parse_xml(body)


def test_xxe_from_a_harvested_endpoint_is_refused(local_server, settings):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    local_server.routes["/oai"] = (200, {"Content-Type": "text/xml"}, XXE)
    with pytest.raises(UnsafeXML):
        OaiClient(f"{local_server.base}/oai").identify()


@pytest.mark.django_db
def test_manifest_import_from_a_private_url_fails_the_run(institution, settings):
    settings.INGEST_ALLOW_HOSTS = []
    run = ingest_execute(kind="iiif", location="http://127.0.0.1:9/manifest.json", institution_code="BL")
    assert run.status == "failed" and "non-public address" in run.message
    run = ingest_execute(kind="iiif", location="file:///etc/passwd", institution_code="BL")
    assert run.status == "failed" and "only http and https" in run.message


@pytest.mark.django_db
def test_manifest_from_an_allowed_url(local_server, settings, institution):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    manifest = (b'{"@context": "http://iiif.io/api/presentation/3/context.json", "id": "https://x.test/m",'
                b' "type": "Manifest", "label": {"en": ["Remote"]}, "items": []}')
    local_server.routes["/m.json"] = (200, {"Content-Type": "application/json"}, manifest)
    run = ingest_execute(kind="iiif", location=f"{local_server.base}/m.json", institution_code="BL")
    assert run.created_count == 1, run.message
