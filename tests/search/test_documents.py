"""What each record contributes to the index: titles in both scripts, romanizations, shelfmarks."""

from __future__ import annotations

import pytest

from mogao.catalogue.models import Item, Visibility, Work
from mogao.knowledge.models import Person
from mogao.search import documents


def test_shelfmark_forms_keep_the_shelfmark_and_add_what_the_tokenizer_cannot_derive() -> None:
    # the series words stay searchable alone: the tokenizer reads the whole mark as itj750
    assert documents.shelfmark_forms("IOL Tib J 750") == ["IOL Tib J 750", "ITJ 750", "IOL Tib J"]
    assert documents.shelfmark_forms("BD00256 (北8470)")[-1] == "北8470"
    assert documents.shelfmark_forms("Hébreu 1412") == ["Hébreu 1412", "Hebreu 1412"]
    assert documents.shelfmark_forms("") == []


def test_taisho_forms_and_natural_sort_key() -> None:
    assert documents.taisho_forms("T0235") == ["T0235", "T235", "T 235", "T.235", "Taisho 235"]
    assert documents.taisho_forms("T2141A")[0] == "T2141A"
    keys = sorted(["P.12", "P.2", "S.3326"], key=documents.natural_key)
    assert keys == ["P.2", "P.12", "S.3326"]


def test_doc_ids_round_trip_and_reject_garbage() -> None:
    assert documents.split_doc_id(documents.doc_id("item", "bl-x")) == ("item", "bl-x")
    for bad in ("item", "nothing:x", "item:", ":x"):
        with pytest.raises(ValueError):
            documents.split_doc_id(bad)


@pytest.mark.django_db
def test_item_document_carries_titles_romanizations_works_and_names(demo: dict[str, int]) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    doc = documents.document_for(f"item:{item.pid}")
    assert doc is not None and doc.doc_type == "item"
    assert {"金剛般若波羅蜜經", "金刚般若波罗蜜经", "Diamond Sūtra, printed scroll of 868"} <= set(doc.text["title"])
    aliases = set(doc.text["alias"])
    assert "金剛經" in aliases  # the work's other title
    assert "jingangboreboluomijing" in aliases  # pinyin key, with 般若 read bore as Buddhists do
    assert any(a.startswith("chin kang") for a in aliases)  # Wade-Giles
    assert "T0235" in doc.text["shelfmark"] and "Or.8210/P.2" in doc.text["shelfmark"]
    assert any("Kumārajīva" in n for n in doc.text["names"])  # the translator of its work
    assert doc.filters["doc_type"] == ["item"] and doc.filters["institution"] == [item.institution.pid]
    assert doc.filters["work"] == ["t0235-diamond-sutra"]
    assert doc.year_start == 868 and doc.payload["taisho"] == "T0235"
    assert doc.payload["url"] == f"/items/{item.pid}"
    assert doc.payload["titles"]["zh-Hans"] == ["金刚般若波罗蜜经"]


@pytest.mark.django_db
def test_work_and_person_documents(demo: dict[str, int]) -> None:
    work = documents.document_for("work:t0235-diamond-sutra")
    assert work is not None
    assert "T0235" in work.text["shelfmark"] and "T235" in work.text["shelfmark"]
    assert any("鳩摩羅什" in n for n in work.text["names"])
    assert "bl" in work.filters["institution"][0]  # the holder of its witness
    person = documents.document_for("person:kumarajiva")
    assert person is not None and "鳩摩羅什" in person.text["alias"]
    assert person.payload["url"].endswith("/kumarajiva")


@pytest.mark.django_db
def test_private_records_are_not_documents(demo: dict[str, int]) -> None:
    Work.objects.filter(pid="t0251-heart-sutra").update(visibility=Visibility.PRIVATE)
    assert documents.document_for("work:t0251-heart-sutra") is None
    assert documents.document_for("work:no-such-work") is None


@pytest.mark.django_db
def test_iter_all_yields_every_public_record(demo: dict[str, int]) -> None:
    docs = list(documents.iter_all(chunk=3))
    assert len(docs) == documents.count_all()
    assert len({d.id for d in docs}) == len(docs)
    assert {d.doc_type for d in docs} == {"item", "work", "person", "place"}


@pytest.mark.django_db
def test_affected_ids_reach_related_documents(demo: dict[str, int]) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    assert documents.affected_ids(item) == {f"item:{item.pid}", "work:t0235-diamond-sutra"}
    assert f"item:{item.pid}" in documents.affected_ids(Work.objects.get(pid="t0235-diamond-sutra"))
    ids = documents.affected_ids(Person.objects.get(pid="kumarajiva"))
    assert {"person:kumarajiva", "work:t0235-diamond-sutra", f"item:{item.pid}"} <= ids
