"""Two independent harvesters (sickle and oaipmh-scythe) against a live server, over several pages."""

from __future__ import annotations

from collections import Counter

import pytest
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from sickle import Sickle

from .oai_helpers import identifier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_pages(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.OAI_PAGE_SIZE = 4


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_gets_every_public_record_exactly_once(live_server, records, method: str) -> None:
    sickle = Sickle(f"{live_server.url}/oai", http_method=method)
    got = Counter(r.header.identifier for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    assert set(got) == {identifier(p) for p in records.public}
    assert set(got.values()) == {1}
    mogao = list(sickle.ListRecords(metadataPrefix="mogao", ignore_deleted=True))
    assert len(mogao) == len(records.public)
    deleted = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc") if h.deleted]
    assert sorted(deleted) == sorted(identifier(p) for p in records.withdrawn + records.deleted)
    hidden = {identifier(p) for p in records.private}
    assert not hidden & set(got) and not hidden & set(deleted)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_scythe_gets_every_public_record_exactly_once(live_server, records, method: str) -> None:
    with Scythe(f"{live_server.url}/oai", http_config=HTTPConfig(http_method=method)) as scythe:
        got = Counter(r.header.identifier for r in scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=True))
        assert set(got) == {identifier(p) for p in records.public}
        assert set(got.values()) == {1}
        headers = list(scythe.list_identifiers(metadata_prefix="mogao"))
        assert len(headers) == len(records.public) + 2
        assert {h.identifier for h in headers if h.deleted} == {
            identifier(p) for p in records.withdrawn + records.deleted
        }
        assert not {identifier(p) for p in records.private} & {h.identifier for h in headers}
        assert scythe.identify().granularity == "YYYY-MM-DDThh:mm:ssZ"


def test_both_harvesters_agree_on_the_demo_catalogue(live_server) -> None:
    from mogao.catalogue.models import Item
    from mogao.demo.loader import load_builtin

    load_builtin()
    public = {identifier(pid) for pid in Item.objects.filter(visibility="public").values_list("pid", flat=True)}
    sickle = Counter(r.header.identifier for r in Sickle(f"{live_server.url}/oai").ListRecords(
        metadataPrefix="mogao", ignore_deleted=True))
    with Scythe(f"{live_server.url}/oai") as scythe:
        scythe_ids = Counter(h.identifier for h in scythe.list_identifiers(metadata_prefix="oai_dc",
                                                                          ignore_deleted=True))
    assert set(sickle) == set(scythe_ids) == public
    assert set(sickle.values()) == set(scythe_ids.values()) == {1}
