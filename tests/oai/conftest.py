"""Fixtures for the OAI-PMH tests: a catalogue made through the services, and the XSD validator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from mogao.catalogue import services
from mogao.catalogue.models import Item, Visibility
from mogao.core import changes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROFILE_XSD = Path(__file__).resolve().parents[2] / "src" / "mogao" / "oai" / "schemas" / "mogao.xsd"


@dataclass
class Harvestable:
    public: list[str]
    private: list[str]
    withdrawn: list[str]
    deleted: list[str]


@pytest.fixture
def records(db: None) -> Harvestable:
    """23 public items over two institutions and collections, plus private, withdrawn and deleted ones."""
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"]})
    bnf, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    stein, _ = services.collection_upsert(institution=bl, code="stein", name={"en": ["Stein collection"]})
    pelliot, _ = services.collection_upsert(institution=bnf, code="pelliot", name={"fr": ["Pelliot chinois"]})
    diamond, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]},
        identifiers={"taisho": "T0235"},
    )
    hidden_work, _ = services.work_upsert(
        key=("taisho", "T9999"), title={"en": ["Unpublished work"]}, identifiers={"taisho": "T9999"},
        visibility=Visibility.PRIVATE,
    )
    public: list[str] = []
    for n in range(23):
        inst, coll = (bl, stein) if n % 2 else (bnf, pelliot if n % 3 else None)
        item, _ = services.item_upsert(
            institution=inst, collection=coll, shelfmark=f"Or.8210/S.{n}",
            title={"zh-Hant": [f"寫本 {n}"], "en": [f"Manuscript {n} & <friends>"]},
            description={"en": ["A scroll \x0b with a control character."]},
            languages=["lzh"], year_start=800 + n, year_end=850 + n, date_expression="唐",
            works=[(diamond, "text"), (hidden_work, "part")] if n % 4 == 0 else None,
        )
        public.append(item.pid)
    private = [
        services.item_upsert(institution=bl, shelfmark=f"Secret {n}", title={"en": ["Never published"]},
                             visibility=Visibility.PRIVATE)[0].pid
        for n in range(2)
    ]
    withdrawn_item, _ = services.item_upsert(institution=bl, shelfmark="W.1", title={"en": ["Withdrawn"]})
    withdrawn_item.visibility = Visibility.WITHDRAWN
    withdrawn_item.full_clean()
    withdrawn_item.save()
    deleted_item, _ = services.item_upsert(
        institution=bl, collection=stein, shelfmark="D.1", title={"en": ["Deleted"]},
    )
    deleted_pid = deleted_item.pid
    deleted_item.delete()
    changes.flush()  # the commit: tombstones are written after it (the test's transaction never commits)
    return Harvestable(public=public, private=private, withdrawn=[withdrawn_item.pid], deleted=[deleted_pid])


@pytest.fixture(scope="session")
def oai_schema() -> etree.XMLSchema:
    """OAI-PMH.xsd combined with oai_dc and the Mogao profile, so ``strict`` metadata is checked too."""
    imports = {
        "http://www.openarchives.org/OAI/2.0/": FIXTURES / "OAI-PMH.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/": FIXTURES / "oai_dc.xsd",
        "urn:mogao:oai:record:1": PROFILE_XSD,
    }
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{p.as_uri()}"/>' for ns, p in imports.items())
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(FIXTURES / "driver.xsd")))


def item_count() -> int:
    return Item.objects.count()
