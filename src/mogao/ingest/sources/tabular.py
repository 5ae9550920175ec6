"""Loading of flat item records (from CSV rows or JSON objects) through the catalogue services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from mogao.catalogue import services
from mogao.catalogue.models import Collection, Institution, Work
from mogao.ingest.records import Outcome, Record


class ItemLoader:
    """Upserts items keyed by (institution, identifier), with per-run caches of lookups.

    Institutions are read once; collections and works are looked up once per code, so a large file
    costs one query per distinct value rather than one per row.
    """

    def __init__(self) -> None:
        self.institutions: dict[str, Institution] = {i.code: i for i in Institution.objects.all()}
        self._collections: dict[tuple[int, str], Collection] = {}
        self._works: dict[tuple[str, str], Work | None] = {}

    def reset_caches(self) -> None:
        """Forget looked-up collections and works (after a rollback may have removed some)."""
        self._collections.clear()
        self._works.clear()

    def _collection(self, institution: Institution, code: str) -> Collection:
        key = (institution.pk, code)
        if key not in self._collections:
            found = Collection.objects.filter(institution=institution, code=code).first()
            if found is None:
                found, _created = services.collection_upsert(
                    institution=institution, code=code, name={"none": [code]}
                )
            self._collections[key] = found
        return self._collections[key]

    def _work(self, scheme: str, value: str) -> Work:
        key = (scheme, value)
        if key not in self._works:
            self._works[key] = Work.objects.filter(**{f"identifiers__{scheme}": value}).first()
        work = self._works[key]
        if work is None:
            raise ValidationError({"works": f"unknown work {scheme}:{value}"})
        return work

    def _fields(self, record: Record) -> tuple[Institution, dict[str, Any], list[tuple[Work, str]] | None]:
        data = dict(record.data)
        institution: Institution = data.pop("institution")
        fields: dict[str, Any] = {k: v for k, v in data.items() if v not in (None, "", {})}
        # Absent language maps stay as they are; a present column replaces the whole map.
        code = fields.pop("collection", "")
        if code:
            fields["collection"] = self._collection(institution, code)
        works = None
        if "works" in fields:
            works = [(self._work(s, v), "text") for s, v in fields.pop("works")]
        return institution, fields, works

    def load_many(self, records: list[Record]) -> dict[int, Outcome]:
        """Bulk-decide unchanged records and bulk-create new ones (see :mod:`.bulk`)."""
        from mogao.ingest.sources.bulk import load_many

        prepared = []
        for record in records:
            try:
                institution, fields, works = self._fields(record)
            except ValidationError:
                continue  # left to the per-record path, which reports it
            fields.setdefault("shelfmark", "")
            prepared.append((record, {"institution": institution, **fields},
                             [(w.pk, role) for w, role in works] if works is not None else None))
        return load_many(prepared)

    def load(self, record: Record) -> Outcome:
        institution, fields, works = self._fields(record)
        code = fields["collection"].code if "collection" in fields else ""
        local_id = fields.pop("local_id")
        shelfmark = fields.pop("shelfmark", "")
        try:
            _item, outcome = services.item_upsert(
                institution=institution, local_id=local_id, shelfmark=shelfmark, works=works, **fields
            )
        except ValidationError:
            # A collection made for this record was rolled back with it.
            if code:
                self._collections.pop((institution.pk, code), None)
            raise
        return outcome  # type: ignore[return-value]
