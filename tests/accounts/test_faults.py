"""Regression tests of issue #12's authorization faults 7, 8, 9 and 11 (each failed before the fix)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item, Join, JoinMember, Transcription, Work
from mogao.ingest.models import IngestError, IngestRun
from mogao.knowledge.models import JoinSuggestion
from mogao.reading.models import Correction

from .conftest import World
from .test_permission_matrix import item_form, join_form

pytestmark = pytest.mark.django_db


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


# ------------------------------------------------------------------ 7: history / revert pages


@pytest.mark.parametrize("vis", ["public", "private"])
def test_fault7_revert_cannot_edit_or_take_another_institutions_item(world: World, vis: str) -> None:
    paris = world.items[("B", vis)]
    version = paris.history.earliest()
    response = login(world, "curator_a").post(
        f"/admin/catalogue/item/{paris.pk}/history/{version.history_id}/",
        item_form(paris, shelfmark="Taken", institution=world.institutions["A"].pk),
    )
    assert response.status_code == 404
    paris.refresh_from_db()
    assert (paris.shelfmark, paris.institution_id) == (f"B-{vis}", world.institutions["B"].pk)


def test_fault7_revert_of_own_item_cannot_move_it_to_another_institution(world: World) -> None:
    own = world.items[("A", "public")]
    version = own.history.earliest()
    response = login(world, "curator_a").post(
        f"/admin/catalogue/item/{own.pk}/history/{version.history_id}/",
        item_form(own, institution=world.institutions["B"].pk),
    )
    assert response.status_code == 200  # the choice is refused as invalid
    own.refresh_from_db()
    assert own.institution_id == world.institutions["A"].pk


def test_fault7_revert_cannot_edit_another_institution_or_its_collection(world: World) -> None:
    bnf = world.institutions["B"]
    collection = services.collection_upsert(institution=bnf, code="pelliot", name={"en": ["Pelliot"]})[0]
    client = login(world, "curator_a")
    version = bnf.history.earliest()
    response = client.post(f"/admin/catalogue/institution/{bnf.pk}/history/{version.history_id}/",
                           {"code": "HACKED", "name-lang-0": "en", "name-text-0": "Hacked", "country": "",
                            "allow_download": "on"})
    assert response.status_code == 404
    bnf.refresh_from_db()
    assert bnf.code == "BnF"
    version = collection.history.earliest()
    response = client.post(f"/admin/catalogue/collection/{collection.pk}/history/{version.history_id}/",
                           {"institution": world.institutions["A"].pk, "code": "moved",
                            "name-lang-0": "en", "name-text-0": "Moved"})
    assert response.status_code == 404
    collection.refresh_from_db()
    assert (collection.institution_id, collection.code) == (bnf.pk, "pelliot")


def test_fault7_history_pages_hide_other_institutions_private_records(world: World) -> None:
    secret = world.items[("B", "private")]
    client = login(world, "curator_a")
    version = secret.history.earliest()
    assert client.get(f"/admin/catalogue/item/{secret.pk}/history/").status_code == 404
    response = client.get(f"/admin/catalogue/item/{secret.pk}/history/{version.history_id}/")
    assert response.status_code == 404 and b"B-private" not in response.content


# ------------------------------------------------------------------ 8: import


def test_fault8_import_form_offers_only_the_curators_institutions(world: World) -> None:
    client = login(world, "curator_a")
    form = client.get("/admin/ingest/ingestrun/import/").context["form"]
    assert list(form.fields["institution"].queryset) == [world.institutions["A"]]
    response = client.post("/admin/ingest/ingestrun/import/", {
        "kind": "csv", "institution": world.institutions["B"].pk, "oai_prefix": "oai_dc",
        "uploads": SimpleUploadedFile("items.csv", b"identifier,institution,title@en\nX,BnF,X\n"),
    })
    assert response.status_code == 200 and "institution" in response.context["form"].errors
    assert not IngestRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fault8_a_csv_row_cannot_rewrite_or_withdraw_another_institutions_item(world: World) -> None:
    paris, _ = services.item_upsert(institution=world.institutions["B"], local_id="P3532",
                                    shelfmark="Pelliot chinois 3532", title={"en": ["Paris"]})
    csv = (b"identifier,institution,title@en,visibility\n"
           b"P3532,BnF,Rewritten,withdrawn\n"
           b"L1,BL,London,public\n")
    response = login(world, "curator_a").post("/admin/ingest/ingestrun/import/", {
        "kind": "csv", "oai_prefix": "oai_dc", "uploads": SimpleUploadedFile("items.csv", csv),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    run = IngestRun.objects.get()
    assert run.status == "done" and (run.created_count, run.failed_count) == (1, 1)
    paris.refresh_from_db()
    assert paris.title == {"en": ["Paris"]} and paris.visibility == "public"
    error = IngestError.objects.get(run=run)
    assert error.field == "institution" and "BnF" in error.message and error.index == 0
    assert Item.objects.filter(institution=world.institutions["A"], local_id="L1").exists()


# ------------------------------------------------------------------ 9: joins and shared works


def test_fault9_curator_cannot_delete_a_join_without_their_items(world: World) -> None:
    join = world.join("B", "public")
    login(world, "curator_a").post(f"/admin/catalogue/join/{join.pk}/delete/", {"post": "yes"})
    assert Join.objects.filter(pk=join.pk).exists()


@pytest.mark.parametrize("inst", ["B"])
def test_fault9_curator_cannot_put_another_institutions_private_item_in_a_join(world: World, inst: str) -> None:
    own = world.join("A", "public")
    secret = world.items[(inst, "private")]
    response = login(world, "curator_a").post(f"/admin/catalogue/join/{own.pk}/change/", join_form(own, add=secret))
    assert response.status_code == 200  # refused with a field error
    assert not JoinMember.objects.filter(join=own, item=secret).exists()
    # another institution's public item may join
    public = world.items[(inst, "public")]
    response = login(world, "curator_a").post(f"/admin/catalogue/join/{own.pk}/change/", join_form(own, add=public))
    assert response.status_code == 302
    assert JoinMember.objects.filter(join=own, item=public).exists()


def test_fault9_curator_cannot_accept_a_suggestion_between_other_institutions(world: World) -> None:
    join = world.join("B", "public")
    join.status = Join.Status.SUGGESTED
    join.save()
    suggestion = JoinSuggestion.objects.create(join=join, score=0.9)
    client = login(world, "curator_a")
    client.post("/admin/knowledge/joinsuggestion/", {"action": "accept", "_selected_action": [suggestion.pk]})
    assert client.post(f"/curate/joins/{join.pk and join.pid}/decide", {"decision": "accept"}).status_code in (403, 404)
    join.refresh_from_db()
    assert join.status == Join.Status.SUGGESTED
    login(world, "curator_b").post("/admin/knowledge/joinsuggestion/",
                                   {"action": "accept", "_selected_action": [suggestion.pk]})
    join.refresh_from_db()
    assert join.status == Join.Status.ACCEPTED


def test_fault9_curator_cannot_delete_a_shared_work_linked_to_others_items(world: World) -> None:
    work, _ = services.work_upsert(key=("taisho", "T0235"), title={"en": ["Diamond Sūtra"]},
                                   identifiers={"taisho": "T0235"})
    services.item_upsert(institution=world.institutions["B"], shelfmark="B-public", works=[(work, "text")])
    client = login(world, "curator_a")
    client.post(f"/admin/catalogue/work/{work.pk}/delete/", {"post": "yes"})
    client.post("/admin/catalogue/work/", {"action": "delete_selected", "_selected_action": [work.pk], "post": "yes"})
    assert Work.objects.filter(pk=work.pk).exists()
    # a work linked only to their own items (or to none) they may delete
    mine, _ = services.work_upsert(key=("taisho", "T0001"), title={"en": ["Mine"]}, identifiers={"taisho": "T0001"})
    services.item_upsert(institution=world.institutions["A"], shelfmark="A-public", works=[(mine, "text")])
    client.post(f"/admin/catalogue/work/{mine.pk}/delete/", {"post": "yes"})
    assert not Work.objects.filter(pk=mine.pk).exists()


# ------------------------------------------------------------------ 11: API and corrections admin


def _patch(world: World, role: str, pid: str) -> int:
    response = Client().patch(f"/api/v1/items/{pid}", data=json.dumps({"extent": "9 leaves"}),
                              content_type="application/json",
                              headers={"authorization": f"Bearer {world.tokens[role]}"})
    return int(response.status_code)


def test_fault11_a_curatorship_without_staff_does_not_write_through_the_api(world: World) -> None:
    own = world.items[("B", "public")]
    assert _patch(world, "curator_b_nostaff", own.pid) == 403
    own.refresh_from_db()
    assert own.extent != "9 leaves"
    assert _patch(world, "curator_b", own.pid) == 200


def test_fault11_private_pids_answer_like_missing_ones(world: World) -> None:
    secret = world.items[("B", "private")]
    assert _patch(world, "curator_a", secret.pid) == _patch(world, "curator_a", "no-such-pid") == 404
    assert _patch(world, "reader", "no-such-pid") == _patch(world, "reader", secret.pid)


def test_fault11_curators_read_the_corrections_of_their_institution(world: World) -> None:
    rows = {}
    for inst in ("A", "B"):
        canvas = Canvas.objects.create(item=world.items[(inst, "public")], order=1, width=10, height=10)
        transcription = Transcription.objects.create(canvas=canvas, text="如是我聞", language="lzh")
        rows[inst] = Correction.objects.create(transcription=transcription, line=0, original="如是我聞",
                                               text=f"如是我闻 {inst}", proposed_by=world.users["reader"])
    client = login(world, "curator_a")
    listing = client.get("/admin/reading/correction/")
    assert listing.status_code == 200
    ids = [c.pk for c in listing.context["cl"].result_list]
    assert ids == [rows["A"].pk]
    assert client.get(f"/admin/reading/correction/{rows['A'].pk}/change/").status_code == 200
    assert client.get(f"/admin/reading/correction/{rows['B'].pk}/change/").status_code == 302  # like missing
