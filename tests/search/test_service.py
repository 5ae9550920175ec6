"""The search service: validation naming the field, expansion, facets, suggestions, zero results."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from mogao.search import selectors, services
from mogao.search.models import ZeroResultQuery
from mogao.search.services import SearchInputError, params_from_query


def run(q: str = "", **extra: Any) -> services.SearchPage:
    return services.search(params_from_query({"q": q, **extra}))


def ids(page: services.SearchPage) -> list[str]:
    return [h.id for h in page.hits]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"q": "x" * 10_000}, "q"),
        ({"q": "金剛\x00經"}, "q"),
        ({"q": "a\x1bb"}, "q"),
        ({"year_from": "abc"}, "year_from"),
        ({"year_from": "99999"}, "year_from"),
        ({"year_to": "-9000"}, "year_to"),
        ({"year_from": "900", "year_to": "800"}, "year_to"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"type": "spaceship"}, "type"),
        ({"lang": "de"}, "lang"),
        ({"institution": "x" * 300}, "institution"),
    ],
)
def test_bad_input_names_the_field(data: dict[str, str], field: str) -> None:
    with pytest.raises(SearchInputError) as info:
        params_from_query(data)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_strict_mode_rejects_unknown_parameters_and_queries_accept_bce_years() -> None:
    with pytest.raises(SearchInputError) as info:
        params_from_query({"q": "x", "colour": "red"}, strict=True)
    assert info.value.field == "colour"
    params = params_from_query(QueryDict("q=x&year_from=-250&year_to=%E2%88%92100&institution=a&institution=b"))
    assert (params.year_from, params.year_to) == (-250, -100)  # a typographic minus works too
    assert params.filters == {"institution": ("a", "b")}
    assert params_from_query({"q": "  金剛\t經 "}).q == "金剛 經"


@pytest.mark.django_db
def test_unknown_field_prefix_and_empty_query_are_input_errors(demo: dict[str, int]) -> None:
    with pytest.raises(SearchInputError) as info:
        run("colour:red")
    assert info.value.field == "q" and "colour" in info.value.message
    with pytest.raises(SearchInputError):
        run("")
    assert run('"金剛 unbalanced').total >= 0  # an unclosed quote is repaired, not an error


@pytest.mark.django_db
def test_scripts_and_partial_titles_meet(demo: dict[str, int]) -> None:
    simplified, traditional, full = run("金刚经"), run("金剛經"), run("金剛般若波羅蜜經")
    p2 = "item:bl-or-8210-p-2"
    for page in (simplified, traditional, full):
        assert {p2, "work:t0235-diamond-sutra"} <= set(ids(page)[:2])
    assert "金剛經" in simplified.shown_expansions  # the other script, told to the reader
    assert "金剛般若波羅蜜經" in traditional.shown_expansions  # the full title reached


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "lang", "expected", "expansion"),
    [
        ("jin gang jing", "en", "work:t0235-diamond-sutra", "金剛經"),
        ("jīngāng jīng", "en", "work:t0235-diamond-sutra", "金剛經"),
        ("Chin-kang ching", "en", "work:t0235-diamond-sutra", "金剛經"),
        ("Tun-huang", "en", "place:dunhuang", "敦煌"),
        ("Hsüan-tsang", "en", "person:xuanzang", "玄奘"),
        ("Jiumoluoshi", "en", "person:kumarajiva", "鳩摩羅什"),
        ("Diamond Sutra", "en", "item:bl-or-8210-p-2", "金剛般若波羅蜜經"),
        ("sutra du diamant", "fr", "item:bl-or-8210-p-2", "金剛般若波羅蜜經"),
        ("sûtra du cœur", "fr", "work:t0251-heart-sutra", "心經"),
        ("star chart", "en", "item:bl-or-8210-s-3326", "星圖"),
    ],
)
def test_romanized_english_and_french_queries_are_expanded(
    demo: dict[str, int], q: str, lang: str, expected: str, expansion: str
) -> None:
    page = run(q, lang=lang)
    assert expected in ids(page)[:2]  # the Diamond Sūtra work and its printed witness share the top
    assert expansion in page.shown_expansions


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Or.8210/P.2", "item:bl-or-8210-p-2"), ("S.3326", "item:bl-or-8210-s-3326"),
        ("P.3532", "item:bnf-pelliot-chinois-3532"), ("P 3532", "item:bnf-pelliot-chinois-3532"),
        ("T0235", "work:t0235-diamond-sutra"), ("T235", "work:t0235-diamond-sutra"),
        ("ITJ 750", "item:bl-iol-tib-j-750"),
    ],
)
def test_shelfmarks_with_and_without_prefix(demo: dict[str, int], q: str, expected: str) -> None:
    assert ids(run(q))[0] == expected


@pytest.mark.django_db
def test_a_name_finds_the_person_and_their_works(demo: dict[str, int]) -> None:
    for q in ("Kumārajīva", "Kumarajiva", "鳩摩羅什"):
        found = ids(run(q))
        assert found[0] == "person:kumarajiva"
        assert {"work:t0235-diamond-sutra", "work:t0262-lotus-sutra"} <= set(found)
    assert "item:nlc-wenjinge-siku-quanshu" in ids(run("紀昀"))  # via the Latin name "Ji Yun"


@pytest.mark.django_db
def test_filters_facets_dates_sort_and_paging(demo: dict[str, int]) -> None:
    page = run("Dunhuang")
    assert {f.value for f in page.facets["doc_type"]} >= {"item", "place"}
    items = run("Dunhuang", type="item")
    assert items.hits and all(h.doc_type == "item" for h in items.hits)
    box_filter = run("Dunhuang doc_type:item")  # the same filter typed in the box
    assert ids(box_filter) == ids(items)
    tang = run("Dunhuang", period="tang", type="item")
    assert tang.total and all(h.year_start is None or 600 <= h.year_start <= 910 for h in tang.hits)
    dated = run(institution="bl", sort="date")
    years = [h.year_start for h in dated.hits if h.year_start is not None]
    assert years == sorted(years)
    narrowed = run(institution="bl", year_from="860", year_to="880")
    assert narrowed.total and all(h.year_end is None or h.year_end >= 860 for h in narrowed.hits)
    assert run(institution="bl", year_from="-3000", year_to="-2000").total == 0  # BCE range: none
    first, second = run(institution="bl", per_page="2"), run(institution="bl", per_page="2", page="2")
    assert first.has_next and second.has_previous and not set(ids(first)) & set(ids(second))
    by_shelf = run(institution="bl", type="item", sort="shelfmark")
    assert [h.shelfmark for h in by_shelf.hits][:2] == ["IOL Tib J 750", "Or.8210/P.2"]


@pytest.mark.django_db
def test_snippets_are_escaped_html_with_marks_only(demo: dict[str, int]) -> None:
    page = run("Kumarajiva")
    snippets = [str(h.snippet) for h in page.hits if h.snippet]
    assert snippets and any("<mark>" in s for s in snippets)
    assert services.safe_snippet('<mark>a</mark><script>x</script><b onclick="y">b</b>') == "<mark>a</mark>b"


@pytest.mark.django_db
def test_zero_result_queries_are_counted_without_personal_data(demo: dict[str, int]) -> None:
    for _ in range(2):
        assert run("ＺＺＺＱＸ nothing", lang="fr").total == 0
    row = ZeroResultQuery.objects.get()
    assert (row.query, row.language, row.count) == ("zzzqx nothing", "fr", 2)
    fields = {f.name for f in ZeroResultQuery._meta.get_fields()}
    assert fields == {"id", "query", "language", "day", "count", "last_seen"}
    run("Dunhuang")
    assert ZeroResultQuery.objects.count() == 1


@pytest.mark.django_db
def test_did_you_mean_and_completion(demo: dict[str, int]) -> None:
    page = run("Dimond Sutra")  # misspelled: few or no hits, a suggestion
    assert "Diamond Sūtra" in [s.text for s in page.suggestions] or page.total
    near = selectors.did_you_mean("jingang jin", lang="en")
    assert near and near[0].doc_type in {"work", "item"}
    assert selectors.complete("金剛", lang="zh-hant")[0].text == "金剛般若波羅蜜經"
    assert any(s.url == "/works/t0235-diamond-sutra" for s in selectors.complete("diam", lang="en"))
    assert any(s.doc_type == "person" for s in selectors.complete("kuma", lang="en"))
    assert selectors.complete("", lang="en") == []


@pytest.mark.django_db
def test_help_when_filters_leave_nothing_and_homophone_typos(demo: dict[str, int]) -> None:
    page = run("Dunhuang", year_from="-3000", year_to="-2000")
    assert page.total == 0 and page.unfiltered_total > 0
    assert "敦煌" in [s.text for s in selectors.did_you_mean("敦皇", lang="zh-hant")]  # same sound


@pytest.mark.django_db
def test_facet_groups_have_labels_counts_and_toggling_links(demo: dict[str, int]) -> None:
    from mogao.search import selectors

    page = run("Dunhuang", type="place")
    groups = {g.field: g for g in selectors.facet_groups(page.facets, {"q": "Dunhuang", "type": "place"}, lang="fr")}
    place = next(link for link in groups["doc_type"].links if link.value == "place")
    assert place.selected and place.href == "?q=Dunhuang"  # a selected value's link removes it
    inst = selectors.facet_groups(run("Kumarajiva").facets, {"q": "Kumarajiva"}, lang="en")
    holder = next(g for g in inst if g.field == "institution").links[0]
    assert holder.label == "British Library" and holder.href == "?q=Kumarajiva&institution=bl"
    assert selectors.query_string({"q": "a", "page": "3"}, sort="date") == "?q=a&sort=date"


@pytest.mark.django_db
def test_zero_result_selector_sums_days(demo: dict[str, int]) -> None:
    from mogao.search import selectors

    for q in ("qqqzzz", "qqqzzz", "xxyyzz"):
        run(q)
    rows = list(selectors.zero_result_queries())
    assert rows[0] == {"query": "qqqzzz", "language": "en", "total": 2}
    assert [r["query"] for r in selectors.zero_result_queries(language="fr")] == []


@pytest.mark.django_db
def test_warm_up_builds_the_dictionaries_and_records_nothing(demo: dict[str, int]) -> None:
    from mogao.search import expand

    expand.invalidate()
    assert services.warm_up() > 0
    assert expand._cached is not None  # the catalogue vocabulary is built
    assert expand._cedict_roman.cache_info().currsize == 1  # and CC-CEDICT's romanization
    assert not ZeroResultQuery.objects.exists()


def test_warm_up_never_raises(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(services, "search", broken)
    assert services.warm_up() >= 0
    assert "warm-up failed" in caplog.text


def test_mogao_serve_asks_its_server_processes_to_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from mogao.cli import serve

    seen: list[dict[str, str]] = []

    class Stopped:
        def __init__(self, args: list[str], env: dict[str, str]) -> None:
            seen.append(env)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Stopped)
    monkeypatch.setattr(serve.signal, "signal", lambda *_: None)
    serve.run_server("127.0.0.1", 0)
    assert seen and all(env["MOGAO_WARM_UP"] == "1" for env in seen)
