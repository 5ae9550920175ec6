"""Fixtures for export tests: the demo catalogue enriched with every kind of exported detail."""

from __future__ import annotations

from pathlib import Path

import pytest
import pyvips

from mogao.catalogue import services
from mogao.catalogue.models import Item, Rights, Transcription, Translation, Visibility
from mogao.demo.loader import load_builtin
from mogao.iiif import services as iiif_services
from mogao.knowledge.models import Person
from mogao.knowledge.services import authority_link_add


@pytest.fixture
def rich_catalogue(db: None, tmp_path: Path, settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Demo records plus canvases with an image and transcriptions, a translation, a private item,
    a BCE date, an authority link, and an item whose rights forbid redistribution."""
    settings.IMAGE_ROOT = tmp_path / "images"
    load_builtin()
    open_item = Item.objects.filter(visibility=Visibility.PUBLIC, rights=Rights.PUBLIC_DOMAIN).order_by("pid").first()
    assert open_item is not None
    source = tmp_path / "page.png"
    pyvips.Image.black(64, 48).pngsave(str(source))
    info = iiif_services.image_register(source=source, identifier="export-test-page")
    canvas = iiif_services.image_canvas_append(item=open_item, info=info)
    layout = {"direction": "vertical-rl", "lines": [{"text": "如是我聞", "box": [1, 2, 3, 4]}]}
    Transcription.objects.create(canvas=canvas, text="如是我聞。一時佛在舍衛國", language="lzh", layout=layout,
                                 source="ocr", engine="rapidocr", confidence=0.93)
    passages = [{"source": "如是我聞", "target": "Thus have I heard."}]
    Translation.objects.create(item=open_item, canvas=canvas, language="en", text="Thus have I heard.",
                               passages=passages, translator="A. Reader")
    closed, _ = services.item_upsert(
        institution=open_item.institution, shelfmark="NC.1", title={"en": ["Non-commercial"], "zh-Hant": ["非商業"]},
        rights=Rights.CC_BY_NC, year_start=-221, year_end=-206, date_expression="秦",
        description={"en": ["=HYPERLINK(\"http://evil\")"]},
    )
    closed_canvas, _ = services.canvas_upsert(item=closed, order=1, label={"en": ["1"]}, width=10, height=10,
                                              service_url="https://images.example.org/iiif/3/nc1")
    Transcription.objects.create(canvas=closed_canvas, text="不可複製", language="lzh")
    private, _ = services.item_upsert(institution=open_item.institution, shelfmark="PRIV.1",
                                      title={"en": ["Private"]}, visibility=Visibility.PRIVATE)
    person = Person.objects.order_by("pid").first()
    assert person is not None
    authority_link_add(entity=person, scheme="wikidata", identifier="Q42")
    return {"open": open_item.pid, "closed": closed.pid, "private": private.pid}


@pytest.fixture
def full_catalogue(rich_catalogue: dict[str, str]) -> dict[str, str]:
    """``rich_catalogue`` plus every other kind of work people do: reader corrections (pending and
    reviewed), mentions (curated, automatic, in a transcription), a subject, a decided join
    suggestion, a collection origin, an ingest structure, a harvested record, a tombstone, curated
    titles of a work and a featured mark, an item featured on the home page."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from mogao.catalogue.models import Collection, Join, Work
    from mogao.ingest.models import HarvestedRecord, Structure
    from mogao.knowledge.models import CollectionOrigin, JoinSuggestion, Mention, Place, Subject
    from mogao.knowledge.services import entity_upsert
    from mogao.oai.models import Tombstone
    from mogao.reading.models import Correction
    from mogao.search.models import FeaturedWork, TitleAlias

    users = get_user_model()
    reader = users.objects.create_user("reader-one", password="pw-reader-123", first_name="Ada", last_name="Reader")
    curator = users.objects.create_user("curator-one", password="pw-curator-123", is_staff=True)
    item = Item.objects.get(pid=rich_catalogue["open"])
    text = Transcription.objects.filter(canvas__item=item).get()
    # a second transcription with the same language, source and engine: ranks tell them apart
    Transcription.objects.create(canvas=text.canvas, text="一時", language="lzh", source="ocr", engine="rapidocr",
                                 is_primary=False)
    Correction.objects.create(transcription=text, line=0, original="如是我聞", text="如是我闻", proposed_by=reader)
    Correction.objects.create(transcription=text, line=0, original="如是我聞", text="如是我聞。", note="punctuation",
                              proposed_by=reader, status="accepted", reviewed_by=curator,
                              reviewed_at=timezone.now(), review_note="thanks")
    person = Person.objects.order_by("pid").first()
    place = Place.objects.order_by("pid").first()
    assert person is not None and place is not None
    subject, _ = entity_upsert(model=Subject, pid="prajnaparamita", name={"en": ["Prajñāpāramitā"]},
                               authority=[("wikidata", "Q1137")])
    ct = ContentType.objects.get_for_model
    Mention.objects.create(content_type=ct(Person), object_id=person.pk, item=item, role="scribe",
                           source="curated", created_by="curator-one")
    Mention.objects.create(content_type=ct(Place), object_id=place.pk, item=item, canvas=text.canvas,
                           transcription=text, field="transcription", span_start=0, span_end=2, surface="如是",
                           source="automatic", confidence=0.4, status="suggested")
    Mention.objects.create(content_type=ct(Place), object_id=place.pk, item=item, canvas=text.canvas,
                           transcription=text, field="transcription", span_start=0, span_end=2, surface="如是",
                           source="automatic", confidence=0.6, status="rejected", reviewed_by=curator,
                           reviewed_at=timezone.now())
    work = Work.objects.order_by("pid").first()
    assert work is not None
    Mention.objects.create(content_type=ct(Subject), object_id=subject.pk, work=work, role="mentioned")
    join = Join.objects.order_by("pid").first()
    assert join is not None
    JoinSuggestion.objects.create(join=join, score=0.82, signals=[{"kind": "shared_work", "weight": 0.4}],
                                  decided_by=curator, decided_at=timezone.now(), note="same hand")
    collection = Collection.objects.order_by("pid").first()
    assert collection is not None
    CollectionOrigin.objects.create(collection=collection, place=place, note={"en": ["From the Library Cave"]})
    Structure.objects.create(item=item, ranges=[{"label": {"en": ["Part 1"]}, "canvases": [1], "ranges": []}],
                             metadata=[{"label": {"en": ["Scribe"]}, "value": {"en": ["unknown"]}}],
                             rights="http://rightsstatements.org/vocab/NoC-NC/1.0/",
                             required_statement={"label": {"en": ["Attribution"]}, "value": {"en": ["BL"]}},
                             source_url="https://example.org/iiif/manifest.json")
    HarvestedRecord.objects.create(endpoint="https://example.org/oai", identifier="oai:example.org:1",
                                   datestamp="2024-01-02", item=item, sets=["dunhuang"])
    Tombstone.objects.create(pid="gone-item", reason="deleted", sets=" bl ", deleted_at=timezone.now())
    TitleAlias.objects.create(work=work, text="金剛經", language="zh-Hant", kind="short",
                              provenance="Foguang Dictionary", note="the usual short title")
    TitleAlias.objects.create(work=work, text="Diamond Sutra", language="en", kind="translation",
                              provenance="common English usage")
    FeaturedWork.objects.create(work=work, provenance="the dated 868 printed copy")
    from mogao.showcase.models import FeaturedItem

    FeaturedItem.objects.create(item=item, position=2, caption={"en": ["The first printed book"],
                                                                "fr": ["Le premier livre imprimé"]})
    from mogao.knowledge.models import Period
    from mogao.stories.models import Step, Story

    story = Story.objects.create(slug="first-book", institution=item.institution, title={"en": ["The first book"]},
                                 summary={"fr": ["Un résumé"]}, cover=text.canvas, cover_region="0,0,10,10",
                                 status="published", featured=True, position=3, created_by=curator,
                                 published_at=timezone.now())
    Step.objects.create(story=story, position=1, kind="image", text={"en": ["<p>Look.</p>"]}, canvas=text.canvas,
                        region="1,2,3,4")
    Step.objects.create(story=story, position=2, kind="text", text={"en": ["<p>Read.</p>"]}, canvas=text.canvas,
                        first_line=1, last_line=1)
    mapped = Step.objects.create(story=story, position=3, kind="map", text={"zh-Hant": ["地圖"]},
                                 show_dispersal=True)
    mapped.places.set([place])
    Step.objects.create(story=story, position=4, kind="timeline", text={"en": ["<p>When.</p>"]}, year_start=868,
                        year_end=868, period=Period.objects.order_by("pid").first())
    Step.objects.create(story=story, position=5, kind="media", text={"en": ["<p>Hear.</p>"]},
                        audio="https://example.org/a.mp3", captions={"en": "WEBVTT\n"})
    Story.objects.create(slug="a-draft", institution=item.institution, title={"en": ["Draft"]})
    return rich_catalogue
