"""Request and response shapes of the JSON API (they become the OpenAPI 3.1 document).

Multilingual fields are IIIF-style language maps (``{"en": ["Diamond Sutra"]}``), given whole;
``label`` is the one string chosen for the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

LangMap = dict[str, list[str]]
# Spelled out (not built from the model choices) so type checkers and readers see them; a test
# fails when they drift from the catalogue models.
ItemType = Literal["manuscript", "printed", "scroll", "booklet", "rubbing", "fragment", "set", "other"]
ItemStatus = Literal["catalogued", "requested", "scheduled", "digitized"]
VisibilityValue = Literal["public", "private", "withdrawn"]
RightsURI = Literal[
    "http://creativecommons.org/publicdomain/mark/1.0/",
    "http://creativecommons.org/publicdomain/zero/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-sa/4.0/",
    "http://creativecommons.org/licenses/by-nc/4.0/",
    "http://rightsstatements.org/vocab/NoC-US/1.0/",
    "http://rightsstatements.org/vocab/NKC/1.0/",
    "http://rightsstatements.org/vocab/InC/1.0/",
    "http://rightsstatements.org/vocab/UND/1.0/",
]


class Ref(Schema):
    pid: str
    label: str
    url: str


class InstitutionOut(Schema):
    pid: str
    code: str
    label: str
    name: LangMap
    city: LangMap
    country: str
    latitude: float | None
    longitude: float | None
    homepage: str
    description: LangMap
    url: str
    updated: datetime


class CollectionOut(Schema):
    pid: str
    code: str
    label: str
    name: LangMap
    description: LangMap
    institution: Ref
    url: str
    updated: datetime


class CreatorOut(Schema):
    person: Ref
    role: str


class WorkOut(Schema):
    pid: str
    label: str
    title: LangMap
    aliases: list[str]
    identifiers: dict[str, str]
    description: LangMap
    category: str
    date_expression: str
    year_start: int | None
    year_end: int | None
    period: Ref | None
    creators: list[CreatorOut]
    url: str
    updated: datetime


class ItemWorkOut(Schema):
    work: Ref
    role: str
    locator: str


class ItemOut(Schema):
    pid: str
    label: str
    title: LangMap
    description: LangMap
    institution: Ref
    collection: Ref | None
    shelfmark: str
    local_id: str
    item_type: str
    languages: list[str]
    material: LangMap
    dimensions: str
    extent: str
    date_expression: str
    year_start: int | None
    year_end: int | None
    period: Ref | None
    find_place: Ref | None
    provenance: LangMap
    notes: LangMap
    rights: str
    allow_download: bool
    digitization_status: str
    visibility: str
    works: list[ItemWorkOut]
    canvas_count: int
    manifest: str | None
    url: str
    created: datetime
    updated: datetime


class CanvasOut(Schema):
    order: int
    label: LangMap
    width: int | None
    height: int | None
    image_service: str | None
    transcriptions: int


class TranscriptionOut(Schema):
    id: int
    language: str
    text: str
    layout: dict[str, object]
    source: str
    engine: str
    confidence: float | None
    is_primary: bool
    updated: datetime


class AuthorityOut(Schema):
    scheme: str
    identifier: str
    url: str


class EntityOut(Schema):
    pid: str
    kind: Literal["person", "place", "period"]
    label: str
    name: LangMap
    aliases: list[str]
    description: LangMap
    year_start: int | None = None
    year_end: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    period_kind: str | None = None
    parent: Ref | None = None
    authorities: list[AuthorityOut]
    url: str
    updated: datetime


class Page(Schema):
    next: str | None = Field(description="URL of the next page, or null on the last one.")


class InstitutionPage(Page):
    results: list[InstitutionOut]


class CollectionPage(Page):
    results: list[CollectionOut]


class WorkPage(Page):
    results: list[WorkOut]


class ItemPage(Page):
    results: list[ItemOut]


class EntityPage(Page):
    results: list[EntityOut]


class ItemFields(Schema):
    """Editable item fields; every one optional (PATCH semantics)."""

    collection: str | None = Field(None, max_length=100, description="Collection pid, or null for none.")
    shelfmark: str | None = Field(None, max_length=120)
    local_id: str | None = Field(None, max_length=200)
    title: LangMap | None = None
    description: LangMap | None = None
    item_type: ItemType | None = None
    languages: list[str] | None = None
    material: LangMap | None = None
    dimensions: str | None = Field(None, max_length=200)
    extent: str | None = Field(None, max_length=200)
    date_expression: str | None = Field(None, max_length=200)
    year_start: int | None = Field(None, ge=-5000, le=2200)
    year_end: int | None = Field(None, ge=-5000, le=2200)
    period: str | None = Field(None, max_length=120, description="Period pid.")
    find_place: str | None = Field(None, max_length=120, description="Place pid.")
    provenance: LangMap | None = None
    notes: LangMap | None = None
    rights: RightsURI | None = None
    allow_download: bool | None = None
    digitization_status: ItemStatus | None = None
    visibility: VisibilityValue | None = None


class ItemCreate(ItemFields):
    institution: str = Field(max_length=40, description="Institution pid or code.")
    title: LangMap = Field(description="Language map; at least one language.")


class ItemPatch(ItemFields):
    pass


class ExportQuery(Schema):
    format: Literal["jsonl", "csv", "bagit"] = "jsonl"
