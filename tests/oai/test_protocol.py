"""The OAI-PMH provider through Django's test client: verbs, errors, sets, dates, tokens, schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from mogao.catalogue import services
from mogao.catalogue.models import Item, Visibility
from mogao.oai.models import Tombstone

from .oai_helpers import NS, call, error_code, headers, identifier, identifiers, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pages(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.OAI_PAGE_SIZE = 5


def harvest(
    client: Client, schema: etree.XMLSchema, verb: str = "ListIdentifiers", **args: str
) -> list[etree._Element]:
    """Follow resumption tokens to the end; returns every header."""
    doc = call(client, schema, verb=verb, **args)
    if error_code(doc) == "noRecordsMatch":
        return []
    assert error_code(doc) is None, etree.tostring(doc)
    found = headers(doc)
    while (token := token_of(doc)) is not None and token.text:
        doc = call(client, schema, verb=verb, resumptionToken=token.text)
        found += headers(doc)
    return found


def test_identify_declares_persistent_deletes_and_seconds(client: Client, oai_schema, records) -> None:
    doc = call(client, oai_schema, verb="Identify")
    assert doc.findtext(".//o:deletedRecord", namespaces=NS) == "persistent"
    assert doc.findtext(".//o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert doc.findtext(".//o:baseURL", namespaces=NS) == "http://127.0.0.1:8000/oai"
    assert doc.find("o:request", NS).get("verb") == "Identify"


def test_list_metadata_formats_and_for_one_record(client: Client, oai_schema, records) -> None:
    doc = call(client, oai_schema, verb="ListMetadataFormats")
    assert {e.text for e in doc.iterfind(".//o:metadataPrefix", NS)} == {"oai_dc", "mogao"}
    doc = call(client, oai_schema, verb="ListMetadataFormats", identifier=identifier(records.public[0]))
    assert len(doc.findall(".//o:metadataFormat", NS)) == 2


def test_list_sets_has_institution_collection_and_public_work_sets(client: Client, oai_schema, records) -> None:
    doc = call(client, oai_schema, verb="ListSets")
    specs = {e.text for e in doc.iterfind(".//o:setSpec", NS)}
    assert {"institution", "institution:bl", "institution:bl:stein", "institution:bnf:pelliot", "work",
            "work:t0235-diamond-sutra"} <= specs
    assert not any("t9999" in s for s in specs), "a private work must not be a set"


@pytest.mark.parametrize("prefix", ["oai_dc", "mogao"])
def test_get_record_in_each_format(client: Client, oai_schema, records, prefix: str) -> None:
    pid = records.public[0]
    doc = call(client, oai_schema, verb="GetRecord", identifier=identifier(pid), metadataPrefix=prefix)
    assert identifiers(doc) == [identifier(pid)]
    assert doc.find(".//o:metadata", NS) is not None
    text = etree.tostring(doc, encoding="unicode")
    assert "寫本 0" in text and "\x0b" not in text
    assert "Unpublished work" not in text, "a private work leaked into public metadata"
    if prefix == "oai_dc":
        titles = doc.findall(".//dc:title", NS)
        assert {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in titles} == {"zh-Hant", "en"}
    else:
        assert doc.find(".//m:item", NS).get("pid") == pid


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_lists_page_through_every_public_record_once(
    client: Client, oai_schema, records, verb: str, method: str
) -> None:
    seen: list[str] = []
    doc = call(client, oai_schema, method, verb=verb, metadataPrefix="oai_dc")
    first = token_of(doc)
    assert first is not None and first.get("completeListSize") == str(len(records.public) + 2)
    assert first.get("cursor") == "0" and first.get("expirationDate", "").endswith("Z")
    pages = 1
    while True:
        for h in headers(doc):
            if h.get("status") != "deleted":
                seen.append(h.findtext("o:identifier", namespaces=NS))
        token = token_of(doc)
        if token is None or not token.text:
            break
        doc = call(client, oai_schema, method, verb=verb, resumptionToken=token.text)
        pages += 1
    assert pages == 5
    assert sorted(seen) == sorted(identifier(p) for p in records.public)


def test_private_never_and_withdrawn_deleted_only_as_deleted_headers(client: Client, oai_schema, records) -> None:
    found = harvest(client, oai_schema, metadataPrefix="oai_dc")
    status = {h.findtext("o:identifier", namespaces=NS): h.get("status") for h in found}
    for pid in records.private:
        assert identifier(pid) not in status
    for pid in records.withdrawn + records.deleted:
        assert status[identifier(pid)] == "deleted"
    doc = call(client, oai_schema, verb="GetRecord", identifier=identifier(records.deleted[0]), metadataPrefix="oai_dc")
    assert headers(doc)[0].get("status") == "deleted" and doc.find(".//o:metadata", NS) is None
    doc = call(client, oai_schema, verb="GetRecord", identifier=identifier(records.private[0]), metadataPrefix="oai_dc")
    assert error_code(doc) == "idDoesNotExist"


def test_republishing_removes_the_tombstone(
    client: Client, oai_schema, records, django_capture_on_commit_callbacks
) -> None:
    item = Item.objects.get(pid=records.withdrawn[0])
    with django_capture_on_commit_callbacks(execute=True):  # tombstones follow the commit
        item.visibility = Visibility.PUBLIC
        item.save()
    assert not Tombstone.objects.filter(pid=item.pid).exists()
    doc = call(client, oai_schema, verb="GetRecord", identifier=identifier(item.pid), metadataPrefix="mogao")
    assert headers(doc)[0].get("status") is None


def test_a_private_item_made_private_again_stays_out(
    client: Client, oai_schema, records, django_capture_on_commit_callbacks
) -> None:
    item = Item.objects.get(pid=records.private[0])
    with django_capture_on_commit_callbacks(execute=True):
        item.title = {"en": ["Still secret"]}
        item.save()
    assert not Tombstone.objects.filter(pid=item.pid).exists()


def test_selective_harvest_by_set(client: Client, oai_schema, records) -> None:
    bl = harvest(client, oai_schema, metadataPrefix="oai_dc", set="institution:bl")
    stein = harvest(client, oai_schema, metadataPrefix="oai_dc", set="institution:bl:stein")
    work = harvest(client, oai_schema, metadataPrefix="oai_dc", set="work:t0235-diamond-sutra")
    live = lambda hs: {h.findtext("o:identifier", namespaces=NS) for h in hs if h.get("status") != "deleted"}  # noqa: E731
    assert live(bl) == live(stein) and len(live(bl)) == 11
    assert len(live(work)) == 6
    assert all("institution:bl" in [s.text for s in h.iterfind("o:setSpec", NS)] for h in bl)
    # the deleted item was in the Stein collection: it stays in that set's deletions
    assert any(h.get("status") == "deleted" for h in stein)
    assert harvest(client, oai_schema, metadataPrefix="oai_dc", set="institution:nowhere") == []


def test_from_until_at_both_granularities(client: Client, oai_schema, records) -> None:
    old = timezone.now() - timedelta(days=3)
    Item.objects.filter(pid__in=records.public[:4]).update(updated=old)
    day = old.strftime("%Y-%m-%d")
    second = old.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(harvest(client, oai_schema, metadataPrefix="oai_dc", until=day)) == 4
    assert len(harvest(client, oai_schema, metadataPrefix="oai_dc", until=second)) == 4
    assert len(harvest(client, oai_schema, metadataPrefix="oai_dc", **{"from": second, "until": second})) == 4
    later = (old + timedelta(days=1)).strftime("%Y-%m-%d")
    assert len(harvest(client, oai_schema, metadataPrefix="oai_dc", **{"from": later})) == len(records.public) - 4 + 2
    doc = call(client, oai_schema, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"})
    assert error_code(doc) == "noRecordsMatch"


def test_records_changed_during_a_harvest_wait_for_the_next_one(client: Client, oai_schema, records) -> None:
    doc = call(client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first_page = set(identifiers(doc))
    bl = Item.objects.get(pid=records.public[0]).institution
    services.item_upsert(institution=bl, shelfmark="New.1", title={"en": ["Arrived mid-harvest"]})
    seen = set(first_page)
    while (token := token_of(doc)) is not None and token.text:
        doc = call(client, oai_schema, verb="ListIdentifiers", resumptionToken=token.text)
        assert not first_page & set(identifiers(doc)), "a page repeated a record"
        seen |= set(identifiers(doc))
    assert len(seen) == len(records.public) + 2


# --- every error code -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"verb": "Frobnicate"}, {"verb": ["Identify", "ListSets"]}],
    ids=["missing", "illegal", "repeated"],
)
def test_bad_verb(client: Client, oai_schema, records, params) -> None:
    doc = call(client, oai_schema, **params)
    assert error_code(doc) == "badVerb"
    assert doc.find("o:request", NS).attrib == {}, "badVerb must not echo the arguments"


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "extra": "1"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2020-01-02T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2020-01-01"},
        {"verb": "ListRecords", "metadataPrefix": "bad prefix"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a::b"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "mogao"]},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "2020-01-01T00:00:00.5Z"},
    ],
)
def test_bad_argument(client: Client, oai_schema, records, params) -> None:
    doc = call(client, oai_schema, **params)
    assert error_code(doc) == "badArgument"
    assert doc.find("o:request", NS).attrib == {}


def test_bad_resumption_token_tampered_wrong_verb_and_expired(client: Client, oai_schema, records, settings) -> None:
    doc = call(client, oai_schema, verb="ListRecords", metadataPrefix="oai_dc")
    token = token_of(doc).text
    tampered = token[:-3] + "abc"
    assert error_code(call(client, oai_schema, verb="ListRecords", resumptionToken=tampered)) == "badResumptionToken"
    assert error_code(call(client, oai_schema, verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    assert error_code(call(client, oai_schema, verb="ListSets", resumptionToken=token)) == "badResumptionToken"
    settings.OAI_TOKEN_TTL = -1
    assert error_code(call(client, oai_schema, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_cannot_disseminate_format(client: Client, oai_schema, records) -> None:
    for verb in ("ListRecords", "ListIdentifiers"):
        assert error_code(call(client, oai_schema, verb=verb, metadataPrefix="marc21")) == "cannotDisseminateFormat"
    doc = call(client, oai_schema, verb="GetRecord", identifier=identifier(records.public[0]), metadataPrefix="mods")
    assert error_code(doc) == "cannotDisseminateFormat"
    assert doc.find("o:request", NS).get("metadataPrefix") == "mods"


@pytest.mark.parametrize("ident", ["oai:127.0.0.1:no-such-item", "oai:elsewhere.org:x", "not an identifier"])
def test_id_does_not_exist(client: Client, oai_schema, records, ident: str) -> None:
    for params in ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, {"verb": "ListMetadataFormats"}):
        assert error_code(call(client, oai_schema, identifier=ident, **params)) == "idDoesNotExist"


def test_no_records_match(client: Client, oai_schema, db) -> None:
    for verb in ("ListRecords", "ListIdentifiers"):
        assert error_code(call(client, oai_schema, verb=verb, metadataPrefix="oai_dc")) == "noRecordsMatch"


def test_no_metadata_formats_for_a_deleted_record(client: Client, oai_schema, records) -> None:
    doc = call(client, oai_schema, verb="ListMetadataFormats", identifier=identifier(records.deleted[0]))
    assert error_code(doc) == "noMetadataFormats"


def test_no_set_hierarchy_when_sets_are_off(client: Client, oai_schema, records, settings) -> None:
    settings.OAI_SETS = False
    assert error_code(call(client, oai_schema, verb="ListSets")) == "noSetHierarchy"
    doc = call(client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc", set="institution")
    assert error_code(doc) == "noSetHierarchy"
    doc = call(client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert doc.find(".//o:setSpec", NS) is None


def test_other_methods_are_refused_and_profile_schema_is_served(client: Client, records) -> None:
    assert client.put("/oai").status_code == 405
    response = client.get("/oai/schemas/mogao.xsd")
    assert response.status_code == 200 and b"urn:mogao:oai:record:1" in response.content
    assert client.get("/oai/schemas/..%2Fmodels.py").status_code == 404
