"""Item manifests: content, languages, reading direction, image services, headers and 404s."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue import services
from mogao.iiif.presentation.common import CONTENT_TYPE, remote_service

from .prezi_support import REMOTE_V2, REMOTE_V3, Library

BASE = "http://127.0.0.1:8000"


def get_json(client: Client, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def row(manifest: dict[str, Any], label: str) -> dict[str, list[str]]:
    for entry in manifest["metadata"]:
        if entry["label"]["en"] == [label]:
            return entry["value"]
    raise AssertionError(f"no metadata row {label!r}")


@pytest.mark.django_db
def test_item_manifest_headers_ids_and_schema(
    client: Client, library: Library, assert_valid: Any, settings: Any,
) -> None:
    settings.BASE_URL = BASE
    response = client.get(f"/iiif/items/{library.scroll.pid}/manifest")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = json.loads(response.content)
    assert_valid(manifest)
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == f"{BASE}/iiif/items/{library.scroll.pid}/manifest"
    assert manifest["type"] == "Manifest"


@pytest.mark.django_db
def test_labels_and_summary_in_every_language_with_simplified_derived(client: Client, library: Library) -> None:
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["label"]["zh-Hant"] == ["金剛般若波羅蜜經"]
    assert m["label"]["zh-Hans"] == ["金刚般若波罗蜜经"]
    assert m["label"]["en"] == ["Diamond Sūtra (printed scroll)"]
    assert m["summary"]["zh-Hans"] == ["现存最早有明确纪年的印本。"]
    assert m["summary"]["en"] == ["The earliest dated printed book."]


@pytest.mark.django_db
def test_metadata_rows_name_holder_shelfmark_date_material_works(client: Client, library: Library) -> None:
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert row(m, "Holder")["zh-Hant"] == ["大英圖書館"]
    assert row(m, "Holder")["zh-Hans"] == ["大英图书馆"]
    assert row(m, "Holder")["en"] == ["British Library"]
    assert row(m, "Collection")["en"] == ["Stein collection"]
    assert row(m, "Shelfmark") == {"none": ["Or.8210/P.2"]}
    assert row(m, "Date") == {"none": ["咸通九年四月十五日 (868)"]}
    assert row(m, "Material")["zh-Hans"] == ["纸"]
    assert row(m, "Works")["en"] == ["Diamond Sūtra"]
    assert row(m, "Works")["zh-Hant"] == ["金剛般若波羅蜜經"]
    assert row(m, "Languages") == {"none": ["lzh"]}


@pytest.mark.django_db
def test_required_statement_rights_provider_and_links(client: Client, library: Library, settings: Any) -> None:
    settings.BASE_URL = BASE
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["requiredStatement"]["label"]["en"] == ["Held by"]
    assert m["requiredStatement"]["value"]["en"] == ["British Library, Or.8210/P.2"]
    assert m["requiredStatement"]["value"]["zh-Hant"] == ["大英圖書館, Or.8210/P.2"]
    assert m["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert m["provider"][0]["type"] == "Agent"
    assert m["provider"][0]["label"]["en"] == ["British Library"]
    assert {h["id"] for h in m["provider"][0]["homepage"]} == {
        f"{BASE}/institutions/{library.bl.pid}", "https://www.bl.uk/",
    }
    assert m["homepage"][0]["id"] == f"{BASE}/items/{library.scroll.pid}"
    assert m["homepage"][0]["format"] == "text/html"
    assert m["seeAlso"][0]["id"] == f"{BASE}/api/v1/items/{library.scroll.pid}"
    assert m["seeAlso"][0]["format"] == "application/json"
    assert m["rendering"][0]["id"] == f"{BASE}/items/{library.scroll.pid}/download.pdf"
    assert m["partOf"][0]["id"] == f"{BASE}/iiif/collections/institution/{library.bl.pid}"


@pytest.mark.django_db
def test_no_pdf_rendering_when_downloads_are_off(client: Client, library: Library) -> None:
    m = get_json(client, f"/iiif/items/{library.manuscript.pid}/manifest")
    assert "rendering" not in m


@pytest.mark.django_db
def test_chinese_scroll_reads_right_to_left_continuously(client: Client, library: Library) -> None:
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["viewingDirection"] == "right-to-left"
    assert m["behavior"] == ["continuous"]
    ms = get_json(client, f"/iiif/items/{library.manuscript.pid}/manifest")
    assert ms["viewingDirection"] == "right-to-left"
    assert ms["behavior"] == ["individuals"]


@pytest.mark.django_db
def test_printed_book_is_paged(client: Client, library: Library) -> None:
    services.item_upsert(institution=library.bl, shelfmark="Or.8210/P.2", item_type="printed")
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["behavior"] == ["paged"]


@pytest.mark.django_db
def test_tibetan_reads_left_to_right_and_bce_has_no_navdate(
    client: Client, library: Library, assert_valid: Any,
) -> None:
    m = get_json(client, f"/iiif/items/{library.tibetan.pid}/manifest")
    assert_valid(m)
    assert m["viewingDirection"] == "left-to-right"
    assert "navDate" not in m
    assert row(m, "Date") == {"none": ["100 BCE–50 BCE"]}


@pytest.mark.django_db
def test_navdate_from_year_start(client: Client, library: Library) -> None:
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["navDate"] == "0868-01-01T00:00:00Z"


@pytest.mark.django_db
def test_local_canvases_paint_images_with_image_service_3(client: Client, library: Library, settings: Any) -> None:
    settings.BASE_URL = BASE
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert [c["id"] for c in m["items"]] == [
        f"{BASE}/iiif/items/{library.scroll.pid}/canvas/1", f"{BASE}/iiif/items/{library.scroll.pid}/canvas/2",
    ]
    first = m["items"][0]
    assert (first["width"], first["height"]) == (1200, 900)
    assert first["label"]["en"] == ["Frontispiece"]
    assert m["items"][1]["label"] == {"none": ["2"]}
    anno = first["items"][0]["items"][0]
    assert anno["motivation"] == "painting"
    assert anno["target"] == first["id"]
    body = anno["body"]
    assert body["id"] == f"{BASE}/iiif/3/test-scroll-1/full/max/0/default.jpg"
    assert body["type"] == "Image" and body["format"] == "image/jpeg"
    assert body["service"] == [{"id": f"{BASE}/iiif/3/test-scroll-1", "type": "ImageService3", "profile": "level2"}]
    assert m["thumbnail"][0]["id"] == f"{BASE}/iiif/3/test-scroll-1/full/200,/0/default.jpg"
    assert first["thumbnail"][0]["service"][0]["id"] == f"{BASE}/iiif/3/test-scroll-1"


@pytest.mark.django_db
def test_remote_services_are_kept_as_given_v2_and_v3(client: Client, library: Library, assert_valid: Any) -> None:
    m = get_json(client, f"/iiif/items/{library.manuscript.pid}/manifest")
    assert_valid(m)
    v2 = m["items"][0]["items"][0]["items"][0]["body"]
    assert v2["service"] == [{
        "@id": REMOTE_V2, "@type": "ImageService2", "profile": "http://iiif.io/api/image/2/level1.json",
    }]
    assert v2["id"] == f"{REMOTE_V2}/full/full/0/default.jpg"
    v3 = m["items"][1]["items"][0]["items"][0]["body"]
    assert v3["service"] == [{"id": REMOTE_V3.rstrip("/"), "type": "ImageService3", "profile": "level1"}]
    assert v3["id"] == f"{REMOTE_V3.rstrip('/')}/full/max/0/default.jpg"


@pytest.mark.parametrize(
    ("url", "version", "base"),
    [
        ("https://x.org/iiif/3/abc", 3, "https://x.org/iiif/3/abc"),
        ("https://x.org/iiif/3/abc/info.json", 3, "https://x.org/iiif/3/abc"),
        ("https://x.org/iiif/image/v3/abc/", 3, "https://x.org/iiif/image/v3/abc"),
        ("https://x.org/iiif/2/abc", 2, "https://x.org/iiif/2/abc"),
        ("https://gallica.bnf.fr/iiif/ark:/12148/btv1b1/f1", 2, "https://gallica.bnf.fr/iiif/ark:/12148/btv1b1/f1"),
        ("https://x.org/images/abc", 2, "https://x.org/images/abc"),
    ],
)
def test_remote_service_version_detection(url: str, version: int, base: str) -> None:
    service = remote_service(url)
    assert (service.version, service.base) == (version, base)


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["undigitized", "private", "missing"])
def test_items_without_a_manifest_are_404_with_a_message(client: Client, library: Library, which: str) -> None:
    pid = "no-such-item" if which == "missing" else getattr(library, which).pid
    body = get_json(client, f"/iiif/items/{pid}/manifest", status=404)
    assert body["status"] == 404
    assert "no public item" in body["error"]


@pytest.mark.django_db
def test_canvas_without_dimensions_is_left_out(client: Client, library: Library) -> None:
    services.canvas_upsert(item=library.scroll, order=3, image_id="test-scroll-2")
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert len(m["items"]) == 2


@pytest.mark.django_db
def test_bad_pid_shapes_do_not_route_or_500(client: Client, library: Library) -> None:
    for url in ["/iiif/items/../manifest", "/iiif/items/%2e%2e%2fetc/manifest", "/iiif/items/a b/manifest"]:
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_manifest_only_answers_get(client: Client, library: Library) -> None:
    assert client.post(f"/iiif/items/{library.scroll.pid}/manifest").status_code == 405


@pytest.mark.django_db
def test_manifest_query_count_is_bounded(client: Client, library: Library, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        client.get(f"/iiif/items/{library.scroll.pid}/manifest")


@pytest.mark.django_db
def test_head_is_answered_like_get(client: Client, library: Library) -> None:
    response = client.head(f"/iiif/items/{library.scroll.pid}/manifest")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_manifest_follows_catalogue_changes(client: Client, library: Library) -> None:
    services.item_upsert(institution=library.bl, shelfmark="Or.8210/P.2", title={"en": ["Renamed"]})
    m = get_json(client, f"/iiif/items/{library.scroll.pid}/manifest")
    assert m["label"] == {"en": ["Renamed"]}
