"""What the search service keeps between requests (#14, criterion 7), and that it is never stale.

Did-you-mean answers and their length index live with the vocabulary of one index generation;
facet labels of records live with the catalogue generation; a page's highlights come from the
engine for that page's hits only. Behaviour only: the same answers as computing everything anew,
and a catalogue change committed through ``mogao.core.changes`` shows at the next request.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mogao.search import expand, selectors, services
from mogao.search.documents import has_han
from mogao.search.services import params_from_query


def run(q: str, **extra: Any) -> services.SearchPage:
    return services.search(params_from_query({"q": q, **extra}), record=False)


# ---------------------------------------------------------------------------- did you mean


def reference_did_you_mean(text: str, *, lang: str, vocab: expand.Vocabulary, limit: int = 5) -> list[str]:
    """Did-you-mean as it was computed before the length index: every entry, every string."""

    def best(query: str, candidates: list[str]) -> float:
        top = 0.0
        if not query:
            return top
        for c in candidates:
            if c:
                m = difflib.SequenceMatcher(None, c, query, autojunk=False)
                if m.real_quick_ratio() > max(top, expand.NEAR - 0.01) and m.quick_ratio() > max(
                    top, expand.NEAR - 0.01
                ):
                    top = max(top, m.ratio())
        return top

    text = " ".join(text.split())
    scored: list[tuple[float, str, expand.Entry]] = []
    if has_han(text):
        q, qkey = expand.fold_text(text), expand.roman_key(text)
        for entry in vocab.entries:
            score = max(best(q, entry.chinese), best(qkey, entry.keys) * 0.95)
            if score >= expand.NEAR:
                scored.append((score, selectors._pick_chinese(entry, q, qkey), entry))
    else:
        from mogao.text.romanize import romanized_key

        q = expand.latin_key(text)
        sound = romanized_key(text) or q.replace(" ", "")
        for entry in vocab.entries:
            score = max(best(q, entry.latin), best(sound, entry.keys))
            if score >= expand.NEAR:
                scored.append((score, selectors._display(entry, lang), entry))
    scored.sort(key=lambda row: (-row[0], row[1]))
    out: list[str] = []
    for score, label, _entry in scored:
        if score < expand.NEAR or len(out) >= limit:
            break
        if label not in out and label != text:
            out.append(label)
    return out


NEAR_QUERIES = (
    ("jingang jin", "en"), ("敦皇", "zh-hant"), ("Diamond Sutr", "en"), ("lotus sutraa", "en"),
    ("金剛般若經", "zh-hant"), ("kumarajva", "en"), ("Dunhuan", "fr"), ("法華經", "zh-hans"),
    ("Heart Sutr", "en"), ("xin jing", "en"), ("Chin-kang chin", "en"), ("sutra du diamand", "fr"),
    ("妙法蓮華", "zh-hant"), ("x", "en"), ("a very long query that resembles no title at all", "en"),
)


@pytest.mark.django_db
def test_did_you_mean_gives_the_answers_of_comparing_every_title(demo: dict[str, int]) -> None:
    vocab = expand.vocabulary()
    answers = {}
    for text, lang in NEAR_QUERIES:
        found = [s.text for s in selectors.did_you_mean(text, lang=lang, vocab=vocab)]
        assert found == reference_did_you_mean(text, lang=lang, vocab=vocab), text
        answers[text] = found
    assert "敦煌" in answers["敦皇"] and answers["jingang jin"]  # the comparison is not vacuous


@pytest.mark.parametrize("alphabet", ["abcdeg hij", "金剛般若波羅蜜經法華"])
def test_did_you_mean_on_many_near_strings_matches_comparing_every_one(alphabet: str) -> None:
    """Strings of a few letters, with repeats and every length: many are near one another."""
    import random

    rng = random.Random(14)

    def word() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))).strip() or "a"

    vocab = expand.Vocabulary()
    for i in range(400):
        strings = [word() for _ in range(rng.randint(1, 3))]
        han = has_han(alphabet)
        vocab.entries.append(
            expand.Entry(
                "work", f"w{i}", f"/works/w{i}", {"en": [strings[0]]},
                strings if han else [], [] if han else strings, [word().replace(" ", "")],
            )
        )
    answered = 0
    for _ in range(60):
        text = word()
        found = [s.text for s in selectors.did_you_mean(text, lang="en", vocab=vocab)]
        assert found == reference_did_you_mean(text, lang="en", vocab=vocab), text
        answered += bool(found)
    assert answered >= 5  # many queries do have near strings: the comparison is not vacuous


@pytest.mark.django_db
def test_did_you_mean_is_remembered_for_one_vocabulary_only(
    demo: dict[str, int], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from mogao.catalogue import services as catalogue

    computed: list[str] = []
    inner = selectors._did_you_mean

    def counting(text: str, **kwargs: Any) -> list[expand.Suggestion]:
        computed.append(text)
        return inner(text, **kwargs)

    monkeypatch.setattr(selectors, "_did_you_mean", counting)
    first = selectors.did_you_mean("Saddharmapundarik", lang="en")
    again = selectors.did_you_mean("Saddharmapundarik", lang="en")
    assert again == first and computed == ["Saddharmapundarik"]  # asked twice, computed once
    assert "/works/t0262-lotus-sutra" not in " ".join(s.url for s in first)
    # a catalogue change, committed: the index task runs and the vocabulary is a new one
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.work_upsert(pid="t0262-lotus-sutra", aliases=["Saddharmapundarika"])
    after = selectors.did_you_mean("Saddharmapundarik", lang="en")
    assert len(computed) == 2
    assert any(s.url.endswith("/t0262-lotus-sutra") or "t0262-lotus-sutra" in s.url for s in after)


# ---------------------------------------------------------------------------- facet labels


def holder_labels(lang: str = "en") -> dict[str, str]:
    groups = selectors.facet_groups(run("Kumarajiva").facets, {"q": "Kumarajiva"}, lang=lang)
    return {link.value: link.label for g in groups if g.field == "institution" for link in g.links}


@pytest.mark.django_db
def test_facet_labels_are_read_once_per_catalogue_generation(
    demo: dict[str, int], django_capture_on_commit_callbacks: Any
) -> None:
    from mogao.catalogue.models import Institution

    assert holder_labels()["bl"] == "British Library"
    assert holder_labels("fr")["bl"]  # another language is its own table
    page = run("Kumarajiva")
    with CaptureQueriesContext(connection) as queries:
        selectors.facet_groups(page.facets, {"q": "Kumarajiva"}, lang="en")
    table = Institution._meta.db_table
    assert not [q for q in queries.captured_queries if table in q["sql"]]  # remembered
    with django_capture_on_commit_callbacks(execute=True):  # the change channel's commit
        Institution.objects.filter(pid="bl").update(name={"en": ["The British Library, London"]})
    assert holder_labels()["bl"] == "The British Library, London"  # a new generation: read again


@pytest.mark.django_db
def test_facet_values_without_a_record_keep_their_value(demo: dict[str, int]) -> None:
    facets = {"institution": [services.FacetCount("no-such-holder", 3), services.FacetCount("bl", 2)]}
    for _ in range(2):  # the second time from what the first one remembered
        groups = selectors.facet_groups(facets, {}, lang="en")
        labels = {link.value: link.label for link in groups[0].links}
        assert labels == {"no-such-holder": "no-such-holder", "bl": "British Library"}


# ---------------------------------------------------------------------------- highlights


@pytest.mark.django_db
def test_tantivy_highlights_the_page_by_id_as_a_second_search_would(
    demo: dict[str, int], settings: Any, tmp_path: Path
) -> None:
    from mogao.search.backends import get_backend, reset_backend
    from mogao.search.backends.base import SearchBackend
    from mogao.search.types import SearchQuery

    settings.SEARCH_URL = f"tantivy://{tmp_path / 'index'}"
    reset_backend()
    services.index_rebuild()
    backend = get_backend()
    assert backend.name == "tantivy"
    checked = 0
    for q in ("金剛經", "Diamond Sutra", "Kumarajiva", "P.3532", "敦煌", "lotus"):
        query = SearchQuery(root=services.parse_box(q).root, limit=50, highlight=False)
        hits = backend.search(query).hits[:20]
        ids = [h.id for h in hits]
        by_id = backend.highlight(query, ids)
        assert by_id == {k: v for k, v in SearchBackend.highlight(backend, query, ids).items() if k in by_id}
        assert set(by_id) == set(ids)
        checked += sum(1 for v in by_id.values() if v)
        # the page's one snippet: the first snippet of the first field that has one, as before
        shown = backend.highlight(query, ids, first_of=services._SNIPPET_FIELDS)
        assert shown == SearchBackend.highlight(backend, query, ids, first_of=services._SNIPPET_FIELDS)
        # from the text each hit brought along (#14): the same snippets without reading the documents
        # again; a hit without its text is fetched by id
        assert all(isinstance(h.source, dict) for h in hits)
        assert backend.highlight_hits(query, hits) == by_id
        assert backend.highlight_hits(query, hits, first_of=services._SNIPPET_FIELDS) == shown
        bare = [replace(h, source=None) for h in hits]
        assert backend.highlight_hits(query, bare, first_of=services._SNIPPET_FIELDS) == shown
        for doc_id, marks in by_id.items():
            first = next(([v[0]] for f in services._SNIPPET_FIELDS if (v := marks.get(f))), None)
            assert list(shown[doc_id].values()) == ([first] if first else [])
    assert checked  # some hits do have snippets
    assert backend.highlight(query, []) == {}
    assert backend.highlight(query, ["work:no-such-work"]) == {}


@pytest.mark.django_db
def test_a_person_s_works_from_beyond_the_rescoring_window_get_their_snippets(
    demo: dict[str, int], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is highlighted by id: a work brought onto the page from the person window (past
    the first RESCORE_WINDOW hits) is highlighted like any other hit."""
    from mogao.search.backends import reset_backend

    settings.SEARCH_URL = f"tantivy://{tmp_path / 'index'}"
    reset_backend()
    services.index_rebuild()
    engine_order = [h.id for h in run("Kumarajiva", sort="date").hits]
    monkeypatch.setattr(services, "RESCORE_WINDOW", 2)  # the window: the person and one more
    page = services.search(params_from_query({"q": "Kumarajiva", "per_page": 2}), record=False)
    assert [h.doc_type for h in page.hits] == ["person", "work"]
    assert len(engine_order) > 2
    assert all(h.snippet for h in page.hits), [(h.id, h.snippet) for h in page.hits]


# ---------------------------------------------------------------------------- the database


def test_sqlite_connections_are_kept_between_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the last SQLite connection checkpoints the WAL: every API request paid for it."""
    from mogao.site import settings as site_settings

    monkeypatch.setattr(site_settings.conf, "get", lambda name, *a, **k: "" if name == "MOGAO_DATABASE_URL" else None)
    database = site_settings._database()
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["CONN_MAX_AGE"] == 60
