"""Search inside an item (Content Search 2.0 and 1.0, advertised in the manifest), glosses,
citations, translations and the page's rendering."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Item, Translation

pytestmark = pytest.mark.django_db


def test_content_search_2_hits_with_boxes_and_quotes(client: Client, diamond: Item) -> None:
    response = client.get(f"/iiif/items/{diamond.pid}/search", {"q": "祇树"})  # simplified finds traditional
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["type"] == "AnnotationPage" and data["@context"] == "http://iiif.io/api/search/2/context.json"
    targets = [a["target"] for a in data["items"]]
    assert targets[0].endswith(f"/iiif/items/{diamond.pid}/canvas/1#xywh=296,944,72,144")
    assert all(a["motivation"] == "highlighting" for a in data["items"])
    quote = data["annotations"][0]["items"][0]["target"][0]["selector"][0]
    assert quote["exact"] == "祇樹" and quote["prefix"].endswith("舍衛國")


def test_a_hit_across_two_columns_gets_a_box_in_each(client: Client, diamond: Item) -> None:
    data = client.get(f"/items/{diamond.pid}/read/search", {"q": "祇樹給孤獨"}).json()
    assert data["total"] == 1
    hit = data["hits"][0]
    assert [s[0] for s in hit["spans"]] == [0, 1] and len(hit["boxes"]) == 2
    assert hit["url"].startswith(f"/items/{diamond.pid}/read/1?q=")


def test_content_search_1_for_mirador(client: Client, diamond: Item) -> None:
    data = client.get(f"/iiif/items/{diamond.pid}/search/v1", {"q": "世尊"}).json()
    assert data["@type"] == "sc:AnnotationList" and data["within"]["total"] == len(data["hits"]) >= 1
    assert data["resources"][0]["on"].split("#")[1].startswith("xywh=")
    assert data["hits"][0]["annotations"][0] == data["resources"][0]["@id"]


def test_search_refuses_empty_and_overlong_queries(client: Client, diamond: Item) -> None:
    assert client.get(f"/iiif/items/{diamond.pid}/search").status_code == 400
    assert client.get(f"/iiif/items/{diamond.pid}/search", {"q": "字" * 101}).status_code == 400
    assert client.get("/iiif/items/no-such-item/search", {"q": "字"}).status_code == 404


def test_manifest_advertises_both_search_services(client: Client, diamond: Item) -> None:
    data = client.get(f"/items/{diamond.pid}/read/manifest").json()
    services = {s.get("type") or s.get("@type"): s for s in data["service"]}
    assert services["SearchService2"]["id"].endswith(f"/iiif/items/{diamond.pid}/search")
    assert services["SearchService1"]["profile"] == "http://iiif.io/api/search/1/search"
    assert data["items"][0]["id"].endswith("/canvas/1")


def test_manifest_lists_each_service_once(client: Client, diamond: Item) -> None:
    """Issue #12 fault 5: the Content Search services were listed twice (keyed by type, the test
    above could not see it). No two entries may share an id or a type."""
    data = client.get(f"/items/{diamond.pid}/read/manifest").json()
    ids = [s.get("id") or s.get("@id") for s in data["service"]]
    types = [s.get("type") or s.get("@type") for s in data["service"]]
    assert len(ids) == len(set(ids)), ids
    assert len(types) == len(set(types)), types
    assert {"SearchService2", "SearchService1"} <= set(types)


def test_gloss_gives_pinyin_definitions_variants_and_a_search_link(client: Client) -> None:
    data = client.get("/reading/gloss", {"text": "一時佛在舍衛國", "at": 2}).json()
    assert data["word"] == "佛" and data["pinyin"] == "fó"
    assert any("Buddha" in d for e in data["entries"] for d in e["definitions"])
    assert data["search"] == "/search/?q=%E4%BD%9B"
    word = client.get("/reading/gloss", {"text": "如是我聞一時世尊", "at": 7}).json()
    assert word["word"] == "世尊" and word["wade_giles"] == "shih tsun"
    variants = client.get("/reading/gloss", {"text": "國", "at": 0}).json()["variants"]
    assert "国" in variants


@pytest.mark.parametrize("params", [{"text": "佛", "at": "x"}, {"text": "佛", "at": 3}, {"text": "", "at": 0},
                                    {"text": "字" * 501, "at": 0}])
def test_gloss_bad_input_is_a_400(client: Client, params: dict[str, Any]) -> None:
    response = client.get("/reading/gloss", params)
    assert response.status_code == 400 and "error" in response.json()


def test_page_citations_name_holder_shelfmark_and_stable_urls(client: Client, diamond: Item) -> None:
    html = client.get(f"/items/{diamond.pid}/read/2").content.decode()
    assert f"/items/{diamond.pid}/read/2" in html and f"/iiif/items/{diamond.pid}/manifest" in html
    from mogao.reading.citations import item_citations

    cite = item_citations(diamond, language="en", page=2, line=3)
    for style in ("chicago", "mla", "bibtex"):
        assert "British Library" in cite[style] and "Or.8210/P.2" in cite[style], style
        assert cite["url"] in cite[style]
    assert cite["url"].endswith(f"/items/{diamond.pid}/read/2#l3")
    csl = json.loads(cite["csl_json"])[0]
    assert (csl["archive"], csl["archive_location"], csl["type"], csl["locator"]) == (
        "British Library", "Or.8210/P.2", "manuscript", "2:3")
    assert csl["issued"]["date-parts"] == [[868]]


def test_page_renders_lines_options_and_navigation(client: Client, diamond: Item) -> None:
    response = client.get(f"/items/{diamond.pid}/read")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="lines is-vertical"' in html and 'id="l1"' in html
    assert 'name="script" value="simplified"' in html and 'name="punctuation"' in html
    assert 'rel="next" href="/items/bl-or-8210-p-2/read/2"' in html
    assert client.get(f"/items/{diamond.pid}/read/9").status_code == 404
    assert client.get("/items/no-such/read").status_code == 404
    item_page = client.get(f"/items/{diamond.pid}").content.decode()
    assert f'href="/items/{diamond.pid}/read"' in item_page


def test_translations_side_by_side_interface_language_first(client: Client, diamond: Item) -> None:
    Translation.objects.create(item=diamond, language="en", text="Thus have I heard.", translator="A. Reader",
                               passages=[{"ref": "1", "source": "如是我聞", "text": "Thus have I heard."}])
    Translation.objects.create(item=diamond, language="fr", text="Ainsi ai-je entendu.", translator="B. Lecteur")
    html = client.get(f"/items/{diamond.pid}/read", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert html.index("Ainsi ai-je entendu.") < html.index("Thus have I heard.")
    html = client.get(f"/items/{diamond.pid}/read", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index("Thus have I heard.") < html.index("Ainsi ai-je entendu.")
    # Aligned by passage: one row holds the source and both translations.
    assert '<tr data-ref="1"><th scope="row">1</th><td lang="zh-Hant" data-label="Original">如是我聞</td>' in html
    assert '<td lang="en" data-label="English">Thus have I heard.</td>' in html
    assert '<td lang="fr" data-label="French">Ainsi ai-je entendu.</td>' in html
