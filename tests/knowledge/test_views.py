"""Map, timeline and graph data and pages; related items with reasons on item and work pages."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.test import Client

from mogao.catalogue import services as catalogue
from mogao.catalogue.models import Item, Work
from mogao.knowledge import selectors
from mogao.knowledge.models import Period


@pytest.mark.django_db
def test_map_data_has_find_places_holders_and_dispersal_lines(demo: dict[str, int], client: Client) -> None:
    data = client.get("/map/data.json").json()
    kinds = {m["id"]: m["kind"] for m in data["markers"]}
    assert kinds["find:mogao-library-cave"] == "find"
    holders = {m["name"] for m in data["markers"] if m["kind"] == "holder"}
    assert {"British Library", "Bibliothèque nationale de France"} <= holders
    cities = {line["to_name"] for line in data["lines"] if line["from"] == "find:mogao-library-cave"}
    assert len(cities) == 5  # London, Paris, Beijing, St Petersburg, Kyoto
    by_holder = {line["to"]: line["count"] for line in data["lines"] if line["from"] == "find:mogao-library-cave"}
    expected_bl = Item.objects.filter(find_place__pid="mogao-library-cave", institution__code="BL").count()
    assert by_holder["holder:bl"] == expected_bl
    assert any(m["kind"] == "production" for m in data["markers"])  # Chang'an, where the almanac was printed
    for line in data["lines"]:
        for lat, lon in line["coords"]:
            assert -90 <= lat <= 90 and -180 <= lon <= 180


@pytest.mark.django_db
def test_map_page_embeds_data_and_an_offline_basemap(demo: dict[str, int], client: Client) -> None:
    html = client.get("/map/").content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "vendor/world-atlas/countries-110m.json" in html
    assert "tile.openstreetmap" not in html and "{z}/{x}/{y}" not in html
    assert 'id="kn-map-data"' in html and "British Library" in html


@pytest.mark.django_db
def test_timeline_orders_bce_before_ce(demo: dict[str, int], client: Client) -> None:
    catalogue.work_upsert(pid="analects", title={"en": ["Analects"], "zh-Hant": ["論語"]},
                          year_start=-479, year_end=-221)
    catalogue.work_upsert(pid="shijing", title={"en": ["Book of Odes"]}, year_start=-1000, year_end=-600)
    Period.objects.create(pid="zhou", name={"en": ["Zhou"]}, year_start=-1046, year_end=-256)
    data = selectors.timeline_data(bounds=selectors.TimelineRange(-1100, 1000))
    starts = [e["start"] for e in data["entries"]]
    assert starts == sorted(starts)
    labels = [e["label"] for e in data["entries"]]
    assert labels.index("Book of Odes") < labels.index("Analects") < labels.index("Diamond Sūtra")
    xs = [b["x"] for b in data["bins"]]
    assert xs == sorted(xs) and xs[0] >= 0 and xs[-1] <= 1
    assert "Zhou" in [b["label"] for b in data["bands"]] and "Tang" in [b["label"] for b in data["bands"]]
    html = client.get("/timeline/?from=-1100&to=1000").content.decode()
    listed = [int(x) for x in re.findall(r'<li data-start="(-?\d+)"', html)]
    assert listed == sorted(listed) and listed[0] == -1000
    assert "1000 BCE" in html and "479 BCE" in html


@pytest.mark.django_db
def test_timeline_opens_on_the_manuscripts_and_aggregates(demo: dict[str, int], client: Client) -> None:
    """By default the view spans the dated items (all the demo manuscripts), not the oldest works;
    the histogram counts every record of the view once; dynasties share no row with an overlap."""
    catalogue.work_upsert(pid="shijing", title={"en": ["Book of Odes"]}, year_start=-1000, year_end=-600)
    data = selectors.timeline_data()
    assert data["default"]
    items = Item.objects.filter(year_start__isnull=False, find_place__pid="mogao-library-cave")
    assert items.count() >= 10
    for item in items:
        assert data["start"] <= item.year_start and (item.year_end or item.year_start) <= data["end"], item
    assert data["start"] > -1000  # the oldest work does not stretch the default view
    assert sum(b["count"] for b in data["bins"]) == data["total"]
    assert len(data["bins"]) <= 49
    diamond = Item.objects.get(shelfmark="Or.8210/P.2")
    assert any(b["start"] <= 868 <= b["end"] and b["items"] >= 1 for b in data["bins"])
    assert diamond.pid in {e["pid"] for e in data["entries"]}
    for lane in data["lanes"]:
        for a, b in itertools.pairwise(lane):
            assert a["end"] <= b["start"]
    html = client.get("/timeline/").content.decode()
    assert "Or.8210/P.2" in html and "Book of Odes" not in html
    first = next(b for b in data["bins"] if b["items"])
    assert f'href="?from={first["start"]}&amp;to={first["end"]}"' in html


@pytest.mark.django_db
def test_timeline_range_and_bad_input(demo: dict[str, int], client: Client) -> None:
    html = client.get("/timeline/?from=860&to=880").content.decode()
    assert "Or.8210/P.2" in html and "Wenjin" not in html
    for query in ("from=abc", "to=99999", "from=900&to=800"):
        response = client.get(f"/timeline/?{query}")
        assert response.status_code == 400, query
        assert response.content


@pytest.mark.django_db
def test_graph_opens_around_the_diamond_sutra(demo: dict[str, int], client: Client) -> None:
    data = client.get("/graph/data.json").json()
    assert data["center"] == "work:t0235-diamond-sutra"
    ids = {n["id"] for n in data["nodes"]}
    assert "person:kumarajiva" in ids and "period:later-qin" in ids
    diamond_item = Item.objects.get(shelfmark="Or.8210/P.2")
    assert f"item:{diamond_item.pid}" in ids
    assert "place:mogao-library-cave" in ids and "institution:bl" in ids
    html = client.get("/graph/").content.decode()
    assert 'data-node="work:t0235-diamond-sutra"' in html and "echarts" in html
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])


@pytest.mark.django_db
def test_graph_around_other_records_and_bad_input(demo: dict[str, int], client: Client) -> None:
    data = client.get("/graph/data.json?around=person:aurel-stein").json()
    assert data["center"] == "person:aurel-stein" and len(data["nodes"]) > 5
    assert client.get("/graph/?around=place:mogao-library-cave").status_code == 200
    held = client.get("/graph/data.json?around=institution:bl").json()
    assert "item:" + Item.objects.get(shelfmark="Or.8210/P.2").pid in {n["id"] for n in held["nodes"]}
    assert client.get("/graph/data.json?around=planet:mars").status_code == 400
    assert client.get("/graph/?around=person:nobody").status_code == 400
    assert client.get("/graph/?around=nonsense").status_code == 400


@pytest.mark.django_db
def test_related_items_with_reasons_on_the_item_page(demo: dict[str, int], client: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8210/S.3969")
    related = selectors.item_related(item=item)
    top = related[0]
    assert top.obj.shelfmark == "Pelliot chinois 3884"
    codes = [code for code, _ in top.reasons]
    assert "same_scroll" in codes and "same_work" in codes and "same_find_place" in codes
    assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'data-reason="same_scroll"' in html and "part of the same scroll" in html
    assert 'id="kn-item-map"' in html and "Aurel Stein" in html


@pytest.mark.django_db
def test_similar_text_and_same_scribe_reasons(demo: dict[str, int]) -> None:
    from mogao.catalogue.models import Canvas, Transcription
    from mogao.knowledge import services
    from mogao.knowledge.models import Mention, Person

    a = Item.objects.get(shelfmark="Or.8210/P.2")
    b = Item.objects.get(shelfmark="Or.8210/S.2659")
    canvas = Canvas.objects.create(item=b, order=99)
    Transcription.objects.create(canvas=canvas, text="如是我聞。一時佛在舍衛國祇樹給孤獨園，與大比丘眾千二百五十人俱。")
    scribe, _ = services.entity_upsert(model=Person, name={"en": ["A scribe"]})
    for item in (a, b):
        services.mention_add(entity=scribe, role=Mention.Role.SCRIBE, item=item)
    related = {r.obj.pk: [c for c, _ in r.reasons] for r in selectors.item_related(item=a)}
    assert "similar_text" in related[b.pk] and "same_scribe" in related[b.pk]


@pytest.mark.django_db
def test_related_works_same_title_and_creator(demo: dict[str, int]) -> None:
    diamond = Work.objects.get(pid="t0235-diamond-sutra")
    other, _ = catalogue.work_upsert(key=("taisho", "T0236a"), title={"zh-Hant": ["金剛般若波羅蜜經"]})
    related = {r.obj.pk: [c for c, _ in r.reasons] for r in selectors.work_related(work=diamond)}
    assert "same_title" in related[other.pk]
    lotus = Work.objects.get(pid="t0262-lotus-sutra")
    assert "same_creator" in related[lotus.pk]


@pytest.mark.django_db
def test_entity_documents_feed_search(demo: dict[str, int]) -> None:
    docs = {d.id: d for d in selectors.entity_documents()}
    kumarajiva = docs["person:kumarajiva"]
    assert "鳩摩羅什" in kumarajiva.text["title"]
    assert "Jiumoluoshi" in kumarajiva.text["alias"]
    assert docs["period:tang"].year_start == 618
    names = selectors.entity_names_for(work=Work.objects.get(pid="t0235-diamond-sutra"))
    assert "鳩摩羅什" in names and "Kumārajīva" in names
    assert json.dumps(kumarajiva.payload, ensure_ascii=False)


@pytest.mark.django_db
def test_work_context_partial_renders_related_works(demo: dict[str, int], rf) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    diamond = Work.objects.get(pid="t0235-diamond-sutra")
    html = render_to_string("knowledge/_work_context.html", {"work": diamond}, request=rf.get("/"))
    assert "/works/t0262-lotus-sutra" in html and 'data-reason="same_creator"' in html
    assert "?around=work:t0235-diamond-sutra" in html
