"""Arbitrary input never breaks the provider: every answer is HTTP 200 and schema-valid XML."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .oai_helpers import call, error_code

pytestmark = pytest.mark.django_db

NAMES = st.sampled_from(["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken", "x"])
VERBS = st.sampled_from(["Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers",
                         "ListRecords", "", "listrecords"])
VALUES = st.one_of(st.text(max_size=60), st.sampled_from(
    ["oai_dc", "mogao", "2024-01-01", "2024-01-01T00:00:00Z", "institution:bl", "oai:127.0.0.1:x", "\x00", "<&>"]
))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(verb=VERBS, params=st.dictionaries(NAMES, VALUES, max_size=4), method=st.sampled_from(["get", "post"]))
def test_any_request_gets_a_valid_answer(client: Client, oai_schema, records, verb, params, method) -> None:
    params = {"verb": verb, **{k: v for k, v in params.items() if k != "verb"}}
    params = {k: v.replace("\x00", "") for k, v in params.items()}  # a NUL cannot travel in a form value
    doc = call(client, oai_schema, method, **params)
    assert doc is not None


def test_huge_and_binary_values_are_bad_arguments(client: Client, oai_schema, records) -> None:
    assert error_code(call(client, oai_schema, verb="GetRecord", identifier="x" * 5000,
                           metadataPrefix="oai_dc")) == "idDoesNotExist"
    assert error_code(call(client, oai_schema, verb="ListRecords", resumptionToken="y" * 5000)) == "badResumptionToken"
    assert error_code(call(client, oai_schema, verb="ListRecords", metadataPrefix="oai_dc",
                           **{"from": "9999-99-99"})) == "badArgument"
