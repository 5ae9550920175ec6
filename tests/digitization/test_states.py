"""The lifecycle: the table allows the documented path and refuses everything else with a message."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from mogao.catalogue.models import Item
from mogao.digitization import services, states
from mogao.digitization.models import Request, RequestReader, Status, Transition

from .conftest import Lib

pytestmark = pytest.mark.django_db


def _request(lib: Lib, key: str = "a", who: str = "reader") -> Request:
    return services.request_digitization(user=lib.users[who], item=lib.items[key], purpose="research")[0]


def test_the_whole_path_is_recorded_with_attribution(lib: Lib, django_capture_on_commit_callbacks) -> None:
    req = _request(lib)
    curator = lib.users["curator_a"]
    states.transition(req, Status.ACCEPTED, curator)
    states.transition(req, Status.SCHEDULED, curator, expected_month=datetime.date(2027, 3, 17))
    assert Item.objects.get(pk=req.item_id).digitization_status == Item.Status.SCHEDULED
    states.transition(req, Status.IMAGING, curator)
    states.transition(req, Status.QUALITY, curator)
    req = states.transition(req, Status.PUBLISHED, curator)
    assert req.expected_month == datetime.date(2027, 3, 1)
    steps = list(Transition.objects.filter(request=req).values_list("from_status", "to_status", "by"))
    assert steps == [("", "requested", lib.users["reader"].pk), ("requested", "accepted", curator.pk),
                     ("accepted", "scheduled", curator.pk), ("scheduled", "imaging", curator.pk),
                     ("imaging", "quality_check", curator.pk), ("quality_check", "published", curator.pk)]
    assert req.history.count() >= 6  # simple-history keeps every version


@pytest.mark.parametrize("path", [
    ["scheduled", "requested"], ["requested", "scheduled"], ["requested", "published"],
    ["requested", "imaging"], ["declined", "accepted"], ["imaging", "scheduled"],
])
def test_illegal_transitions_are_refused_with_a_message(lib: Lib, path: list[str]) -> None:
    req = _request(lib)
    curator = lib.users["curator_a"]
    steps = {"scheduled": [("accepted", {}), ("scheduled", {"expected_month": datetime.date(2027, 1, 1)})],
             "declined": [("declined", {"reason": "too fragile"})],
             "imaging": [("accepted", {}), ("scheduled", {"expected_month": datetime.date(2027, 1, 1)}),
                         ("imaging", {})],
             "requested": []}
    for to, data in steps[path[0]]:
        states.transition(req, to, curator, **data)
    before = Transition.objects.filter(request=req).count()
    with pytest.raises(states.Refused) as refused:
        states.transition(req, path[1], curator, expected_month=datetime.date(2027, 1, 1))
    assert "cannot go from" in " ".join(refused.value.messages)
    assert Transition.objects.filter(request=req).count() == before
    assert Request.objects.get(pk=req.pk).status == path[0]


def test_a_curator_of_another_institution_or_a_reader_cannot_act(lib: Lib) -> None:
    req = _request(lib)
    for who in ("curator_b", "reader", "reader2"):
        with pytest.raises(states.Refused) as refused:
            states.transition(req, Status.ACCEPTED, lib.users[who])
        assert "Only curators of the holding institution" in " ".join(refused.value.messages)
    assert Request.objects.get(pk=req.pk).status == Status.REQUESTED
    states.transition(req, Status.ACCEPTED, lib.users["admin"])


def test_decline_needs_a_reason_and_schedule_a_month(lib: Lib) -> None:
    req = _request(lib)
    curator = lib.users["curator_a"]
    with pytest.raises(ValidationError) as err:
        states.transition(req, Status.DECLINED, curator, reason="  ")
    assert "reason" in err.value.message_dict
    states.transition(req, Status.ACCEPTED, curator)
    with pytest.raises(ValidationError) as err:
        states.transition(req, Status.SCHEDULED, curator)
    assert "expected_month" in err.value.message_dict
    assert Request.objects.get(pk=req.pk).status == Status.ACCEPTED
    states.transition(req, Status.DECLINED, curator, reason="Too fragile to image.")
    assert Request.objects.get(pk=req.pk).decline_reason == "Too fragile to image."
    assert Item.objects.get(pk=req.item_id).digitization_status == Item.Status.CATALOGUED


def test_merge_moves_readers_once(lib: Lib) -> None:
    whole = services.request_digitization(user=lib.users["reader"], item=lib.items["partial"],
                                          purpose="research", first=3, last=4)[0]  # the missing pages
    assert (whole.first_canvas, whole.last_canvas) == (3, 4)
    other = Request.objects.create(item=lib.items["partial"], first_canvas=3, last_canvas=3)
    RequestReader.objects.create(request=other, user=lib.users["reader"], purpose="teaching")
    RequestReader.objects.create(request=other, user=lib.users["reader2"], purpose="teaching")
    with pytest.raises(ValidationError):
        states.transition(other, Status.MERGED, lib.users["curator_a"], merged_into=other.pk + 1000)
    states.transition(other, Status.MERGED, lib.users["curator_a"], merged_into=whole)
    assert sorted(RequestReader.objects.filter(request=whole).values_list("user__username", flat=True)) == [
        "dg-reader", "dg-reader2"]
    assert Request.objects.get(pk=other.pk).merged_into_id == whole.pk


def test_only_mogao_publishes_from_an_early_status(lib: Lib) -> None:
    req = _request(lib)
    with pytest.raises(states.Refused):
        states.transition(req, Status.PUBLISHED, lib.users["curator_a"])
    states.transition(req, Status.PUBLISHED, None, system=True)
    step = Transition.objects.filter(request=req).last()
    assert step is not None and step.by is None and step.to_status == Status.PUBLISHED
