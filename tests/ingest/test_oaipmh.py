"""OAI-PMH harvesting, replaying the recorded Zenodo responses from a local server."""

from __future__ import annotations

import pytest

from mogao.catalogue.models import Item
from mogao.ingest.models import HarvestedRecord
from mogao.ingest.oai_client import OaiClient, OaiError
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.records import SourceError
from mogao.ingest.sources.oaipmh import OaiSource

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


def harvest(replay, institution, **kw):
    endpoint = f"{replay.base}/oai2d"
    options = {"set": kw.get("set_spec", ""), "prefix": kw.get("prefix", "oai_dc")}
    run = run_start(kind="oai", source=endpoint, institution_code=institution.code, options=options)
    return run_source(OaiSource(endpoint, institution=institution, **kw), run, batch_size=2)


def test_all_verbs(replay):
    client = OaiClient(f"{replay.base}/oai2d")
    assert client.identify()["repositoryName"]
    prefixes = {f["prefix"] for f in client.list_metadata_formats()}
    assert {"oai_dc", "datacite"} <= prefixes
    assert client.list_metadata_formats(identifier="oai:zenodo.org:10357859")
    sets = list(client.list_sets())  # two pages joined by a resumption token
    assert len(sets) > 1 and all(s["spec"] for s in sets)
    record = client.get_record("oai:zenodo.org:10357859", "oai_dc")
    assert record is not None
    assert client.get_record("oai:zenodo.org:10357859", "datacite") is not None
    headers = list(client.list_identifiers(metadataPrefix="oai_dc"))
    assert headers and any(h.deleted for h in headers)


@pytest.mark.parametrize(("call", "code"), [
    (lambda c: c.get_record("oai:zenodo.org:10357859", "XXX"), "badArgument"),
    (lambda c: c.get_record("oai:zenodo.org:XXX", "oai_dc"), "idDoesNotExist"),
    (lambda c: c.list_metadata_formats(identifier="oai:zenodo.org:XXX"), "idDoesNotExist"),
    (lambda c: list(c.pages("ListRecords", "x", metadataPrefix="XXX")), "badArgument"),
    (lambda c: list(c.pages("ListRecords", "x", token="XXX")), "badResumptionToken"),
    (lambda c: list(c.pages("ListSets", "x", token="XXX")), "badResumptionToken"),
    (lambda c: list(c.pages("ListIdentifiers", "x", token="XXX")), "badResumptionToken"),
])
def test_error_codes(replay, call, code):
    with pytest.raises(OaiError) as info:
        call(OaiClient(f"{replay.base}/oai2d"))
    assert info.value.code == code


def test_no_records_match_is_an_empty_list(replay):
    client = OaiClient(f"{replay.base}/oai2d")
    assert list(client.pages("ListRecords", "x", metadataPrefix="oai_dc", set="XXX")) == []


def test_harvest_with_tokens_deletions_and_idempotence(replay, institution):
    run = harvest(replay, institution)
    assert run.status == "done", run.message
    assert run.total == 9  # three pages of three, joined by resumption tokens
    assert run.created_count == 8 and run.deleted_count == 1 and run.failed_count == 0
    item = Item.objects.filter(institution=institution).first()
    assert item.title and item.local_id.startswith("oai:zenodo.org:")
    assert HarvestedRecord.objects.filter(deleted=True).count() == 1
    again = harvest(replay, institution)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 9, "failed": 0, "deleted": 0}


def test_incremental_from_and_datacite(replay, institution):
    # Only the first page of these lists was recorded: the second request fails with HTTP 404,
    # which ends the run as failed while the 50 committed records stay.
    run = harvest(replay, institution, from_="2026-04-01", until="2026-04-02")
    assert any("from=2026-04-01" in r and "until=2026-04-02" in r for r in replay.requests)
    assert run.created_count == 50 and run.status == "failed" and "HTTP 404" in run.message
    assert run.state["token"]  # a resumed run would ask for the unread page, not start over
    run = harvest(replay, institution, prefix="datacite")
    assert run.created_count == 50 and run.failed_count == 0
    item = Item.objects.get(local_id="oai:zenodo.org:8435696")
    assert item.title == {"none": ["PocketCoffea: a configuration layer for CMS analyses with Coffea"]}


def test_deleted_record_withdraws_a_harvested_item(replay, institution):
    from mogao.catalogue import services

    item, _ = services.item_upsert(institution=institution, local_id="oai:zenodo.org:8433364", title={"en": ["x"]})
    HarvestedRecord.objects.create(endpoint=f"{replay.base}/oai2d", identifier="oai:zenodo.org:8433364", item=item)
    harvest(replay, institution)
    item.refresh_from_db()
    assert item.visibility == "withdrawn"


def test_resume_continues_from_the_saved_token(replay, institution, shared_data):
    import re

    first_page = (shared_data / "oai-pmh/zenodo_e-periodica_2026/zenodo_ListRecords_list_records_05.xml").read_text()
    token = re.search(r"<resumptionToken[^>]*>([^<]+)<", first_page)[1]
    endpoint = f"{replay.base}/oai2d"
    options = {"set": "", "prefix": "oai_dc"}
    # As left by a harvest killed after committing the first page (records 0-2).
    killed = run_start(kind="oai", source=endpoint, institution_code="BL", options=options)
    killed.status, killed.position, killed.total, killed.created_count = "running", 3, 3, 3
    killed.state = {"token": token, "page_start": 3}
    killed.save()
    resumed = run_start(kind="oai", source=endpoint, institution_code="BL", options=options, resume=True)
    assert resumed.pk == killed.pk
    run_source(OaiSource(endpoint, institution=institution), resumed, batch_size=2)
    assert "resumptionToken=" in replay.requests[0]  # the unread page, not the start of the list
    assert (resumed.status, resumed.total, resumed.position) == ("done", 9, 9)
    assert (resumed.created_count, resumed.deleted_count) == (3 + 5, 1)


def test_bad_server_reply_is_a_clear_error(local_server, settings, institution):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    local_server.routes["/html"] = (200, {"Content-Type": "text/html"}, b"<html><body>hi</body></html>")
    with pytest.raises(SourceError, match="not an OAI-PMH response"):
        OaiClient(f"{local_server.base}/html").identify()
