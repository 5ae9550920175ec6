"""Harvesting Mogao's own OAI-PMH provider (/oai) through a live server: round trip and deletions."""

from __future__ import annotations

import pytest

from mogao.catalogue import services
from mogao.catalogue.models import Item
from mogao.ingest.oai_client import OaiClient
from mogao.ingest.services import ingest_execute

pytestmark = pytest.mark.django_db(transaction=True)


def test_harvest_own_provider(live_server, settings, institution):
    settings.INGEST_ALLOW_HOSTS = ["localhost", "127.0.0.1"]
    for i in range(1, 4):
        services.item_upsert(institution=institution, local_id=f"P{i}", shelfmark=f"Or.{i}",
                             title={"zh-Hant": [f"金剛經 {i}"], "en": [f"Diamond Sutra {i}"]}, languages=["lzh"])
    endpoint = f"{live_server.url}/oai"
    client = OaiClient(endpoint)
    assert client.identify()["protocolVersion"] == "2.0"
    assert "oai_dc" in {f["prefix"] for f in client.list_metadata_formats()}
    spec = f"institution:{institution.pid}"
    assert spec in {s["spec"] for s in client.list_sets()}
    services.institution_upsert(code="MIRROR", name={"en": ["Mirror"]})
    # Only BL's set: the mirrored items are served by the same provider and must not be re-harvested.
    options = {"prefix": "oai_dc", "set": spec}
    run = ingest_execute(kind="oai", location=endpoint, institution_code="MIRROR", options=options)
    assert run.status == "done", run.message
    assert run.created_count == 3, list(run.errors.values_list("message", flat=True))
    mirrored = Item.objects.filter(institution__code="MIRROR")
    assert {t for item in mirrored for t in item.title.get("zh-Hant", []) + item.title.get("none", [])} >= {
        "金剛經 1", "金剛經 2", "金剛經 3"}
    again = ingest_execute(kind="oai", location=endpoint, institution_code="MIRROR", options=options)
    assert again.unchanged_count == 3 and again.created_count == 0
    services.item_upsert(institution=institution, local_id="P2", shelfmark="Or.2", visibility="withdrawn",
                         title={"zh-Hant": ["金剛經 2"], "en": ["Diamond Sutra 2"]}, languages=["lzh"])
    third = ingest_execute(kind="oai", location=endpoint, institution_code="MIRROR",
                           options={**options, "incremental": True})
    assert third.status == "done", third.message
    assert third.deleted_count == 1 and third.created_count == 0
    harvested = Item.objects.get(institution__code="MIRROR", title__en=["Diamond Sutra 2"])
    assert harvested.visibility == "withdrawn"
