"""schema.org JSON-LD and Open Graph on item pages (read back with extruct), and content negotiation."""

from __future__ import annotations

import json

import extruct
import pytest
from django.test import Client

from mogao.catalogue.models import Work
from mogao.discovery.jsonld import for_object, year
from mogao.discovery.templatetags.discovery import script_json
from mogao.knowledge.models import Person, Place

pytestmark = pytest.mark.django_db


def test_item_page_has_valid_jsonld_and_open_graph(client: Client, demo) -> None:
    response = client.get(f"/items/{demo.item.pid}")
    assert response.status_code == 200
    assert "Accept" in response["Vary"]
    data = extruct.extract(response.content.decode(), base_url="https://mogao.example/",
                           syntaxes=["json-ld", "opengraph"], uniform=True)
    assert len(data["json-ld"]) == 1
    ld = data["json-ld"][0]
    assert ld["@context"] == "https://schema.org"
    assert set(ld["@type"]) & {"Manuscript", "Book", "VisualArtwork"} and "ArchiveComponent" in ld["@type"]
    assert ld["@id"] == ld["url"] == f"https://mogao.example/items/{demo.item.pid}"
    assert ld["holdingArchive"]["@type"] == ["ArchiveOrganization", "Library"]
    names = ld["name"] if isinstance(ld["name"], list) else [ld["name"]]
    assert names and all(isinstance(n, dict | str) for n in names)
    assert ld["license"].startswith("http")
    assert ld["subjectOf"]["url"].endswith(f"/iiif/items/{demo.item.pid}/manifest")
    og = data["opengraph"][0]
    assert og["og:url"] == f"https://mogao.example/items/{demo.item.pid}"
    assert og["og:title"] and og.get("og:type", og.get("@type")) == "article"


def test_jsonld_in_every_interface_language(client: Client, demo) -> None:
    for lang in ("en", "fr", "zh-hans", "zh-hant"):
        html = client.get(f"/items/{demo.item.pid}", headers={"accept-language": lang}).content.decode()
        ld = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        assert ld and ld[0]["@id"].endswith(demo.item.pid)


def test_content_negotiation_on_item_urls(client: Client, demo) -> None:
    url = f"/items/{demo.item.pid}"
    response = client.get(url, headers={"accept": "application/ld+json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    assert response.json()["@id"] == f"https://mogao.example{url}"
    assert "Accept" in response["Vary"]
    html = client.get(url, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html["Content-Type"].startswith("text/html")
    weighted = client.get(url, headers={"accept": "text/html;q=0.5, application/ld+json"})
    assert weighted["Content-Type"].startswith("application/ld+json")
    assert client.get(f"/items/{demo.private.pid}", headers={"accept": "application/ld+json"}).status_code == 404
    assert client.get(f"/items/{demo.private.pid}").status_code == 404


def test_work_person_place_builders_give_the_expected_types(demo) -> None:
    work = Work.objects.filter(visibility="public").first()
    person = Person.objects.first()
    place = Place.objects.exclude(latitude=None).first()
    assert for_object(work)["@type"] == "CreativeWork"
    assert for_object(person)["@type"] == "Person"
    place_ld = for_object(place)
    assert place_ld["@type"] == "Place" and place_ld["geo"]["@type"] == "GeoCoordinates"
    assert for_object(object()) is None


def test_script_json_cannot_break_out_of_the_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"].startswith("</script>")


@pytest.mark.parametrize(("value", "expected"), [(868, "0868"), (-1, "0000"), (-221, "-0220"), (None, None)])
def test_years_are_iso_8601_astronomical(value, expected) -> None:
    assert year(value) == expected
