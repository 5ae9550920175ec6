"""Shared helpers for Presentation tests: a small library across two holders, local and remote images.

``library`` builds, through the catalogue services: the British Library (downloads allowed) and the
BnF (downloads switched off); a Chinese scroll with two local pages in the image store; a Chinese
manuscript at the BnF with one remote Image API 2 and one remote Image API 3 page; a Tibetan
fragment dated BCE; an item catalogued but not digitized; a private item; an accepted join of the
scroll and the manuscript (local + remote, two holders) and a merely suggested join.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyvips
from django.conf import settings

from mogao.catalogue import services
from mogao.catalogue.models import Collection, Institution, Item, Join, Visibility, Work
from mogao.iiif.image.store import ImageStore

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "iiif_3_0.json"
REMOTE_V2 = "https://gallica.bnf.fr/iiif/ark:/12148/btv1b8304219k/f1"
REMOTE_V3 = "https://images.example.org/iiif/3/pelliot-2000-f2/"


@dataclass
class Library:
    bl: Institution
    bnf: Institution
    stein: Collection
    work: Work
    scroll: Item
    manuscript: Item
    tibetan: Item
    undigitized: Item
    private: Item
    join: Join
    suggested: Join


def make_image(path: Path, width: int, height: int) -> Path:
    """A JPEG with visible structure (a gradient and a grid), so tiles are not blank."""
    x = pyvips.Image.xyz(width, height)
    band_r = (x[0] * 255 / width).cast("uchar")
    band_g = (x[1] * 255 / height).cast("uchar")
    band_b = (((x[0] // 64 + x[1] // 64) % 2) * 200).cast("uchar")
    band_r.bandjoin([band_g, band_b]).copy(interpretation="srgb").jpegsave(str(path), Q=85)
    return path


def register_image(tmp_path: Path, identifier: str, width: int, height: int) -> None:
    store = ImageStore(root=Path(settings.IMAGE_ROOT), max_pixels=int(settings.IMAGE_MAX_PIXELS))
    store.register(make_image(tmp_path / f"{identifier}.jpg", width, height), identifier)
    store.build_pyramid(identifier)


def build_library(tmp_path: Path) -> Library:
    bl, _ = services.institution_upsert(
        code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"], "fr": ["British Library"]},
        homepage="https://www.bl.uk/",
    )
    bnf, _ = services.institution_upsert(
        code="BnF", name={"fr": ["Bibliothèque nationale de France"], "en": ["National Library of France"]},
        allow_download=False,
    )
    stein, _ = services.collection_upsert(institution=bl, code="stein", name={"en": ["Stein collection"]})
    work, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]},
        identifiers={"taisho": "T0235"},
    )
    scroll, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/P.2", collection=stein,
        title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra (printed scroll)"]},
        description={"en": ["The earliest dated printed book."], "zh-Hant": ["現存最早有明確紀年的印本。"]},
        item_type=Item.Type.SCROLL, languages=["lzh"], year_start=868, year_end=868,
        date_expression="咸通九年四月十五日", material={"en": ["paper"], "zh-Hant": ["紙"]},
        digitization_status=Item.Status.DIGITIZED, works=[(work, "text")],
    )
    manuscript, _ = services.item_upsert(
        institution=bnf, shelfmark="Pelliot chinois 2000",
        title={"zh-Hant": ["金剛經殘卷"], "fr": ["Sūtra du Diamant (fragment)"]},
        item_type=Item.Type.MANUSCRIPT, languages=["lzh"], year_start=700, year_end=800,
        digitization_status=Item.Status.DIGITIZED, works=[(work, "part")],
        rights="http://creativecommons.org/licenses/by-nc/4.0/",
    )
    tibetan, _ = services.item_upsert(
        institution=bl, shelfmark="IOL Tib J 1",
        title={"en": ["Tibetan fragment"]}, item_type=Item.Type.FRAGMENT, languages=["bo"],
        year_start=-100, year_end=-50, digitization_status=Item.Status.DIGITIZED,
    )
    undigitized, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/S.1", title={"en": ["Not yet digitized"]}, languages=["lzh"],
    )
    private, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/S.2", title={"en": ["Private"]}, visibility=Visibility.PRIVATE,
    )
    register_image(tmp_path, "test-scroll-1", 1200, 900)
    register_image(tmp_path, "test-scroll-2", 1000, 800)
    register_image(tmp_path, "test-tib-1", 640, 480)
    services.canvas_upsert(
        item=scroll, order=1, label={"en": ["Frontispiece"]}, image_id="test-scroll-1", width=1200, height=900,
    )
    services.canvas_upsert(item=scroll, order=2, image_id="test-scroll-2", width=1000, height=800)
    services.canvas_upsert(item=manuscript, order=1, service_url=REMOTE_V2, width=4000, height=3000)
    services.canvas_upsert(item=manuscript, order=2, service_url=REMOTE_V3, width=3800, height=3000)
    services.canvas_upsert(item=tibetan, order=1, image_id="test-tib-1", width=640, height=480)
    # The private item has a page too: it must still get no manifest.
    services.canvas_upsert(item=private, order=1, image_id="test-tib-1", width=640, height=480)
    join, _ = services.join_upsert(
        items=[scroll, manuscript], label_map={"en": ["Diamond Sūtra, London + Paris"]},
        evidence={"en": ["Matching tear line and hand."]}, asserted_by="Test curator",
    )
    suggested, _ = services.join_upsert(items=[scroll, tibetan], status=Join.Status.SUGGESTED)
    return Library(bl, bnf, stein, work, scroll, manuscript, tibetan, undigitized, private, join, suggested)
