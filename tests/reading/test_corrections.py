"""Correction workflow end to end: propose, review with permissions, history, search, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from mogao.catalogue.models import Item, Transcription
from mogao.reading import services
from mogao.reading.models import MAX_LINE_LENGTH, Correction

pytestmark = pytest.mark.django_db


def first_transcription(item: Item) -> Transcription:
    return Transcription.objects.get(canvas__item=item, canvas__order=1, is_primary=True)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_reader_proposes_and_curator_of_the_holder_accepts_through_the_web(
    client: Client, diamond: Item, reader: Any, curator: Any
) -> None:
    transcription = first_transcription(diamond)
    old_line = transcription.layout["lines"][0]["text"]
    new_line = "如是我聞。一時佛在舍衞國祇樹"
    login(client, reader)
    response = client.post(f"/items/{diamond.pid}/read/1/lines/0/correct", {"text": new_line, "note": "衞 in the scan"})
    assert response.status_code == 302 and response["Location"].endswith("/read/1#l1")
    correction = Correction.objects.get()
    assert (correction.status, correction.original, correction.text) == ("pending", old_line, new_line)

    # The reader cannot accept their own (or any) correction.
    response = client.post(f"/reading/corrections/{correction.pk}/accept")
    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.status == "pending"

    login(client, curator)
    page = client.get(f"/items/{diamond.pid}/read/1").content.decode()
    assert "Corrections awaiting review" in page and new_line in page
    assert new_line in client.get("/reading/corrections/").content.decode()
    response = client.post(f"/reading/corrections/{correction.pk}/accept")
    assert response.status_code == 302
    correction.refresh_from_db()
    transcription.refresh_from_db()
    assert correction.status == "accepted" and correction.reviewed_by == curator
    assert transcription.layout["lines"][0]["text"] == new_line
    assert transcription.text.splitlines()[0] == new_line
    # Same length: every character keeps its exact box.
    assert [c["box"] for c in transcription.layout["lines"][0]["chars"]][10] == [296, 800, 72, 72]
    latest = transcription.history.latest()
    assert latest.history_user == curator and "reader" in (latest.history_change_reason or "")
    assert correction.history.count() >= 2
    # Reviewing twice is refused.
    assert client.post(f"/reading/corrections/{correction.pk}/reject").status_code == 400


def test_curator_of_another_institution_cannot_accept_or_reject(
    diamond: Item, reader: Any, other_curator: Any
) -> None:
    transcription = first_transcription(diamond)
    correction = services.correction_propose(user=reader, transcription=transcription, line=1, text="給孤獨園")
    with pytest.raises(PermissionDenied):
        services.correction_accept(user=other_curator, correction=correction)
    with pytest.raises(PermissionDenied):
        services.correction_reject(user=other_curator, correction=correction)
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_rejection_leaves_the_transcription_unchanged(diamond: Item, reader: Any, curator: Any) -> None:
    transcription = first_transcription(diamond)
    before = transcription.text
    correction = services.correction_propose(user=reader, transcription=transcription, line=2, text="十人俱")
    services.correction_reject(user=curator, correction=correction, note="the scan is clear")
    transcription.refresh_from_db()
    correction.refresh_from_db()
    assert transcription.text == before
    assert (correction.status, correction.review_note) == ("rejected", "the scan is clear")


def test_a_shorter_line_shares_out_the_line_box(diamond: Item, reader: Any, curator: Any) -> None:
    transcription = first_transcription(diamond)
    correction = services.correction_propose(user=reader, transcription=transcription, line=3, text="入舍衛城")
    services.correction_accept(user=curator, correction=correction)
    transcription.refresh_from_db()
    chars = transcription.layout["lines"][3]["chars"]
    assert "".join(c["text"] for c in chars) == "入舍衛城"
    assert chars[0]["box"] == [80.0, 80.0, 72.0, 162.0] and chars[-1]["box"][1] == pytest.approx(80 + 3 * 162)


def test_accepted_text_reaches_search(
    client: Client, diamond: Item, reader: Any, curator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    transcription = first_transcription(diamond)
    correction = services.correction_propose(
        user=reader, transcription=transcription, line=0, text="如是我聞。一時佛在鬱單越國"
    )
    assert diamond.pid not in client.get("/search/", {"q": "鬱單越"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_accept(user=curator, correction=correction)
    assert diamond.pid in client.get("/search/", {"q": "鬱單越"}).content.decode()


def test_anonymous_users_cannot_propose(client: Client, diamond: Item) -> None:
    response = client.post(f"/items/{diamond.pid}/read/1/lines/0/correct", {"text": "如是"})
    assert response.status_code == 403
    assert Correction.objects.count() == 0


def test_markup_is_stored_as_text_and_shown_escaped(client: Client, diamond: Item, reader: Any, curator: Any) -> None:
    script = '<script>alert("x")</script><b>如是</b>'
    login(client, reader)
    assert client.post(f"/items/{diamond.pid}/read/1/lines/0/correct", {"text": script}).status_code == 302
    correction = Correction.objects.get()
    assert correction.text == script
    login(client, curator)
    for url in (f"/items/{diamond.pid}/read/1", "/reading/corrections/"):
        html = client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;如是&lt;/b&gt;" in html
    services.correction_accept(user=curator, correction=correction)
    html = client.get(f"/items/{diamond.pid}/read/1").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   ", "empty"), ("字" * (MAX_LINE_LENGTH + 1), "too long"), ("一\n二", "one line")],
)
def test_bad_input_is_refused_with_a_message(
    client: Client, diamond: Item, reader: Any, text: str, message: str
) -> None:
    login(client, reader)
    response = client.post(f"/items/{diamond.pid}/read/1/lines/0/correct", {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert Correction.objects.count() == 0


def test_service_refuses_unknown_lines_and_unchanged_text(diamond: Item, reader: Any) -> None:
    transcription = first_transcription(diamond)
    with pytest.raises(ValidationError) as exc:
        services.correction_propose(user=reader, transcription=transcription, line=99, text="如是")
    assert "line" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.correction_propose(
            user=reader, transcription=transcription, line=0, text=transcription.layout["lines"][0]["text"]
        )
    assert "text" in exc.value.message_dict
